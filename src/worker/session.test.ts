/**
 * The worker's session, driven directly in Node (wasm backend, real MNIST, an untrained
 * teacher): the protocol as the page sees it, without a Worker.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_CONFIG, type ExperimentConfig, validateConfig } from '../core/config';
import { DataError } from '../core/data/decode';
import { Net } from '../core/models/net';
import { resolveArch } from '../core/models/registry';
import { initNodeBackend } from '../node/backend';
import { nodeDataSources } from '../node/dataSource';
import { deserializeNet } from '../core/models/serialize';
import { DeviceLostError } from './errors';
import type { Command, MetricsPoint, WorkerEvent } from './protocol';
import { type BackendHandle, type RunEnvironment, Session, type SessionOptions } from './session';
import { MNIST_NET } from '../../tests/helpers';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

const tiny = (o: Partial<ExperimentConfig> = {}): ExperimentConfig =>
  validateConfig({ ...DEFAULT_CONFIG, teacher: 'resnet-s', student: 'resnet-xs', batch: 8, subset: 64, steps: 6, eval: 1000, testSize: 100, backend: 'wasm', ...o }).config;

interface Harness {
  session: Session;
  events: WorkerEvent[];
  times: number[]; // performance.now() of each event
  send(c: Command): void;
  /** Resolves with the first event (from now on or already seen) matching `pred`. */
  next(pred: (e: WorkerEvent) => boolean): Promise<WorkerEvent>;
  points(): MetricsPoint[];
  transfers: Transferable[][]; // per event, what it transferred
}

function harness(env: Partial<RunEnvironment> = {}, minFlushMs = 50, options: SessionOptions = {}): Harness {
  const events: WorkerEvent[] = [];
  const transfers: Transferable[][] = [];
  const times: number[] = [];
  const waiters: { pred: (e: WorkerEvent) => boolean; resolve: (e: WorkerEvent) => void }[] = [];
  const full: RunEnvironment = {
    initBackend: async (): Promise<BackendHandle> => ({ name: 'wasm', adapter: null, lost: null, kernels: 'reference', timings: [] }),
    loadTeacher: async () => new Net(resolveArch('resnet-s'), 99, 'teacher', MNIST_NET),
    loadData: (c) => nodeDataSources(c.dataset, c.subset, c.seed),
    ...env,
  };
  const session = new Session(full, (e, transfer = []) => {
    events.push(e);
    transfers.push(transfer);
    times.push(performance.now());
    for (const w of [...waiters]) if (w.pred(e)) waiters.splice(waiters.indexOf(w), 1) && w.resolve(e);
  }, { minFlushMs, ...options });
  return {
    session,
    events,
    transfers,
    times,
    send: (c) => session.handle(c),
    next: (pred) => {
      const seen = events.find(pred);
      return seen ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ pred, resolve }));
    },
    points: () => events.flatMap((e) => (e.type === 'progress' && e.pipeline === 'distill' ? e.points : [])),
  };
}

const isType = <T extends WorkerEvent['type']>(type: T) => (e: WorkerEvent): e is Extract<WorkerEvent, { type: T }> => e.type === type;
const terminal = (e: WorkerEvent) => e.type === 'done' || e.type === 'error';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a run', () => {
  it('emits ready, batched progress with every step, then done with a summary', async () => {
    const h = harness();
    h.send({ type: 'start', runId: 1, config: tiny({ steps: 12, eval: 5 }) });
    await h.session.settled();
    expect(h.events.find(isType('ready'))).toEqual({ type: 'ready', runId: 1, backend: 'wasm', adapter: null, kernels: 'reference', timings: [] });
    const done = h.events.at(-1)!;
    expect(done.type).toBe('done');
    if (done.type !== 'done') return;
    expect(done.summary).toMatchObject({ reason: 'completed', steps: 12, liveChanges: [], teacherCached: true });
    expect(done.summary.testAcc).toBeGreaterThanOrEqual(0);
    const points = h.points();
    expect(points.map((p) => p.step)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    for (const p of points) expect(Number.isFinite(p.loss) && Number.isFinite(p.difference)).toBe(true);
    // Periodic evaluation at 5 and 10; the full-test-set accuracy comes with done.
    expect(points.filter((p) => p.testAcc !== undefined).map((p) => p.step)).toEqual([5, 10]);
    const progress = h.events.filter(isType('progress'));
    expect(progress.every((e) => e.runId === 1 && e.steps === 12)).toBe(true);
    // Every point is out before the final evaluation starts.
    expect(progress.at(-1)).toMatchObject({ state: 'evaluating', step: 12 });
    expect(h.events.slice(h.events.indexOf(progress.at(-1)!) + 1).map((e) => e.type)).toEqual(['features', 'done']); // the final snapshot
  });

  it('sends at most one progress event per flush interval', async () => {
    const h = harness({}, 200);
    h.send({ type: 'start', runId: 1, config: tiny({ steps: 30 }) });
    await h.session.settled();
    expect(h.points()).toHaveLength(30);
    const times = h.times.filter((_, i) => h.events[i].type === 'progress');
    // The final flush (after the full evaluation) may follow the previous one closely.
    const gaps = times.slice(1, -1).map((t, i) => t - times[i]);
    for (const g of gaps) expect(g).toBeGreaterThanOrEqual(199);
    expect(times.length).toBeLessThan(30);
  });

  it('leaves no tensors behind', async () => {
    const h = harness();
    // A first run creates what tfjs keeps for good (cached constants); count after it.
    // Method kd: Trainer.suggestAlpha leaks its 2-float result for feature methods (a core fix).
    h.send({ type: 'start', runId: 1, config: tiny({ steps: 2, method: 'kd' }) });
    await h.session.settled();
    const before = tf.memory().numTensors;
    h.send({ type: 'start', runId: 2, config: tiny({ steps: 3, method: 'kd' }) });
    await h.session.settled();
    // Run 1's nets, kept for snapshots after it ended, were released by run 2's start; run 2's took their place.
    expect(tf.memory().numTensors).toBe(before);
    h.send({ type: 'snapshot', index: 1 });
    await h.session.settled();
    expect(h.events.at(-1)).toMatchObject({ type: 'features', runId: 2, step: 3 });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('controls', () => {
  it('pause holds the step count, step takes exactly one, resume finishes', async () => {
    const h = harness({}, 0);
    h.send({ type: 'start', runId: 1, config: tiny({ steps: 60 }) });
    await h.next((e) => e.type === 'progress' && e.step >= 2);
    h.send({ type: 'pause' });
    const paused = (await h.next((e) => e.type === 'progress' && e.state === 'paused')) as Extract<WorkerEvent, { type: 'progress' }>;
    const count = h.events.length;
    await sleep(300);
    expect(h.events.length).toBe(count); // nothing while paused
    expect(h.points().at(-1)!.step).toBe(paused.step);

    h.send({ type: 'step' });
    await h.next((e) => e.type === 'progress' && e.state === 'paused' && e.step === paused.step + 1);
    await sleep(200);
    expect(h.points().at(-1)!.step).toBe(paused.step + 1);

    h.send({ type: 'resume' });
    await h.session.settled();
    expect(h.events.at(-1)).toMatchObject({ type: 'done', summary: { reason: 'completed', steps: 60 } });
    expect(h.points().map((p) => p.step)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  });

  it('stop ends the run with a stopped summary, without the full evaluation', async () => {
    const h = harness({}, 0);
    h.send({ type: 'start', runId: 1, config: tiny({ steps: 500 }) });
    await h.next((e) => e.type === 'progress' && e.step >= 2);
    h.send({ type: 'stop' });
    await h.session.settled();
    const done = h.events.at(-1)!;
    expect(done).toMatchObject({ type: 'done', summary: { reason: 'stopped', testAcc: null } });
    if (done.type === 'done') expect(done.summary.steps).toBe(h.points().at(-1)!.step);
    expect(done.type === 'done' && done.summary.steps).toBeLessThan(500);
  });

  it('stop during the final evaluation skips the rest of it', async () => {
    const h = harness({}, 0);
    h.send({ type: 'start', runId: 1, config: tiny({ steps: 2 }) });
    await h.next((e) => e.type === 'progress' && e.state === 'evaluating');
    h.send({ type: 'stop' });
    await h.session.settled();
    expect(h.events.at(-1)).toMatchObject({ type: 'done', summary: { reason: 'stopped', steps: 2, testAcc: null } });
  });

  it('live α and λ apply at the next step and are recorded', async () => {
    const h = harness({}, 0);
    h.send({ type: 'start', runId: 1, config: tiny({ steps: 100, alpha: 5e-4, lambda: 0.5 }) });
    await h.next((e) => e.type === 'progress' && e.step >= 1);
    h.send({ type: 'pause' });
    const paused = (await h.next((e) => e.type === 'progress' && e.state === 'paused')) as Extract<WorkerEvent, { type: 'progress' }>;
    h.send({ type: 'set', param: 'alpha', value: 2e-3 });
    h.send({ type: 'set', param: 'lambda', value: 0.25 });
    h.send({ type: 'step' });
    await h.next((e) => e.type === 'progress' && e.step === paused.step + 1);
    h.send({ type: 'stop' });
    await h.session.settled();
    const pts = h.points();
    const before = pts.find((p) => p.step === paused.step)!;
    const after = pts.find((p) => p.step === paused.step + 1)!;
    expect([before.alpha, before.lambda]).toEqual([5e-4, 0.5]);
    expect([after.alpha, after.lambda]).toEqual([2e-3, 0.25]);
    expect(after.distillLoss).toBeCloseTo(2e-3 * after.featureLoss, 4);
    const done = h.events.at(-1)!;
    expect(done.type === 'done' && done.summary.liveChanges).toEqual([
      { step: paused.step + 1, param: 'alpha', value: 2e-3 },
      { step: paused.step + 1, param: 'lambda', value: 0.25 },
    ]);
  });

  it('a start during a run stops it; only the new run completes', async () => {
    const h = harness({}, 0);
    h.send({ type: 'start', runId: 1, config: tiny({ steps: 500 }) });
    await h.next((e) => e.type === 'progress');
    h.send({ type: 'start', runId: 2, config: tiny({ steps: 3 }) });
    await h.session.settled();
    expect(h.events.filter(terminal).map((e) => [e.runId, e.type === 'done' && e.summary.reason])).toEqual([
      [1, 'stopped'],
      [2, 'completed'],
    ]);
  });

  it('commands without a run are ignored; init reports the backend', async () => {
    const h = harness();
    for (const type of ['pause', 'resume', 'step', 'stop'] as const) h.send({ type });
    h.send({ type: 'set', param: 'alpha', value: 1 });
    h.send({ type: 'init', backend: 'auto' });
    await h.session.settled();
    expect(h.events).toEqual([{ type: 'ready', runId: null, backend: 'wasm', adapter: null, kernels: 'reference', timings: [] }]);
  });
});

describe('errors end the run, not the session', () => {
  async function expectUsable(h: Harness): Promise<void> {
    h.send({ type: 'start', runId: 99, config: tiny({ steps: 2 }) });
    await h.session.settled();
    expect(h.events.at(-1)).toMatchObject({ type: 'done', runId: 99, summary: { reason: 'completed', steps: 2 } });
  }

  it('a huge α makes the loss infinite: a nan error naming the step', async () => {
    const h = harness({}, 0);
    h.send({ type: 'start', runId: 1, config: tiny({ steps: 100 }) });
    await h.next((e) => e.type === 'progress' && e.step >= 1);
    h.send({ type: 'set', param: 'alpha', value: 1e38 });
    const err = await h.next(terminal);
    expect(err).toMatchObject({ type: 'error', runId: 1, kind: 'nan' });
    expect(err.type === 'error' && err.message).toMatch(/loss became (Infinity|NaN) at step \d+/);
    await expectUsable(h);
  });

  it('an invalid config names the field', async () => {
    const h = harness();
    h.send({ type: 'start', runId: 1, config: { ...tiny(), batch: -3 } });
    expect(await h.next(terminal)).toMatchObject({ type: 'error', kind: 'config', field: 'batch' });
    await expectUsable(h);
  });

  it('an invalid live value is a config error', async () => {
    const h = harness({}, 0);
    h.send({ type: 'start', runId: 1, config: tiny({ steps: 100 }) });
    await h.next((e) => e.type === 'progress');
    h.send({ type: 'set', param: 'lambda', value: 1.5 });
    expect(await h.next(terminal)).toMatchObject({ type: 'error', kind: 'config', field: 'lambda' });
    await expectUsable(h);
  });

  it('a missing data file is a data error', async () => {
    let fail = true;
    const h = harness({
      loadData: async (c) => {
        if (fail) throw new DataError('data/mnist-train.bin.gz', 'missing', 'not found');
        return nodeDataSources(c.dataset, c.subset, c.seed);
      },
    });
    h.send({ type: 'start', runId: 1, config: tiny() });
    expect(await h.next(terminal)).toMatchObject({ type: 'error', kind: 'data', message: expect.stringContaining('mnist-train') });
    fail = false;
    await expectUsable(h);
  });

  it('a backend that cannot start is reported', async () => {
    let fail = true;
    const h = harness({
      initBackend: async () => {
        if (fail) throw new (await import('./errors')).BackendUnavailableError('webgpu', 'no adapter');
        return { name: 'wasm', adapter: null, lost: null, kernels: 'reference', timings: [] };
      },
    });
    h.send({ type: 'start', runId: 1, config: tiny() });
    expect(await h.next(terminal)).toMatchObject({ type: 'error', kind: 'backend', message: expect.stringContaining('webgpu') });
    fail = false;
    await expectUsable(h);
  });

  it('a lost GPU device mid-run is a device-lost error', async () => {
    let lose: (e: DeviceLostError) => void = () => {};
    const lost = new Promise<DeviceLostError>((r) => (lose = r));
    let first = true;
    const h = harness(
      {
        initBackend: async () => {
          const handle: BackendHandle = { name: 'webgpu', adapter: { vendor: 'test', architecture: 'fake', isFallback: true }, lost: first ? lost : null, kernels: 'webgpu', timings: [] };
          first = false;
          return handle;
        },
      },
      0,
    );
    h.send({ type: 'start', runId: 1, config: tiny({ steps: 500 }) });
    await h.next((e) => e.type === 'progress' && e.step >= 2);
    lose(new DeviceLostError('unknown', 'the GPU process crashed'));
    expect(await h.next(terminal)).toMatchObject({ type: 'error', runId: 1, kind: 'device-lost', message: expect.stringContaining('GPU process crashed') });
    await expectUsable(h);
  });

  it('an unexpected throw is internal', async () => {
    const h = harness({ loadTeacher: async () => { throw new TypeError('boom'); } });
    h.send({ type: 'start', runId: 1, config: tiny() });
    expect(await h.next(terminal)).toMatchObject({ type: 'error', kind: 'internal', message: 'boom' });
  });
});

describe('feature snapshots and exports', () => {
  it('prepared before the first step; transferred snapshots of the chosen image during the run and after the last step', async () => {
    const h = harness({}, 50, { snapshotMs: 0 }); // a snapshot after every step
    h.send({ type: 'snapshot', index: 5 });
    h.send({ type: 'start', runId: 1, config: tiny({ steps: 4, method: 'mgd' }) });
    await h.next(isType('progress'));
    h.send({ type: 'snapshot', index: 11 });
    await h.session.settled();
    const types = h.events.map((e) => e.type);
    expect(types.indexOf('prepared')).toBeLessThan(types.indexOf('progress'));
    const prepared = h.events.find(isType('prepared'))!;
    expect(prepared).toMatchObject({ runId: 1, teacherCached: true, testCount: 10000 });
    expect(prepared.alphaHint).toBeGreaterThan(0);
    const features = h.events.filter(isType('features'));
    expect(features.map((f) => f.step)).toEqual([1, 2, 3, 4, 4]); // every step, and the final one
    expect(features[0].snapshot.index).toBe(5);
    expect(features.at(-1)!.snapshot.index).toBe(11);
    expect(features[0].snapshot.maps.map((m) => m.kind)).toEqual(['input', 'teacher', 'student', 'mask', 'masked', 'generated', 'error']);
    const i = h.events.indexOf(features[0]);
    expect(h.transfers[i]).toHaveLength(14); // values + attention of the 7 maps
    expect(h.transfers[i]).toContain(features[0].snapshot.maps[1].values.buffer);
    expect(types.at(-1)).toBe('done');
  });

  it('says what a starting run is doing, then measures the final accuracy on its finalEvaluation', async () => {
    const h = harness();
    h.send({ type: 'start', runId: 1, config: tiny({ steps: 3, testSize: 100 }) }); // auto: 24 images trained → quick
    await h.session.settled();
    const before = h.events.slice(0, h.events.findIndex(isType('progress')));
    expect(before.map((e) => (e.type === 'starting' ? e.phase : e.type))).toEqual(['backend', 'ready', 'loading', 'teacher-outputs', 'prepared', 'first-step']);
    expect(h.events.find(isType('prepared'))!.finalEval).toEqual({ kind: 'quick', images: 100 });
    const done = h.events.find(isType('done'))!;
    expect(done.summary.finalEval).toEqual({ kind: 'quick', images: 100 });
    expect(Math.round(done.summary.testAcc! * 100)).toBeCloseTo(done.summary.testAcc! * 100, 9); // k of 100 images

    const stopped = harness({}, 0);
    stopped.send({ type: 'start', runId: 2, config: tiny({ steps: 500, finalTest: 'full' }) });
    expect(((await stopped.next(isType('prepared'))) as Extract<WorkerEvent, { type: 'prepared' }>).finalEval).toEqual({ kind: 'full', images: 10000 });
    stopped.send({ type: 'stop' });
    await stopped.session.settled();
    expect(stopped.events.find(isType('done'))!.summary.finalEval).toBeUndefined(); // no final evaluation ran
  });

  it('snapshots at most every snapshotMs; a paused run answers a new image at once', async () => {
    const h = harness({}, 50, { snapshotMs: 60_000 });
    h.send({ type: 'start', runId: 1, config: tiny({ steps: 50 }) });
    await h.next((e) => e.type === 'progress' && e.step >= 2);
    h.send({ type: 'pause' });
    await h.next((e) => e.type === 'progress' && e.state === 'paused');
    expect(h.events.filter(isType('features')).map((f) => f.step)).toEqual([1]); // the first step only
    h.send({ type: 'snapshot', index: 3 });
    const shot = (await h.next((e) => e.type === 'features' && e.snapshot.index === 3)) as Extract<WorkerEvent, { type: 'features' }>;
    expect(shot.step).toBeGreaterThanOrEqual(2);
    h.send({ type: 'stop' });
    await h.session.settled();
    expect(h.events.at(-1)!.type).toBe('done');
  });

  it('after a run has ended, a new image is answered from its kept nets until the next start; not after a failed run', async () => {
    const h = harness();
    h.send({ type: 'snapshot', index: 2 });
    await h.session.settled();
    expect(h.events).toEqual([]); // no run yet: nothing to snapshot
    h.send({ type: 'start', runId: 1, config: tiny({ steps: 3, method: 'mgd' }) });
    await h.session.settled();
    const last = h.events.filter(isType('features')).at(-1)!;
    expect(last.snapshot.index).toBe(2);
    const count = h.events.length;
    h.send({ type: 'snapshot', index: 9 });
    await h.session.settled();
    const after = h.events.slice(count);
    expect(after.map((e) => e.type)).toEqual(['features']);
    const shot = after[0] as Extract<WorkerEvent, { type: 'features' }>;
    expect(shot).toMatchObject({ runId: 1, step: 3, snapshot: { index: 9 } });
    expect(shot.snapshot.maps[0].values).not.toEqual(last.snapshot.maps[0].values); // another input image
    // The same weights: the teacher's feature of image 2 again equals the run's last snapshot of it.
    h.send({ type: 'snapshot', index: 2 });
    await h.session.settled();
    const again = h.events.at(-1) as Extract<WorkerEvent, { type: 'features' }>;
    expect(again.snapshot.maps.map((m) => [...m.values])).toEqual(last.snapshot.maps.map((m) => [...m.values]));

    // A failed run keeps nothing: the image pick is remembered, but no snapshot comes.
    const boom = harness({ loadData: async () => Promise.reject(new Error('boom')) });
    boom.send({ type: 'start', runId: 1, config: tiny() });
    await boom.session.settled();
    const n = boom.events.length;
    boom.send({ type: 'snapshot', index: 4 });
    await boom.session.settled();
    expect(boom.events.slice(n)).toEqual([]);
  });

  it('an export during the final evaluation is answered before it ends', async () => {
    const h = harness();
    h.send({ type: 'start', runId: 1, config: tiny({ steps: 2 }) });
    await h.next((e) => e.type === 'progress' && e.state === 'evaluating');
    h.send({ type: 'export', requestId: 9 });
    await h.session.settled();
    const exported = h.events.findIndex((e) => e.type === 'exported' && e.requestId === 9 && e.model !== null);
    expect(exported).toBeGreaterThan(0);
    expect(exported).toBeLessThan(h.events.findIndex(isType('done')));
  });

  it('exports the live student during a run and the finished one after; nothing before any run', async () => {
    const h = harness();
    h.send({ type: 'export', requestId: 1 });
    await h.session.settled();
    expect(h.events).toEqual([{ type: 'exported', runId: null, requestId: 1, step: 0, model: null, message: expect.stringMatching(/no trained student/) }]);

    h.send({ type: 'start', runId: 2, config: tiny({ steps: 30 }) });
    await h.next((e) => e.type === 'progress' && e.step >= 2);
    h.send({ type: 'export', requestId: 2 });
    const live = (await h.next((e) => e.type === 'exported' && e.requestId === 2)) as Extract<WorkerEvent, { type: 'exported' }>;
    expect(live.runId).toBe(2);
    expect(live.step).toBeGreaterThanOrEqual(2);
    h.send({ type: 'stop' });
    await h.session.settled();
    const stopped = h.events.find(isType('done'))!.summary.steps;

    h.send({ type: 'export', requestId: 3 });
    await h.session.settled();
    const after = h.events.at(-1)!;
    if (after.type !== 'exported' || !after.model) throw new Error(`expected an export, got ${JSON.stringify(after)}`);
    expect(after).toMatchObject({ runId: 2, requestId: 3, step: stopped });
    expect(h.transfers.at(-1)).toEqual([after.model.weights]);
    // The engine's loader reads it back as the student the run trained.
    const net = deserializeNet(after.model.modelJson, after.model.weights, 'exported', 'export');
    expect(net.arch).toBe('resnet:8-16-32x1');
    expect(after.model.modelJson.meta).toMatchObject({ role: 'student', step: stopped, config: expect.stringContaining('student=resnet-xs') });
    net.dispose();
  });
});

describe('initial state (Open in PyTorch)', () => {
  it('between runs: the seed\'s initial weights and subset, arrays transferred; the same again', async () => {
    const h = harness();
    h.send({ type: 'initial-state', requestId: 7, config: tiny({ method: 'mgd', seed: 4 }) });
    h.send({ type: 'initial-state', requestId: 8, config: tiny({ method: 'mgd', seed: 4 }) });
    await h.session.settled();
    const [a, b] = h.events.filter(isType('initial-state'));
    expect([a.requestId, b.requestId]).toEqual([7, 8]);
    if (!a.state || !b.state) throw new Error(a.message ?? b.message);
    expect(a.state.subset.length).toBe(64);
    expect(a.state.student.map((t) => t.name)).toContain('stem.conv.w');
    expect(a.state.heads.map((t) => t.name)).toEqual(expect.arrayContaining(['align0.w', 'gen0.conv1.w']));
    expect(Array.from(a.state.student[0].data)).toEqual(Array.from(b.state.student[0].data));
    expect(h.transfers[h.events.indexOf(a)].length).toBe(a.state.teacher.length + a.state.student.length + a.state.heads.length + 1);
  });
  it('during a run it is answered before the run ends; method=hgkd gets the reason', async () => {
    const h = harness();
    h.send({ type: 'start', runId: 1, config: tiny({ steps: 30 }) });
    await h.next(isType('progress'));
    h.send({ type: 'initial-state', requestId: 1, config: tiny() });
    const answer = await h.next(isType('initial-state'));
    expect(h.events.some(terminal)).toBe(false);
    expect(answer.type === 'initial-state' && answer.state !== null).toBe(true);
    h.send({ type: 'stop' });
    h.send({ type: 'initial-state', requestId: 2, config: tiny({ method: 'hgkd' }) });
    await h.session.settled();
    const hgkd = h.events.filter(isType('initial-state')).find((e) => e.requestId === 2)!;
    expect(hgkd.state).toBeNull();
    expect(hgkd.message).toMatch(/method=hgkd/);
  });
});
