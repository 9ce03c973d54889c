/**
 * A run with live α / λ changes is reproducible from its config: its changes written into the
 * config's schedules (alphaAt, lambdaAt) replay at the same steps, in the worker's session and in
 * the headless runner's runExperiment, giving the same numbers step for step (wasm, Node).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ExperimentConfig, decodeConfig, encodeConfig, validateConfig, withChanges } from '../core/config';
import { Net } from '../core/models/net';
import { resolveArch } from '../core/models/registry';
import { runExperiment } from '../core/train/experiment';
import { initNodeBackend } from '../node/backend';
import { nodeDataSources } from '../node/dataSource';
import type { MetricsPoint, RunSummary, WorkerEvent } from './protocol';
import { type RunEnvironment, Session } from './session';
import { MNIST_NET } from '../../tests/helpers';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

const config = (o: Partial<ExperimentConfig> = {}): ExperimentConfig =>
  validateConfig({ ...DEFAULT_CONFIG, teacher: 'resnet-s', student: 'resnet-xs', batch: 8, subset: 64, steps: 6, eval: 1000, testSize: 100, backend: 'wasm', ...o }).config;

const teacher = async () => new Net(resolveArch('resnet-s'), 99, 'teacher', MNIST_NET);
const env: RunEnvironment = {
  initBackend: async () => ({ name: 'wasm', adapter: null, lost: null, kernels: 'reference', timings: [] }),
  loadTeacher: teacher,
  loadData: (c) => nodeDataSources(c.dataset, c.subset, c.seed),
};

/** Runs one config in a fresh session; `live` is called on the first paused progress (then resumes). */
async function sessionRun(c: ExperimentConfig, live?: (send: Session['handle']) => void): Promise<{ points: MetricsPoint[]; summary: RunSummary }> {
  const events: WorkerEvent[] = [];
  let session: Session | null = null;
  let paused = false;
  session = new Session(env, (e) => {
    events.push(e);
    if (!live || !session) return;
    if (e.type === 'progress' && e.step === 2 && !paused) {
      paused = true;
      session.handle({ type: 'pause' });
    } else if (e.type === 'progress' && e.state === 'paused' && paused) {
      live((cmd) => session!.handle(cmd));
      live = undefined;
      session.handle({ type: 'resume' });
    }
  }, { minFlushMs: 0 });
  session.handle({ type: 'start', runId: 1, config: c });
  await session.settled();
  const done = events.find((e) => e.type === 'done');
  if (done?.type !== 'done') throw new Error(`no done event: ${JSON.stringify(events.find((e) => e.type === 'error'))}`);
  return { points: events.flatMap((e) => (e.type === 'progress' && e.pipeline === 'distill' ? e.points : [])), summary: done.summary };
}

const losses = (ps: readonly { loss: number; alpha: number; lambda: number }[]) => ps.map((p) => [p.loss, p.alpha, p.lambda]);

describe('α / λ schedules', () => {
  it('a run with live changes, replayed from its link, gives the same numbers in the session and in the runner', async () => {
    const start = config();
    const live = await sessionRun(start, (send) => {
      send({ type: 'set', param: 'alpha', value: 2e-3 });
      send({ type: 'set', param: 'lambda', value: 0.25 });
    });
    const at = live.summary.liveChanges[0].step;
    expect(at).toBeGreaterThanOrEqual(3);
    expect(live.summary.liveChanges).toEqual([
      { step: at, param: 'alpha', value: 2e-3 },
      { step: at, param: 'lambda', value: 0.25 },
    ]);

    // The run's link: its starting values plus the schedule of its changes.
    const url = encodeConfig(withChanges(start, live.summary.liveChanges, live.summary.steps));
    expect(url).toContain(`alphaAt=${at}:0.002`);
    expect(url).toContain(`lambdaAt=${at}:0.25`);
    expect(url).not.toContain('alpha=');
    const { config: replay, issues } = decodeConfig(url);
    expect(issues).toEqual([]);

    const again = await sessionRun(replay);
    expect(losses(again.points)).toEqual(losses(live.points));
    expect(again.summary.liveChanges).toEqual(live.summary.liveChanges); // the markers come back too

    const runner = await runExperiment(replay, { backend: 'wasm', teacher, data: (c) => nodeDataSources(c.dataset, c.subset, c.seed) });
    expect(losses(runner.history)).toEqual(losses(live.points));
    expect(runner.final.testAcc).toBe(live.summary.testAcc);
  }, 120_000);
});
