/** The H-GKD slice and the Table 5 grid, driven through the app store with a fake worker client. */
import { describe, expect, it } from 'vitest';
import type { HgkdPoint, HgkdSnapshot, RunSummary, WorkerEvent } from '../../worker/protocol';
import { TABLE5, ablationConfigs, ablationResults } from './hgkdAblation';
import { fakes } from './testing';
import { DEFAULT_CONFIG } from '../../core/config';

const distill = (step: number): HgkdPoint => ({ phase: 'distill', step, loss: 2, mse: 1.5, simLoss: 0.5, pearson: 0.5, queueFill: 4 * step, stepMs: 5 });
const labelled = (phase: 'finetune' | 'scratch', step: number, testAcc?: number): HgkdPoint => ({ phase, step, loss: 2.3, batchAcc: 0.1, stepMs: 3, ...(testAcc !== undefined && { testAcc }) });
const progress = (runId: number, phase: 'distill' | 'finetune' | 'scratch', hgkd: HgkdPoint[]): WorkerEvent => ({
  type: 'progress', runId, pipeline: 'hgkd', phase, points: hgkd, step: hgkd.at(-1)?.step ?? 0, steps: 3, stepsPerSec: 1, state: 'running',
});
const ready = (runId: number): WorkerEvent => ({ type: 'ready', runId, backend: 'wasm', adapter: null, kernels: 'reference', timings: [] });
const summary = (finetuneAcc: number, scratchAcc: number): RunSummary => ({
  pipeline: 'hgkd', reason: 'completed', steps: 3, testAcc: finetuneAcc, trainAcc: 0.2, stepsPerSec: 2, seconds: 1, liveChanges: [],
  hgkd: { mode: 'finetune', distillSteps: 3, finetuneSteps: 2, scratchSteps: 2, finetuneAcc, scratchAcc, distillLoss: 1, mse: 1.5 },
});
const snapshot = { index: 0, label: 7, sparse: true, maskRatio: 0.6, size: 28, scales: [], queue: { fill: 4, capacity: 16, teacher: null, student: null } } as unknown as HgkdSnapshot;

describe('H-GKD slice', () => {
  it('keeps each phase’s points, the latest snapshot and the summary; a new run starts afresh', () => {
    const { store, emit } = fakes('?method=hgkd&student=resnet-xs');
    store.getState().train();
    emit(ready(1));
    emit(progress(1, 'distill', [distill(1), distill(2)]));
    emit({ type: 'hgkd-snapshot', runId: 1, step: 2, snapshot });
    emit(progress(1, 'finetune', [labelled('finetune', 1), labelled('finetune', 2)]));
    emit(progress(1, 'finetune', [labelled('finetune', 2, 0.8)])); // the final accuracy replaces the last point
    emit(progress(1, 'scratch', [labelled('scratch', 1)]));
    let h = store.getState().hgkd;
    expect(h.phase).toBe('scratch');
    expect(h.distill.map((p) => p.queueFill)).toEqual([4, 8]);
    expect(h.finetune.map((p) => [p.step, p.testAcc])).toEqual([[1, undefined], [2, 0.8]]);
    expect(h.scratch).toHaveLength(1);
    expect(h.snapshot).toEqual({ step: 2, snapshot });
    emit({ type: 'done', runId: 1, summary: summary(0.8, 0.6) });
    expect(store.getState().hgkd.summary).toMatchObject({ finetuneAcc: 0.8, scratchAcc: 0.6 });
    // The kept run: H-GKD's own measures, no feature difference.
    expect(store.getState().runs[0]).toMatchObject({ testAcc: 0.8, metrics: { pipeline: 'hgkd', scratchAcc: 0.6, mse: 1.5 } });

    store.getState().train();
    emit(ready(2));
    h = store.getState().hgkd;
    expect(h).toMatchObject({ phase: null, distill: [], finetune: [], scratch: [], snapshot: null, summary: null });
  });

  it('ignores progress without a phase (other methods, the closing count)', () => {
    const { store, emit } = fakes();
    emit({ type: 'progress', runId: 0, pipeline: 'distill', points: [], step: 3, steps: 3, stepsPerSec: 0, state: 'evaluating' });
    emit({ type: 'progress', runId: 0, pipeline: 'hgkd', phase: null, points: [], step: 3, steps: 3, stepsPerSec: 0, state: 'evaluating' });
    expect(store.getState().hgkd.phase).toBeNull();
  });
});

describe('Table 5 grid', () => {
  it('has the paper’s seven rows and one hgkd config per row and seed', () => {
    expect(TABLE5).toHaveLength(7);
    expect(new Set(TABLE5.map((r) => `${r.sparse}${r.unet}${r.sim}`)).size).toBe(7);
    const configs = ablationConfigs({ ...DEFAULT_CONFIG, student: 'resnet-xs', seed: 5 }, 2);
    expect(configs).toHaveLength(14);
    expect(configs.every((c) => c.method === 'hgkd')).toBe(true);
    expect(configs.map((c) => c.seed)).toEqual([...Array(7).fill(5), ...Array(7).fill(6)]);
    expect(() => ablationConfigs({ ...DEFAULT_CONFIG, student: 'mobilenet-s' }, 1)).toThrow(/ablation grid cannot run: student/);
  });

  it('runs the rows one after another and fills our accuracy per row', async () => {
    const { store, emit, sent } = fakes('?student=resnet-xs');
    store.getState().startAblationGrid(1);
    for (let i = 1; i <= 7; i++) {
      const start = sent.filter((c) => c.type === 'start').at(-1);
      const { sparse, unet, sim } = TABLE5[i - 1];
      expect(start).toMatchObject({ runId: i, config: { method: 'hgkd', sparse, unet, sim } });
      emit(ready(i));
      emit({ type: 'done', runId: i, summary: summary(0.5 + i / 100, 0.4) });
    }
    expect(sent.filter((c) => c.type === 'start')).toHaveLength(7);
    expect(store.getState().batch).toBeNull();
    expect(store.getState().config.method).toBe('mgd'); // the form's config is back
    const rows = ablationResults(store.getState().runs);
    expect(rows.map((r) => [r.label, r.n, r.mean])).toEqual(TABLE5.map((r, i) => [r.label, 1, 0.5 + (i + 1) / 100]));
  });
});
