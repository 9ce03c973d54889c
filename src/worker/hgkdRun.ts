/**
 * An H-GKD run (method=hgkd) inside the worker's session, in three phases, each streamed:
 *   distill  — the masked sparse student learns the MIM teacher (MSE, similarity loss, Pearson r,
 *              queue fill), with mask-view / queue snapshots every ~2 s, at once when the page
 *              picks another test image, and after the last step;
 *   finetune — the distilled backbone with labels (dense, no mask, fresh head);
 *   scratch  — the same student from its initial weights, same labelled steps on the same batches.
 * Then `done` with both full-test-set accuracies. Pause, single step and stop act in every
 * phase (a stop ends the run); a NaN loss throws NonFiniteLossError, which the session reports.
 * The session owns the run's life (ready, errors, the terminal event); this module owns the loop.
 */
import type { ExperimentConfig } from '../core/config';
import { resolveArch } from '../core/models/registry';
import { FinetuneTrainer, type FinetuneStepMetrics } from '../core/hgkd/finetune';
import { type HgkdStepMetrics, type HgkdTrainer, studentSeed } from '../core/hgkd/hgkdTrainer';
import { hgkdSnapshot, hgkdSnapshotBuffers } from '../core/hgkd/snapshot';
import { SparseEncoder } from '../core/hgkd/student';
import type { Vit } from '../core/hgkd/vit';
import { buildHgkdTrainer, type HgkdPhase } from '../core/train/experiment';
import { finalEvaluation } from '../core/train/finalEval';
import { evaluateClassifier, type TestSource, type TrainSource } from '../core/train/trainer';
import type { HgkdPoint, HgkdSummary, RunState, RunSummary } from './protocol';
import type { Emit } from './studentOutputs';

/** The session's control state of a run, as this loop reads it (the session's Run class). */
export interface RunControl {
  readonly runId: number;
  paused: boolean;
  stopRequested: boolean;
  singleSteps: number;
  whilePaused(onPause: () => void, onWake: () => Promise<void>): Promise<void>;
}

export interface HgkdEnvironment {
  loadMimTeacher?(config: ExperimentConfig): Promise<Vit>;
  loadData(config: ExperimentConfig): Promise<{ train: TrainSource; test: TestSource }>;
}

export interface HgkdRunContext {
  run: RunControl;
  config: ExperimentConfig; // validated, method=hgkd
  env: HgkdEnvironment;
  emit: Emit;
  /** Races a promise against the loss of the GPU device. */
  guard: <T>(p: Promise<T>) => Promise<T>;
  now: () => number;
  yieldToEvents: () => Promise<void>;
  minFlushMs: number;
  snapshotMs?: number; // minimum time between mask-view snapshots (default 2000)
  /** The page's chosen test image (the feature maps' one); the mask view follows it. */
  imageIndex: () => number;
}

/** Window of recent steps behind the progress event's steps/s. */
const RATE_WINDOW = 20;
/** Test images per piece of a final evaluation (one stop check per piece). */
const EVAL_CHUNK = 500;

interface PhaseResult<M> {
  last: M | null;
  trainingMs: number;
  completed: boolean;
}

/**
 * Steps one phase to `steps` under the run's controls, batching its points into progress events
 * (at most one per minFlushMs, one at each pause and one at the end). `between` runs after each
 * step and when a paused run is poked.
 */
async function drivePhase<M extends { step: number; stepMs: number }>(
  ctx: HgkdRunContext,
  phase: HgkdPhase,
  steps: number,
  step: () => Promise<M>,
  point: (m: M) => HgkdPoint,
  between: () => Promise<void> = async () => {},
): Promise<PhaseResult<M>> {
  const { run, emit, now, guard } = ctx;
  const points: HgkdPoint[] = [];
  const recent: number[] = []; // wall ms of the last RATE_WINDOW steps
  let last: M | null = null;
  let trainingMs = 0;
  let lastFlush = -Infinity;
  const flush = (state: RunState) => {
    const ms = recent.reduce((a, b) => a + b, 0);
    emit({
      type: 'progress', runId: run.runId, points: [], phase, hgkd: points.splice(0), state,
      step: last?.step ?? 0, steps, stepsPerSec: ms > 0 ? (recent.length / ms) * 1000 : 0,
    });
    lastFlush = now();
  };
  try {
    while ((last?.step ?? 0) < steps) {
      await run.whilePaused(() => flush('paused'), between);
      if (run.stopRequested) break;
      if (run.singleSteps > 0) run.singleSteps--;
      const t0 = now();
      const m = await guard(step());
      recent.push(now() - t0);
      if (recent.length > RATE_WINDOW) recent.shift();
      trainingMs += m.stepMs;
      last = m;
      points.push(point(m));
      if (now() - lastFlush >= ctx.minFlushMs) flush(run.paused ? 'paused' : 'running');
      await between();
      await ctx.yieldToEvents();
    }
  } catch (e) {
    if (points.length > 0) flush('paused'); // the steps that did happen still reach the charts
    throw e;
  }
  const completed = (last?.step ?? 0) >= steps && !run.stopRequested;
  flush(completed && phase !== 'distill' ? 'evaluating' : run.paused ? 'paused' : 'running');
  return { last, trainingMs, completed };
}

/** Accuracy on the first `images` test images in chunks, a stop check between them; null when stopped. */
async function evaluateStoppable(ctx: HgkdRunContext, ft: FinetuneTrainer, test: TestSource, images: number): Promise<number | null> {
  const { inputSize: s, inChannels: c } = ft.settings;
  const count = Math.min(images, test.count);
  let correct = 0;
  for (let start = 0; start < count; start += EVAL_CHUNK) {
    await ctx.yieldToEvents();
    if (ctx.run.stopRequested) return null;
    const n = Math.min(EVAL_CHUNK, count - start);
    const chunk: TestSource = { count: n, batch: (from, size) => test.batch(start + from, Math.min(size, n - from)) };
    correct += (await ctx.guard(evaluateClassifier((x) => ft.logits(x, false), [s, s, c], chunk, n))) * n;
  }
  return correct / count;
}

interface LabelledResult {
  steps: number;
  acc: number | null;
  last: FinetuneStepMetrics | null;
  completed: boolean;
}

/** Trains `encoder` with labels for config.ftSteps (a fresh sampler: both labelled phases see the same batches). */
async function labelledPhase(ctx: HgkdRunContext, phase: 'finetune' | 'scratch', encoder: SparseEncoder, teacher: Vit): Promise<LabelledResult> {
  const { config } = ctx;
  const { train, test } = await ctx.guard(ctx.env.loadData(config));
  const { inputSize, inChannels } = teacher.options;
  const ft = new FinetuneTrainer(encoder, { mode: config.ftMode, lr: config.lr, batch: config.batch, seed: config.seed, classes: 10, inputSize, inChannels }, train, test, phase);
  try {
    const step = async () => {
      const m = await ft.step();
      if (m.step % config.eval === 0 && m.step < config.ftSteps) m.testAcc = await ft.evaluate(config.testSize);
      return m;
    };
    const r = await drivePhase(ctx, phase, config.ftSteps, step, (m) => ({ phase, ...m }));
    const acc = r.completed ? await evaluateStoppable(ctx, ft, test, finalEvaluation(config, test.count).images) : null;
    if (acc !== null && r.last) {
      // The last point again, now with its full-test-set accuracy (the page replaces it).
      ctx.emit({ type: 'progress', runId: ctx.run.runId, points: [], phase, hgkd: [{ phase, ...r.last, testAcc: acc }], step: r.last.step, steps: config.ftSteps, stepsPerSec: 0, state: 'evaluating' });
    }
    return { steps: ft.stepCount, acc, last: r.last, completed: r.completed && acc !== null };
  } finally {
    ft.dispose();
  }
}

/**
 * Mask-view snapshots of the distillation: after the first step, then at most every snapshotMs,
 * and after the last (once per step and image); at once when the chosen image changes.
 */
function snapshotter(ctx: HgkdRunContext, trainer: HgkdTrainer, test: TestSource) {
  let lastAt = -Infinity;
  let lastStep = 0; // no second snapshot of the same weights and image
  let lastIndex = -1;
  return async (final = false) => {
    const index = Math.min(ctx.imageIndex(), test.count - 1);
    if (trainer.stepCount === 0) return;
    if (index === lastIndex && (trainer.stepCount === lastStep || (!final && ctx.now() - lastAt < (ctx.snapshotMs ?? 2000)))) return;
    lastAt = ctx.now();
    lastStep = trainer.stepCount;
    lastIndex = index;
    const snapshot = await ctx.guard(hgkdSnapshot(trainer, test, index));
    ctx.emit({ type: 'hgkd-snapshot', runId: ctx.run.runId, step: trainer.stepCount, snapshot }, hgkdSnapshotBuffers(snapshot));
  };
}

const distillPoint = (m: HgkdStepMetrics): HgkdPoint => ({ phase: 'distill', ...m });

/** Runs all three phases and emits `prepared`, progress, snapshots and `done`; throws on failure. */
export async function runHgkdInWorker(ctx: HgkdRunContext): Promise<void> {
  const { run, config, env, guard } = ctx;
  const started = ctx.now();
  if (!env.loadMimTeacher) throw new Error('this environment cannot load MIM teachers, which method=hgkd needs');
  const teacher = await guard(env.loadMimTeacher(config));
  let trainer: HgkdTrainer | null = null;
  let scratch: SparseEncoder | null = null;
  try {
    const data = await guard(env.loadData(config));
    trainer = buildHgkdTrainer(config, teacher, data.train);
    scratch = new SparseEncoder(resolveArch(config.student), studentSeed(config.seed), 'hgkd-scratch', teacher.options.inChannels);
    const finalEval = finalEvaluation(config, data.test.count);
    ctx.emit({ type: 'prepared', runId: run.runId, alphaHint: null, teacherCached: false, testCount: data.test.count, finalEval });
    ctx.emit({ type: 'starting', runId: run.runId, phase: 'first-step' });

    const snapshot = snapshotter(ctx, trainer, data.test);
    const distill = await drivePhase(ctx, 'distill', config.steps, () => trainer!.step(), distillPoint, () => snapshot());
    await snapshot(true);
    const finetune = distill.completed ? await labelledPhase(ctx, 'finetune', trainer.encoder, teacher) : null;
    const baseline = finetune?.completed ? await labelledPhase(ctx, 'scratch', scratch, teacher) : null;

    const hgkd: HgkdSummary = {
      mode: config.ftMode,
      distillSteps: trainer.stepCount,
      finetuneSteps: finetune?.steps ?? 0,
      scratchSteps: baseline?.steps ?? 0,
      finetuneAcc: finetune?.acc ?? null,
      scratchAcc: baseline?.acc ?? null,
    };
    const summary: RunSummary = {
      reason: baseline?.completed ? 'completed' : 'stopped',
      steps: trainer.stepCount,
      testAcc: hgkd.finetuneAcc,
      trainAcc: finetune?.last?.batchAcc ?? null,
      loss: distill.last?.loss ?? null,
      stepsPerSec: distill.trainingMs > 0 ? (trainer.stepCount / distill.trainingMs) * 1000 : 0,
      seconds: (ctx.now() - started) / 1000,
      teacherCached: false,
      alphaHint: null,
      liveChanges: [],
      hgkd,
      ...(baseline?.completed && { finalEval }),
    };
    // Closing progress, phase-less: the page's step counter ends on the distillation count, as the summary's `steps`.
    ctx.emit({ type: 'progress', runId: run.runId, points: [], step: trainer.stepCount, steps: config.steps, stepsPerSec: summary.stepsPerSec, state: 'evaluating' });
    ctx.emit({ type: 'done', runId: run.runId, summary });
  } finally {
    for (const x of [trainer, scratch, teacher]) {
      try {
        x?.dispose();
      } catch {
        // Disposal after a failure (a lost device) must not hide the failure.
      }
    }
  }
}
