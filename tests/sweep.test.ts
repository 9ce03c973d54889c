/** Seed summaries and the sweep table read each pipeline's own metrics (core/methods/results.ts). */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../src/core/config';
import type { FinalMetrics } from '../src/core/methods';
import type { ExperimentResult } from '../src/core/train/experiment';
import { type SweepRow, formatSweepTable, summariseSeeds } from '../src/core/train/sweep';

const result = (seed: number, final: FinalMetrics): ExperimentResult =>
  ({ config: { ...DEFAULT_CONFIG, seed }, backend: 'cpu', final, history: [], stepsPerSec: 10, teacherCached: true, alphaHint: null, finalEval: { kind: 'quick', images: 100 } }) as ExperimentResult;
const distill = (seed: number, testAcc: number): ExperimentResult =>
  result(seed, { pipeline: 'distill', testAcc, trainAcc: 0.5, loss: 1, taskLoss: 0.8, distillLoss: 0.2, difference: 100 * seed });
const hgkd = (seed: number, testAcc: number): ExperimentResult =>
  result(seed, { pipeline: 'hgkd', testAcc, scratchAcc: testAcc - 0.1, trainAcc: 0.5, distillLoss: 0.3, mse: 0.25, finetuneLoss: 1.2 });

describe('seed summaries', () => {
  it('average the pipeline\'s own fields and keep its tag', () => {
    const d = summariseSeeds([distill(1, 0.8), distill(2, 0.9)]);
    expect(d.mean).toMatchObject({ pipeline: 'distill', testAcc: (0.8 + 0.9) / 2, difference: 150 });
    const h = summariseSeeds([hgkd(1, 0.6), hgkd(2, 0.7)]);
    if (h.mean.pipeline !== 'hgkd') throw new Error('an H-GKD summary');
    expect(h.mean).toMatchObject({ testAcc: (0.6 + 0.7) / 2, mse: 0.25 });
    expect(h.mean.scratchAcc).toBeCloseTo(0.55, 12);
    expect(h.mean).not.toHaveProperty('difference');
  });

  it('refuse runs of two pipelines (their fields mean different things)', () => {
    expect(() => summariseSeeds([distill(1, 0.8), hgkd(2, 0.6)])).toThrow(/one pipeline/);
  });

  it('the table shows a column only where a row measures it, "–" in the other rows', () => {
    const row = (value: string, runs: ExperimentResult[]): SweepRow => ({ value, config: runs[0].config, runs, ...summariseSeeds(runs) });
    const lines = formatSweepTable('method', [row('mgd', [distill(1, 0.8)]), row('hgkd', [hgkd(1, 0.6)])]).split('\n');
    const cells = (line: string) => line.trimEnd().split(/\s{2,}/);
    expect(cells(lines[0])).toEqual(['method', 'test acc %', 'scratch acc %', 'train acc %', 'loss', 'difference', 'distillation mse', 'steps/s', 'seeds']);
    expect(cells(lines[2])).toEqual(['mgd', '80.00 ± 0.00', '–', '50.00 ± 0.00', '1.000 ± 0.0', '100.0 ± 0.0', '–', '10.0', '1']);
    expect(cells(lines[3])).toEqual(['hgkd', '60.00 ± 0.00', '50.00 ± 0.00', '50.00 ± 0.00', '–', '–', '0.2500 ± 0.0', '10.0', '1']);
    const mgdOnly = formatSweepTable('seeds', [row('', [distill(1, 0.8), distill(2, 0.9)])]).split('\n');
    expect(cells(mgdOnly[0])).toEqual(['seeds', 'test acc %', 'train acc %', 'loss', 'difference', 'steps/s', 'seeds']);
  });
});
