/** Stored run records: each version reads, older ones migrate, and a record's metrics must match its method's pipeline. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../core/config';
import { RECORD_VERSION, fromRecord, toRecord } from './runRecord';
import { legacyShape, savedRun } from './testRuns';

const hgkdConfig = { ...DEFAULT_CONFIG, method: 'hgkd' as const, student: 'resnet:8-16x1', steps: 3 };

describe('run records', () => {
  it('a current record reads back as written, for either pipeline', () => {
    const distill = savedRun(1);
    const hgkd = savedRun(2, { config: hgkdConfig, metrics: { pipeline: 'hgkd', scratchAcc: 0.41, mse: 0.25 }, points: [] });
    for (const run of [distill, hgkd]) expect(fromRecord(toRecord(run))).toEqual({ ok: true, run });
    expect(toRecord(distill).version).toBe(RECORD_VERSION);
  });

  it('versions 1 and 2 migrate: a distillation run keeps its difference, an H-GKD run (which had none) gets empty H-GKD metrics', () => {
    const distill = savedRun(1);
    const hgkd = savedRun(2, { config: hgkdConfig, metrics: { pipeline: 'hgkd', scratchAcc: null, mse: null }, points: [] });
    for (const version of [1, 2]) {
      expect(fromRecord({ version, run: legacyShape(distill) })).toEqual({ ok: true, run: distill });
      expect(fromRecord({ version, run: { ...legacyShape(hgkd), difference: null } })).toEqual({ ok: true, run: hgkd });
    }
  });

  it('a record whose metrics belong to another pipeline than its method\'s is damaged, not misread', () => {
    const wrong = savedRun(1, { metrics: { pipeline: 'hgkd', scratchAcc: 0.4, mse: 0.2 } }); // method mgd
    expect(fromRecord(toRecord(wrong))).toEqual({ ok: false, reason: 'damaged' });
    expect(fromRecord({ version: RECORD_VERSION, run: legacyShape(savedRun(1)) })).toEqual({ ok: false, reason: 'damaged' }); // v3 without metrics
    expect(fromRecord({ version: RECORD_VERSION + 1, run: savedRun(1) })).toEqual({ ok: false, reason: 'newer' });
  });
});
