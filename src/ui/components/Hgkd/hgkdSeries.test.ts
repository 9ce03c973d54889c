/** H-GKD chart shaping: overlay rows by step, queue vectors thinned, hole counts. */
import { describe, expect, it } from 'vitest';
import type { LabelledPoint } from '../../store/hgkdSlice';
import { holeStats, labelledRows, similarityRows } from './hgkdSeries';

const pt = (phase: 'finetune' | 'scratch', step: number, loss: number, testAcc?: number): LabelledPoint => ({
  phase, step, loss, batchAcc: 0.5, stepMs: 1, ...(testAcc !== undefined && { testAcc }),
});

describe('labelledRows', () => {
  it('puts both phases on one step axis, with accuracies only where evaluated', () => {
    const rows = labelledRows([pt('finetune', 1, 2), pt('finetune', 2, 1.5, 0.6)], [pt('scratch', 1, 2.3), pt('scratch', 2, 2, 0.3), pt('scratch', 3, 1.9)]);
    expect(rows).toEqual([
      { step: 1, ftLoss: 2, scratchLoss: 2.3 },
      { step: 2, ftLoss: 1.5, ftAcc: 0.6, scratchLoss: 2, scratchAcc: 0.3 },
      { step: 3, scratchLoss: 1.9 },
    ]);
  });
});

describe('similarityRows', () => {
  it('is empty before the first step and thins long queues to every k-th entry', () => {
    expect(similarityRows({ fill: 0, capacity: 8, teacher: null, student: null })).toEqual([]);
    const t = Float32Array.from({ length: 10 }, (_, i) => i / 10);
    const s = Float32Array.from({ length: 10 }, (_, i) => 1 - i / 10);
    const rows = similarityRows({ fill: 10, capacity: 16, teacher: t, student: s }, 4);
    expect(rows.map((r) => r.entry)).toEqual([0, 3, 6, 9]);
    expect(rows[1]).toEqual({ entry: 3, teacher: t[3], student: s[3] });
  });
});

describe('holeStats', () => {
  it('counts inactive positions and those with signal', () => {
    const active = Float32Array.from([1, 0, 0, 1, 0]);
    expect(holeStats({ active, attention: Float32Array.from([0.3, 0, 0, 0.1, 0]) })).toEqual({ holes: 3, filled: 0 });
    expect(holeStats({ active, attention: Float32Array.from([0.3, 0.2, 0, 0.1, 1e-9]) })).toEqual({ holes: 3, filled: 2 });
  });
});
