/**
 * An H-GKD run through the worker's session in Node (wasm, real MNIST, the shipped MIM teacher):
 * the three phases stream in order, snapshots come with their buffers, pause / step / stop act
 * within a phase, a NaN loss and a missing loader end the run with a typed error.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_CONFIG, type ExperimentConfig, validateConfig } from '../core/config';
import { DATASETS } from '../core/data/datasets';
import { Vit, vitOptionsFor } from '../core/hgkd/vit';
import { initNodeBackend } from '../node/backend';
import { nodeDataSources } from '../node/dataSource';
import { nodeMimTeacher } from '../node/teacherStore';
import type { HgkdPoint, WorkerEvent } from './protocol';
import { type RunEnvironment, Session } from './session';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

const hgkd = (o: Partial<ExperimentConfig> = {}): ExperimentConfig =>
  validateConfig({
    ...DEFAULT_CONFIG, method: 'hgkd', student: 'resnet-xs', batch: 4, subset: 64, queue: 16, steps: 3, ftSteps: 3,
    eval: 2, testSize: 40, backend: 'wasm', ...o,
  }).config;

type Progress = Extract<WorkerEvent, { type: 'progress' }>;

function session(env: Partial<RunEnvironment> = {}) {
  const events: WorkerEvent[] = [];
  const transfers: Transferable[][] = [];
  const waiters: { pred: (e: WorkerEvent) => boolean; resolve: (e: WorkerEvent) => void }[] = [];
  const s = new Session(
    {
      initBackend: async () => ({ name: 'wasm', adapter: null, lost: null, kernels: 'reference', timings: [] }),
      loadTeacher: async () => { throw new Error('an H-GKD run must not load a CNN teacher'); },
      loadMimTeacher: (c) => nodeMimTeacher(c.dataset, c.mimTeacher),
      loadData: (c) => nodeDataSources(c.dataset, c.subset, c.seed),
      ...env,
    },
    (e, t = []) => {
      events.push(e);
      transfers.push(t);
      for (const w of [...waiters]) if (w.pred(e)) waiters.splice(waiters.indexOf(w), 1) && w.resolve(e);
    },
    { minFlushMs: 0 },
  );
  const next = (pred: (e: WorkerEvent) => boolean) =>
    events.find(pred) ? Promise.resolve(events.find(pred)!) : new Promise<WorkerEvent>((resolve) => waiters.push({ pred, resolve }));
  const hgkdPoints = (): HgkdPoint[] => events.flatMap((e) => (e.type === 'progress' && e.pipeline === 'hgkd' ? e.points : []));
  return { s, events, transfers, next, hgkdPoints, send: (c: Parameters<Session['handle']>[0]) => s.handle(c) };
}

type LabelledPoint = Extract<HgkdPoint, { phase: 'finetune' | 'scratch' }>;
const labelled = (pts: HgkdPoint[], phase: LabelledPoint['phase']) => pts.filter((p): p is LabelledPoint => p.phase === phase);
const progressIn = (phase: string, pred: (e: Progress) => boolean = () => true) => (e: WorkerEvent) => e.type === 'progress' && e.pipeline === 'hgkd' && e.phase === phase && pred(e);

describe('an H-GKD run in the session', () => {
  it('streams distillation, fine-tune and scratch phases, snapshots, then done with both accuracies', async () => {
    const h = session();
    h.send({ type: 'start', runId: 1, config: hgkd({ finalTest: 'full' }) });
    await h.s.settled();
    const start = h.events.slice(0, 5).map((e) => (e.type === 'starting' ? e.phase : e.type));
    expect(start).toEqual(['backend', 'ready', 'loading', 'prepared', 'first-step']);
    expect(h.events[3]).toMatchObject({ alphaHint: null, testCount: 10_000, finalEval: { kind: 'full', images: 10_000 } });

    const pts = h.hgkdPoints();
    const distill = pts.filter((p) => p.phase === 'distill');
    expect(distill.map((p) => p.step)).toEqual([1, 2, 3]);
    for (const p of distill) {
      if (p.phase !== 'distill') continue;
      for (const v of [p.loss, p.mse, p.simLoss, p.pearson]) expect(Number.isFinite(v)).toBe(true);
      expect(p.pearson).toBeCloseTo(1 - p.simLoss, 5);
    }
    expect(distill.map((p) => (p.phase === 'distill' ? p.queueFill : 0))).toEqual([4, 8, 12]);
    // Phases in order; each labelled phase has its steps, an evaluation at step 2, and the last point again with the full-test accuracy.
    const order = pts.map((p) => p.phase).filter((p, i, a) => a[i - 1] !== p);
    expect(order).toEqual(['distill', 'finetune', 'scratch']);
    for (const phase of ['finetune', 'scratch'] as const) {
      const ps = labelled(pts, phase);
      expect(ps.map((p) => p.step)).toEqual([1, 2, 3, 3]);
      expect(ps[1].testAcc).toBeGreaterThanOrEqual(0);
      expect(ps[3].testAcc).toBeGreaterThanOrEqual(0);
    }

    const snaps = h.events.filter((e): e is Extract<WorkerEvent, { type: 'hgkd-snapshot' }> => e.type === 'hgkd-snapshot');
    expect(snaps.length).toBeGreaterThanOrEqual(2); // after the first step and after the last
    expect(snaps[0].step).toBe(1);
    expect(snaps.at(-1)!.step).toBe(3);
    expect(snaps.at(-1)!.snapshot.queue.fill).toBe(12);
    expect(h.transfers[h.events.indexOf(snaps[0])].length).toBe(3 + 3 * 3 + 2);

    expect(h.events.at(-2)).toMatchObject({ type: 'progress', pipeline: 'hgkd', phase: null, step: 3, steps: 3, points: [] }); // phase-less closing count
    const done = h.events.at(-1)!;
    expect(done.type).toBe('done');
    if (done.type !== 'done') return;
    expect(done.summary).toMatchObject({ pipeline: 'hgkd', reason: 'completed', steps: 3, hgkd: { mode: 'finetune', distillSteps: 3, finetuneSteps: 3, scratchSteps: 3 }, finalEval: { kind: 'full', images: 10_000 } });
    if (done.summary.pipeline !== 'hgkd') throw new Error('an H-GKD summary');
    const { finetuneAcc, scratchAcc, mse, distillLoss } = done.summary.hgkd;
    expect(mse).toBe(pts.filter((p) => p.phase === 'distill').at(-1)!.mse); // the last distillation step's
    expect(distillLoss).toBe(pts.filter((p) => p.phase === 'distill').at(-1)!.loss);
    for (const acc of [finetuneAcc!, scratchAcc!]) expect(acc).toBeGreaterThan(0.02); // full test set, 3 steps: near chance, but a number
    expect(done.summary.testAcc).toBe(finetuneAcc);
    expect(labelled(pts, 'finetune').at(-1)!.testAcc).toBe(finetuneAcc);
  });

  it('pause holds a labelled phase, step takes one, stop ends the run before the baseline', async () => {
    const h = session();
    h.send({ type: 'start', runId: 1, config: hgkd({ steps: 2, ftSteps: 200, eval: 1000 }) });
    await h.next(progressIn('finetune', (e) => e.step >= 1));
    h.send({ type: 'pause' });
    const paused = (await h.next(progressIn('finetune', (e) => e.state === 'paused'))) as Progress;
    const count = h.events.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(h.events.length).toBe(count);
    h.send({ type: 'step' });
    await h.next(progressIn('finetune', (e) => e.state === 'paused' && e.step === paused.step + 1));
    h.send({ type: 'stop' });
    await h.s.settled();
    expect(h.events.at(-1)).toMatchObject({
      type: 'done',
      summary: { reason: 'stopped', steps: 2, testAcc: null, hgkd: { finetuneSteps: paused.step + 1, scratchSteps: 0, finetuneAcc: null, scratchAcc: null } },
    });
    expect(h.hgkdPoints().some((p) => p.phase === 'scratch')).toBe(false);
  });

  it('the mask view follows the chosen test image: at the start, and at once when it changes mid-distillation', async () => {
    const h = session();
    h.send({ type: 'snapshot', index: 7 });
    h.send({ type: 'start', runId: 1, config: hgkd({ steps: 500 }) });
    await h.next(progressIn('distill', (e) => e.step >= 1));
    h.send({ type: 'pause' });
    await h.next(progressIn('distill', (e) => e.state === 'paused'));
    type Snap = Extract<WorkerEvent, { type: 'hgkd-snapshot' }>;
    const first = (await h.next((e) => e.type === 'hgkd-snapshot')) as Snap;
    expect(first.snapshot.index).toBe(7);
    h.send({ type: 'snapshot', index: 12 });
    const moved = (await h.next((e) => e.type === 'hgkd-snapshot' && e.snapshot.index === 12)) as Snap;
    expect(moved.step).toBeGreaterThanOrEqual(first.step); // taken while paused, without another step
    expect(Array.from(moved.snapshot.image)).not.toEqual(Array.from(first.snapshot.image));
    h.send({ type: 'stop' });
    await h.s.settled();
    expect(h.events.at(-1)).toMatchObject({ type: 'done', summary: { reason: 'stopped' } });
  });

  it('stop during distillation ends the run with no labelled phases', async () => {
    const h = session();
    h.send({ type: 'start', runId: 1, config: hgkd({ steps: 500 }) });
    await h.next(progressIn('distill', (e) => e.step >= 2));
    h.send({ type: 'stop' });
    await h.s.settled();
    const done = h.events.at(-1)!;
    expect(done).toMatchObject({ type: 'done', summary: { reason: 'stopped', hgkd: { finetuneSteps: 0, scratchSteps: 0 } } });
    expect(done.type === 'done' && done.summary.steps).toBeLessThan(500);
  });

  it('a NaN teacher ends the run with a nan error; a missing MIM loader with a clear one; no tensors left', async () => {
    const before = tf.memory().numTensors;
    const nanTeacher = async () => {
      const vit = new Vit(vitOptionsFor(DATASETS.mnist), 1, 'nan-teacher');
      tf.tidy(() => vit.params.named().forEach(([, v]) => v.assign(tf.fill(v.shape, NaN))));
      return vit;
    };
    const h = session({ loadMimTeacher: nanTeacher });
    h.send({ type: 'start', runId: 1, config: hgkd() });
    await h.s.settled();
    expect(h.events.at(-1)).toMatchObject({ type: 'error', runId: 1, kind: 'nan' });

    const bare = session({ loadMimTeacher: undefined });
    bare.send({ type: 'start', runId: 2, config: hgkd() });
    await bare.s.settled();
    expect(bare.events.at(-1)).toMatchObject({ type: 'error', runId: 2, message: expect.stringMatching(/cannot load MIM teachers/) });
    expect(tf.memory().numTensors).toBe(before);
  });
});
