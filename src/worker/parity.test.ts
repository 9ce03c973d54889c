/**
 * The page and the runner run one loop: the worker's session and the headless runner's
 * runExperiment, given the same config, give the same metrics at every step (timings aside) and
 * the same final accuracies, for an MGD run and an H-GKD run (wasm, Node, shipped teachers).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeConfig, type ExperimentConfig } from '../core/config';
import { type ExperimentDeps, runExperiment } from '../core/train/experiment';
import { nodeExperimentDeps } from '../node/experimentDeps';
import type { HgkdPoint, MetricsPoint, RunSummary, WorkerEvent } from './protocol';
import { Session } from './session';

let deps: ExperimentDeps;
beforeAll(async () => {
  deps = await nodeExperimentDeps('wasm');
});

function parse(query: string): ExperimentConfig {
  const { config, issues } = decodeConfig(query);
  expect(issues).toEqual([]);
  return config;
}

/** A run through a fresh session on the runner's loaders: its events and summary. */
async function sessionRun(config: ExperimentConfig): Promise<{ events: WorkerEvent[]; summary: RunSummary }> {
  const events: WorkerEvent[] = [];
  const session = new Session(
    {
      initBackend: async () => ({ name: 'wasm', adapter: null, lost: null, kernels: 'reference', timings: [] }),
      loadTeacher: deps.teacher,
      loadMimTeacher: deps.mimTeacher,
      loadData: deps.data,
    },
    (e) => events.push(e),
    { minFlushMs: 0 },
  );
  session.handle({ type: 'start', runId: 1, config });
  await session.settled();
  const done = events.find((e) => e.type === 'done');
  if (done?.type !== 'done') throw new Error(`no done event: ${JSON.stringify(events.find((e) => e.type === 'error'))}`);
  return { events, summary: done.summary };
}

/** A step's numbers, timings dropped (the only thing allowed to differ). */
const numbers = (row: object) => Object.fromEntries(Object.entries(row).filter(([k, v]) => typeof v === 'number' && !/Ms$|PerSec$/.test(k)));

describe('the worker session and the runner agree step for step', () => {
  it('MGD (pixel mask, λ 0.5)', async () => {
    const config = parse('student=resnet-xs&batch=16&subset=128&steps=5&eval=2&testSize=100&seed=3&method=mgd&lambda=0.5');
    const worker = await sessionRun(config);
    const runner = await runExperiment(config, deps);
    const points: MetricsPoint[] = worker.events.flatMap((e) => (e.type === 'progress' && e.pipeline === 'distill' ? e.points : []));
    expect(points.map((p) => p.step)).toEqual([1, 2, 3, 4, 5]);
    // The runner's last row carries the final accuracy; the session sends it in the summary.
    const { testAcc: finalAcc, ...lastRow } = runner.history[4];
    expect(points.map(numbers)).toEqual([...runner.history.slice(0, 4), lastRow].map(numbers));
    expect(points.filter((p) => p.testAcc !== undefined).map((p) => p.step)).toEqual([2, 4]);
    expect(worker.summary.testAcc).toBe(finalAcc);
    expect(worker.summary.testAcc).toBe(runner.final.testAcc);
    if (runner.final.pipeline !== 'distill') throw new Error('a Distiller result');
    expect(worker.summary).toMatchObject({ pipeline: 'distill', reason: 'completed', steps: 5, loss: runner.final.loss, trainAcc: runner.final.trainAcc });
  }, 300_000);

  it('H-GKD (distill, fine-tune, scratch)', async () => {
    const config = parse('method=hgkd&student=resnet:8-16x1&batch=8&subset=64&steps=3&ftSteps=2&eval=2&testSize=100&seed=3&queue=64');
    const worker = await sessionRun(config);
    const runner = await runExperiment(config, deps);
    const hgkd = runner.hgkd!;
    const sent: HgkdPoint[] = worker.events.flatMap((e) => (e.type === 'progress' && e.pipeline === 'hgkd' ? e.points : []));
    // A labelled phase's last point comes again with its final accuracy: the later one stands, as on the page.
    const byStep = new Map(sent.map((p) => [`${p.phase}:${p.step}`, p]));
    const phase = (name: HgkdPoint['phase']) => [...byStep.values()].filter((p) => p.phase === name).map(numbers);
    expect(phase('distill')).toEqual(hgkd.distill.history.map(numbers));
    expect(phase('finetune')).toEqual(hgkd.finetune.history.map(numbers));
    expect(phase('scratch')).toEqual(hgkd.scratch.history.map(numbers));
    expect(phase('distill').length).toBe(3);
    expect(phase('scratch').length).toBe(2);
    if (worker.summary.pipeline !== 'hgkd' || runner.final.pipeline !== 'hgkd') throw new Error('H-GKD results');
    const { final } = runner;
    expect(worker.summary.hgkd).toMatchObject({ distillSteps: 3, finetuneSteps: 2, scratchSteps: 2, finetuneAcc: final.testAcc, scratchAcc: final.scratchAcc, mse: final.mse, distillLoss: final.distillLoss });
    expect(final).toMatchObject({ testAcc: hgkd.finetune.testAcc, scratchAcc: hgkd.scratch.testAcc, mse: hgkd.distill.last!.mse, finetuneLoss: hgkd.finetune.loss });
    expect(worker.summary).toMatchObject({ reason: 'completed', testAcc: final.testAcc, trainAcc: final.trainAcc });
  }, 300_000);
});
