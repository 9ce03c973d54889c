/**
 * An H-GKD run (method=hgkd) inside the worker's session, in three phases, each streamed:
 *   distill  — the masked sparse student learns the MIM teacher (MSE, similarity loss, Pearson r,
 *              queue fill), with mask-view / queue snapshots every ~2 s, at once when the page
 *              picks another test image, and after the last step;
 *   finetune — the distilled backbone with labels (dense, no mask, fresh head);
 *   scratch  — the same student from its initial weights, same labelled steps on the same batches.
 * Then `done` with both full-test-set accuracies. Pause, single step and stop act in every
 * phase (a stop ends the run); a NaN loss throws NonFiniteLossError, which the session reports.
 * The session owns the run's life (ready, errors); this module owns the phases, each stepped by
 * the one run loop (core/loop/phase.ts) through the worker's runtime and progress sink.
 */
import type { ExperimentConfig } from '../core/config';
import { resolveArch } from '../core/models/registry';
import type { FinetuneStepMetrics } from '../core/hgkd/finetune';
import { type HgkdStepMetrics, type HgkdTrainer, studentSeed } from '../core/hgkd/hgkdTrainer';
import { type LabelledPhaseName, type LabelledPhaseResult, labelledPhase } from '../core/hgkd/labelledPhase';
import { runPhase } from '../core/loop/phase';
import { hgkdSnapshot, hgkdSnapshotBuffers } from '../core/hgkd/snapshot';
import { SparseEncoder } from '../core/hgkd/student';
import type { Vit } from '../core/hgkd/vit';
import { buildHgkdTrainer } from '../core/train/experiment';
import { finalEvaluation } from '../core/loop/finalEvalPolicy';
import type { RunData, TestSource } from '../core/loop/sources';
import type { HgkdPoint, HgkdSummary, RunSummary } from './protocol';
import { type WorkerLoop, loopRuntime, progressSink } from './workerLoop';

export interface HgkdEnvironment {
  loadMimTeacher?(config: ExperimentConfig): Promise<Vit>;
  loadData(config: ExperimentConfig): Promise<RunData>;
}

export interface HgkdRunContext extends WorkerLoop {
  config: ExperimentConfig; // validated, method=hgkd
  env: HgkdEnvironment;
  snapshotMs?: number; // minimum time between mask-view snapshots (default 2000)
  /** The page's chosen test image (the feature maps' one); the mask view follows it. */
  imageIndex: () => number;
}

/** A labelled phase (core/hgkd/labelledPhase) on freshly loaded data, streamed as progress of `phase`. */
async function workerLabelledPhase(ctx: HgkdRunContext, phase: LabelledPhaseName, encoder: SparseEncoder, teacher: Vit): Promise<LabelledPhaseResult> {
  const { config } = ctx;
  const data = await ctx.guard(ctx.env.loadData(config));
  const sink = progressSink(ctx, config.ftSteps, (m: FinetuneStepMetrics): HgkdPoint => ({ phase, ...m }), (points) => ({ pipeline: 'hgkd', phase, points }));
  const r = await labelledPhase({ phase, encoder, image: teacher.options, classes: data.info.numClasses, config, data }, sink, loopRuntime(ctx));
  if (r.testAcc !== null && r.last) {
    // The last point again, now with its full-test-set accuracy (the page replaces it).
    const points: HgkdPoint[] = [{ phase, ...r.last, testAcc: r.testAcc }];
    ctx.emit({ type: 'progress', runId: ctx.control.runId, pipeline: 'hgkd', phase, points, step: r.last.step, steps: config.ftSteps, stepsPerSec: 0, state: 'evaluating' });
  }
  return r;
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
    ctx.emit({ type: 'hgkd-snapshot', runId: ctx.control.runId, step: trainer.stepCount, snapshot }, hgkdSnapshotBuffers(snapshot));
  };
}

const distillPoint = (m: HgkdStepMetrics): HgkdPoint => ({ phase: 'distill', ...m });

/** Runs all three phases and emits `prepared`, progress, snapshots and `done`; throws on failure. */
export async function runHgkdInWorker(ctx: HgkdRunContext): Promise<void> {
  const { control: run, config, env, guard } = ctx;
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
    const t = trainer;
    const sink = progressSink(ctx, config.steps, distillPoint, (points) => ({ pipeline: 'hgkd', phase: 'distill', points }), () => snapshot());
    const distill = await runPhase({ steps: config.steps, step: () => t.step() }, sink, loopRuntime(ctx));
    await snapshot(true);
    const finetune = distill.completed ? await workerLabelledPhase(ctx, 'finetune', trainer.encoder, teacher) : null;
    const baseline = finetune?.completed ? await workerLabelledPhase(ctx, 'scratch', scratch, teacher) : null;

    const hgkd: HgkdSummary = {
      mode: config.ftMode,
      distillSteps: trainer.stepCount,
      finetuneSteps: finetune?.steps ?? 0,
      scratchSteps: baseline?.steps ?? 0,
      finetuneAcc: finetune?.testAcc ?? null,
      scratchAcc: baseline?.testAcc ?? null,
      distillLoss: distill.last?.loss ?? null,
      mse: distill.last?.mse ?? null,
    };
    const summary: RunSummary = {
      pipeline: 'hgkd',
      reason: baseline?.completed ? 'completed' : 'stopped',
      steps: trainer.stepCount,
      testAcc: hgkd.finetuneAcc,
      trainAcc: finetune?.last?.batchAcc ?? null,
      stepsPerSec: distill.trainingMs > 0 ? (trainer.stepCount / distill.trainingMs) * 1000 : 0,
      seconds: (ctx.now() - started) / 1000,
      liveChanges: [],
      hgkd,
      ...(baseline?.completed && { finalEval }),
    };
    // Closing progress, phase-less: the page's step counter ends on the distillation count, as the summary's `steps`.
    ctx.emit({ type: 'progress', runId: run.runId, pipeline: 'hgkd', phase: null, points: [], step: trainer.stepCount, steps: config.steps, stepsPerSec: summary.stepsPerSec, state: 'evaluating' });
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
