/** Stored run records: each version reads, older ones migrate, and a record's metrics must match its method's pipeline. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../core/config';
import { RECORD_VERSION, fromRecord, toRecord } from './runRecord';
import { legacyShape, savedRun, withLegacyRecipeRun, withoutRecipe } from './testRuns';

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
    const old = (run: typeof distill) => ({ ...legacyShape(run), config: withoutRecipe(run.config) });
    for (const version of [1, 2]) {
      expect(fromRecord({ version, run: old(distill) })).toEqual({ ok: true, run: withLegacyRecipeRun(distill) });
      expect(fromRecord({ version, run: { ...old(hgkd), difference: null } })).toEqual({ ok: true, run: withLegacyRecipeRun(hgkd) });
    }
  });

  it('versions 1–3 trained with the legacy recipe (constant lr, Adam, no weight decay): their configs read so', () => {
    const run = savedRun(1);
    const v3 = fromRecord({ version: 3, run: { ...run, config: withoutRecipe(run.config) } });
    expect(v3).toEqual({ ok: true, run: withLegacyRecipeRun(run) });
    expect(v3.ok && v3.run.config).toMatchObject({ lrSchedule: 'constant', optimizer: 'adam', wd: 0, warmup: 0 });
    // A current record keeps its recipe: the default cosine.
    const v4 = fromRecord(toRecord(run));
    expect(v4.ok && v4.run.config.lrSchedule).toBe('cosine');
  });

  it('a record whose metrics belong to another pipeline than its method\'s is damaged, not misread', () => {
    const wrong = savedRun(1, { metrics: { pipeline: 'hgkd', scratchAcc: 0.4, mse: 0.2 } }); // method mgd
    expect(fromRecord(toRecord(wrong))).toEqual({ ok: false, reason: 'damaged' });
    expect(fromRecord({ version: RECORD_VERSION, run: legacyShape(savedRun(1)) })).toEqual({ ok: false, reason: 'damaged' }); // current, without metrics
    expect(fromRecord({ version: RECORD_VERSION + 1, run: savedRun(1) })).toEqual({ ok: false, reason: 'newer' });
  });
});
