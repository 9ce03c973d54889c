/**
 * A run of the MGD family (none, kd, mimic, mgd, mgd+kd) inside the worker's session: teacher
 * and data, the teacher's cached outputs and the α helper (`prepared`), the steps through the run
 * loop with the config's α/λ schedule and live changes applied before the step they name,
 * feature snapshots and exports between steps, the chunked final evaluation, then `done`.
 * The session owns the run's life (ready, errors, the terminal event of a failure); this module
 * owns the method's phase.
 */
import { type ExperimentConfig, scheduledLive } from '../core/config';
import { evaluateInChunks } from '../core/loop/finalEvaluation';
import { type PhaseSpec, runPhase } from '../core/loop/phase';
import type { Net } from '../core/models/net';
import { buildTrainer } from '../core/train/experiment';
import { finalEvaluation } from '../core/loop/finalEvalPolicy';
import { type StepMetrics, type Trainer, evaluateNet } from '../core/train/trainer';
import type { RunData, TestSource } from '../core/loop/sources';
import type { LiveChange, LiveParam, MetricsPoint, RunSummary } from './protocol';
import type { StudentOutputs } from './studentOutputs';
import { type WorkerLoop, loopRuntime, progressSink } from './workerLoop';

export interface DistillRunContext extends WorkerLoop {
  config: ExperimentConfig; // validated, an MGD-family method
  env: {
    loadTeacher(config: ExperimentConfig): Promise<Net>;
    loadData(config: ExperimentConfig): Promise<RunData>;
  };
  outputs: StudentOutputs;
}

/** The nets of a run that ended well (completed or stopped after a step): snapshots after it. */
export interface KeptNets {
  trainer: Trainer;
  teacher: Net;
  test: TestSource;
}

/** Runs the phase and emits `prepared`, progress, features and `done`; throws on failure. */
export async function runDistillInWorker(ctx: DistillRunContext): Promise<KeptNets | null> {
  const { control: run, config, guard, emit } = ctx;
  const { runId } = run;
  let trainer: Trainer | null = null;
  // The teacher is disposed when the run ends, even if it arrives after a failed data load.
  const owned = { teacher: null as Net | null, ended: false };
  let kept: KeptNets | null = null;
  try {
    const teacher = ctx.env.loadTeacher(config).then((net) => {
      if (owned.ended) net.dispose();
      else owned.teacher = net;
      return net;
    });
    const [net, data] = await guard(Promise.all([teacher, ctx.env.loadData(config)]));
    const t = (trainer = buildTrainer(config, net, data.train, data.test));
    emit({ type: 'starting', runId, phase: 'teacher-outputs' });
    const teacherCached = await guard(t.prepare());
    const alphaHint = await guard(t.suggestAlpha());
    const finalEval = finalEvaluation(config, data.test.count);
    emit({ type: 'prepared', runId, alphaHint, teacherCached, testCount: data.test.count, finalEval });
    const outputs = (final = false) => guard(ctx.outputs.between(runId, t, data.test, final));

    const started = ctx.now();
    const liveChanges: LiveChange[] = [];
    let lastTestAcc: number | null = null;
    const spec: PhaseSpec<StepMetrics> = {
      steps: config.steps,
      step: () => t.step(),
      eval: { every: config.eval, images: config.testSize, accuracy: (limit) => t.evaluate(limit) },
      beforeStep: (next) => {
        // The config's schedule first, then live changes: a change from the page at the same step wins.
        const due = new Map([...(Object.entries(scheduledLive(config, next)) as [LiveParam, number][]), ...run.pendingLive]);
        for (const [param, value] of due) {
          if (t.settings[param] !== value) liveChanges.push({ step: next, param, value });
          t.setLive({ [param]: value });
        }
        run.pendingLive.clear();
        if (next === 1) emit({ type: 'starting', runId, phase: 'first-step' });
      },
      evaluatesAfter: true,
    };
    const toPoint = (m: StepMetrics): MetricsPoint => {
      if (m.testAcc !== undefined) lastTestAcc = m.testAcc;
      return { ...m };
    };
    const sink = progressSink(ctx, config.steps, toPoint, (points) => ({ pipeline: 'distill', points }), () => outputs());
    const r = await runPhase(spec, sink, loopRuntime(ctx));
    if (run.invalidLive) throw run.invalidLive;

    await outputs(true);
    let completed = r.completed;
    if (completed) {
      const full = await evaluateInChunks(data.test, finalEval.images, {
        accuracy: (chunk) => evaluateNet(t.student, chunk, chunk.count),
        stopped: () => run.stopRequested,
        between: () => ctx.outputs.answerExports(runId, t),
        yieldToEvents: ctx.yieldToEvents,
        guard,
      });
      if (full === null) completed = false; // stopped during the evaluation
      else lastTestAcc = full;
    }
    const summary: RunSummary = {
      pipeline: 'distill',
      reason: completed ? 'completed' : 'stopped',
      steps: t.stepCount,
      testAcc: lastTestAcc,
      trainAcc: r.last?.trainAcc ?? null,
      loss: r.last?.loss ?? null,
      stepsPerSec: r.trainingMs > 0 ? (t.stepCount / r.trainingMs) * 1000 : 0,
      seconds: (ctx.now() - started) / 1000,
      teacherCached,
      alphaHint,
      liveChanges,
      ...(completed && { finalEval }),
    };
    await guard(ctx.outputs.endRun(runId, t, config, lastTestAcc));
    emit({ type: 'done', runId, summary });
    // As for exports: a run that took no step has nothing to show.
    if (owned.teacher !== null && t.stepCount > 0) kept = { trainer: t, teacher: owned.teacher, test: data.test };
    return kept;
  } finally {
    owned.ended = true;
    if (!kept) {
      safeDispose(trainer);
      safeDispose(owned.teacher);
    }
  }
}

/** Disposal after a failure (a lost device, say) must not hide the failure. */
export function safeDispose(x: { dispose(): void } | null): void {
  try {
    x?.dispose();
  } catch {
    // The original error is already reported.
  }
}
