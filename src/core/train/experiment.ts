/**
 * Runs one experiment from its config: loads data and teacher through injected loaders, trains
 * for `steps`, evaluates every `eval` steps and at the end, and returns the result the runner
 * prints and the UI stores. Environment-specific pieces (file access, backend) come in `deps`.
 */
import { type FinalMetrics, type MethodPipeline, isDistillMethod, methodOf } from '../methods';
import type { Net } from '../models/net';
import { resolveArch } from '../models/registry';
import { type ExperimentConfig, resolveStages, scheduledLive } from '../config';
import { HgkdTrainer, studentSeed, type HgkdSettings, type HgkdStepMetrics } from '../hgkd/hgkdTrainer';
import type { FinetuneMode, FinetuneStepMetrics } from '../hgkd/finetune';
import { labelledPhase } from '../hgkd/labelledPhase';
import { freeRunning } from '../loop/control';
import { evaluateInChunks } from '../loop/finalEvaluation';
import { runPhase } from '../loop/phase';
import { SparseEncoder } from '../hgkd/student';
import type { Vit } from '../hgkd/vit';
import { type FinalEvaluation, finalEvaluation } from '../loop/finalEvalPolicy';
import { Trainer, evaluateNet, type StepMetrics } from './trainer';
import { recipeOf } from '../optim/optimizer';
import { distillSettingsOf } from '../distill/distiller';
import type { RunData, TestSource, TrainSource } from '../loop/sources';

export interface ExperimentDeps {
  backend: string;
  teacher(config: ExperimentConfig): Promise<Net>;
  /** H-GKD's MIM teacher (config.mimTeacher on config.dataset); needed only for method=hgkd. */
  mimTeacher?(config: ExperimentConfig): Promise<Vit>;
  data(config: ExperimentConfig): Promise<RunData>;
}

export interface ExperimentResult {
  config: ExperimentConfig;
  backend: string;
  final: FinalMetrics;
  history: StepMetrics[];
  stepsPerSec: number;
  teacherCached: boolean;
  alphaHint: number | null;
  /** What `final.testAcc` (H-GKD: both labelled phases' accuracies) was measured on. */
  finalEval: FinalEvaluation;
  /** method=hgkd: both phases in full (then `history` is empty; `final` is the HgkdFinal of them). */
  hgkd?: HgkdResult;
}

/** A labelled phase of H-GKD's evaluation: the distilled backbone, or the scratch baseline. */
export interface LabelledPhase {
  mode: FinetuneMode;
  testAcc: number; // on the run's final evaluation (finalEvaluation)
  loss: number; // last step's cross-entropy
  history: FinetuneStepMetrics[];
}

export interface HgkdResult {
  distill: { first: HgkdStepMetrics | null; last: HgkdStepMetrics | null; history: HgkdStepMetrics[]; stepsPerSec: number };
  finetune: LabelledPhase;
  scratch: LabelledPhase;
}

export type HgkdPhase = 'distill' | 'finetune' | 'scratch';
export type HgkdProgress = { phase: 'distill'; m: HgkdStepMetrics } | { phase: 'finetune' | 'scratch'; m: FinetuneStepMetrics };

export interface ExperimentHooks {
  onStep?: (m: StepMetrics) => void;
  onHgkdStep?: (p: HgkdProgress) => void;
  shouldStop?: () => boolean;
  /** After the final evaluation, before the nets are released: the trained student and the result (not for method=hgkd). */
  onTrained?: (student: Net, result: ExperimentResult) => Promise<void>;
}

/** At most ~1000 history rows: every step for short runs, thinned (keeping eval steps) for long ones. */
function keepInHistory(m: { step: number; testAcc?: number }, steps: number): boolean {
  const every = Math.max(1, Math.floor(steps / 1000));
  return m.step % every === 0 || m.testAcc !== undefined || m.step === steps;
}

/** A sink that keeps the thinned history of a Node run's phase and passes each step on. */
function historySink<M extends { step: number; testAcc?: number }>(steps: number, onStep: (m: M) => void) {
  const history: M[] = [];
  return {
    history,
    point(m: M) {
      onStep(m);
      if (keepInHistory(m, steps)) history.push(m);
    },
    /** The last step again, now carrying the final accuracy (the last row always included). */
    closeWith(last: M | null) {
      if (last && history[history.length - 1] !== last) history.push(last);
    },
  };
}

export function buildTrainer(config: ExperimentConfig, teacher: Net, train: TrainSource, test: TestSource): Trainer {
  const { method } = config;
  if (!isDistillMethod(method)) throw new Error(`method=${method} does not run on the Distiller (registry pipeline '${methodOf(method).pipeline}')`);
  return new Trainer(
    {
      ...distillSettingsOf(config, method),
      student: resolveArch(config.student),
      stages: resolveStages(config),
      recipe: recipeOf(config),
      batch: config.batch,
      seed: config.seed,
    },
    teacher,
    train,
    test,
  );
}

/** One step with the config's α / λ schedule applied first (the step it names is the first to use it). */
export function scheduledStep(trainer: Trainer, config: ExperimentConfig): Promise<StepMetrics> {
  trainer.setLive(scheduledLive(config, trainer.stepCount + 1));
  return trainer.step();
}

export function hgkdSettings(config: ExperimentConfig): HgkdSettings {
  const { batch, seed, maskRatio, queue, tau, mseW, simW, sparse, unet, sim } = config;
  return { student: resolveArch(config.student), recipe: recipeOf(config), batch, seed, maskRatio, queueSize: queue, tau, mseW, simW, sparse, unet, sim };
}

export function buildHgkdTrainer(config: ExperimentConfig, teacher: Vit, train: TrainSource): HgkdTrainer {
  return new HgkdTrainer(hgkdSettings(config), teacher, train);
}

/** One labelled phase of a Node run: fresh data (the same batches for both phases), the shared loop. */
async function nodeLabelledPhase(
  phase: 'finetune' | 'scratch',
  encoder: SparseEncoder,
  image: { inputSize: number; inChannels: number },
  config: ExperimentConfig,
  deps: ExperimentDeps,
  hooks: ExperimentHooks,
): Promise<LabelledPhase> {
  const data = await deps.data(config);
  const sink = historySink(config.ftSteps, (m: FinetuneStepMetrics) => hooks.onHgkdStep?.({ phase, m }));
  const input = { phase, encoder, image, classes: data.info.numClasses, config, data };
  const r = await labelledPhase(input, sink, { control: freeRunning(hooks.shouldStop) });
  sink.closeWith(r.testAcc !== null ? r.last : null);
  return { mode: config.ftMode, testAcc: r.testAcc ?? NaN, loss: r.last?.loss ?? NaN, history: sink.history };
}

/**
 * H-GKD: distillation from the MIM teacher for config.steps, then the distilled backbone is
 * fine-tuned (or linear-probed) with labels for config.ftSteps, and the scratch baseline (the
 * same student at its initial weights) gets the same labelled steps on the same batches.
 */
export async function runHgkd(config: ExperimentConfig, deps: ExperimentDeps, hooks: ExperimentHooks = {}): Promise<ExperimentResult> {
  if (!deps.mimTeacher) throw new Error(`method=hgkd needs a MIM teacher loader, which this environment does not provide`);
  const [teacher, { train, test }] = await Promise.all([deps.mimTeacher(config), deps.data(config)]);
  const trainer = buildHgkdTrainer(config, teacher, train);
  const scratch = new SparseEncoder(resolveArch(config.student), studentSeed(config.seed), 'hgkd-scratch', teacher.options.inChannels);
  try {
    const sink = historySink(config.steps, (m: HgkdStepMetrics) => hooks.onHgkdStep?.({ phase: 'distill', m }));
    const distill = await runPhase({ steps: config.steps, step: () => trainer.step() }, sink, { control: freeRunning(hooks.shouldStop) });
    const last = distill.last;
    const stepsPerSec = last ? (last.step / distill.trainingMs) * 1000 : 0;
    const finetune = await nodeLabelledPhase('finetune', trainer.encoder, teacher.options, config, deps, hooks);
    const baseline = await nodeLabelledPhase('scratch', scratch, teacher.options, config, deps, hooks);
    const trainAcc = finetune.history.length ? finetune.history[finetune.history.length - 1].batchAcc : NaN;
    return {
      config,
      backend: deps.backend,
      final: {
        pipeline: 'hgkd',
        testAcc: finetune.testAcc,
        scratchAcc: baseline.testAcc,
        trainAcc,
        distillLoss: last?.loss ?? NaN,
        mse: last?.mse ?? NaN,
        finetuneLoss: finetune.loss,
      },
      history: [],
      stepsPerSec,
      teacherCached: false,
      alphaHint: null,
      finalEval: finalEvaluation(config, test.count),
      hgkd: { distill: { first: distill.first, last, history: sink.history, stepsPerSec }, finetune, scratch: baseline },
    };
  } finally {
    trainer.dispose();
    scratch.dispose();
    teacher.dispose();
  }
}

type PipelineRun = (config: ExperimentConfig, deps: ExperimentDeps, hooks: ExperimentHooks) => Promise<ExperimentResult>;

/** One run of `config`, by the pipeline its method declares (core/methods). */
export async function runExperiment(config: ExperimentConfig, deps: ExperimentDeps, hooks: ExperimentHooks = {}): Promise<ExperimentResult> {
  const run: Record<MethodPipeline, PipelineRun> = { distill: runDistill, hgkd: runHgkd };
  return run[methodOf(config.method).pipeline](config, deps, hooks);
}

/** A Distiller run (the MGD family): one phase of `steps`, then the final evaluation. */
async function runDistill(config: ExperimentConfig, deps: ExperimentDeps, hooks: ExperimentHooks): Promise<ExperimentResult> {
  const [teacher, { train, test }] = await Promise.all([deps.teacher(config), deps.data(config)]);
  const trainer = buildTrainer(config, teacher, train, test);
  try {
    const teacherCached = await trainer.prepare();
    const alphaHint = await trainer.suggestAlpha();
    const finalEval = finalEvaluation(config, test.count);
    const control = freeRunning(hooks.shouldStop);
    const sink = historySink(config.steps, (m: StepMetrics) => hooks.onStep?.(m));
    const spec = {
      steps: config.steps,
      step: () => scheduledStep(trainer, config),
      eval: { every: config.eval, images: config.testSize, accuracy: (limit: number) => trainer.evaluate(limit) },
    };
    const run = await runPhase(spec, sink, { control });
    const { last } = run;
    const accuracy = (chunk: TestSource) => evaluateNet(trainer.student, chunk, chunk.count);
    const full = run.completed ? await evaluateInChunks(test, finalEval.images, { accuracy, stopped: () => control.stopRequested }) : null;
    if (last && full !== null) last.testAcc = full;
    sink.closeWith(full !== null ? last : null);
    const testAcc = full ?? NaN;
    const result: ExperimentResult = {
      config,
      backend: deps.backend,
      final: {
        pipeline: 'distill',
        testAcc,
        trainAcc: last?.trainAcc ?? NaN,
        loss: last?.loss ?? NaN,
        taskLoss: last?.taskLoss ?? NaN,
        distillLoss: last?.distillLoss ?? NaN,
        difference: last?.difference ?? NaN,
      },
      history: sink.history,
      stepsPerSec: last ? (last.step / run.trainingMs) * 1000 : 0,
      teacherCached,
      alphaHint,
      finalEval,
    };
    await hooks.onTrained?.(trainer.student, result);
    return result;
  } finally {
    trainer.dispose();
    teacher.dispose();
  }
}
