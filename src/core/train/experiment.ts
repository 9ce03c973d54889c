/**
 * Runs one experiment from its config: loads data and teacher through injected loaders, trains
 * for `steps`, evaluates every `eval` steps and at the end, and returns the result the runner
 * prints and the UI stores. Environment-specific pieces (file access, backend) come in `deps`.
 */
import type { Net } from '../models/net';
import { resolveArch } from '../models/registry';
import { type ExperimentConfig, resolveStages } from '../config';
import { Trainer, type StepMetrics, type TestSource, type TrainSource } from './trainer';

export interface ExperimentDeps {
  backend: string;
  teacher(config: ExperimentConfig): Promise<Net>;
  data(config: ExperimentConfig): Promise<{ train: TrainSource; test: TestSource }>;
}

export interface FinalMetrics {
  testAcc: number;
  trainAcc: number;
  loss: number;
  taskLoss: number;
  distillLoss: number;
  difference: number;
}
export const FINAL_KEYS = ['testAcc', 'trainAcc', 'loss', 'taskLoss', 'distillLoss', 'difference'] as const;

export interface ExperimentResult {
  config: ExperimentConfig;
  backend: string;
  final: FinalMetrics;
  history: StepMetrics[];
  stepsPerSec: number;
  teacherCached: boolean;
  alphaHint: number | null;
}

export interface ExperimentHooks {
  onStep?: (m: StepMetrics) => void;
  shouldStop?: () => boolean;
}

/** At most ~1000 history rows: every step for short runs, thinned (keeping eval steps) for long ones. */
function keepInHistory(m: StepMetrics, steps: number): boolean {
  const every = Math.max(1, Math.floor(steps / 1000));
  return m.step % every === 0 || m.testAcc !== undefined || m.step === steps;
}

export function buildTrainer(config: ExperimentConfig, teacher: Net, train: TrainSource, test: TestSource): Trainer {
  return new Trainer(
    {
      method: config.method,
      alpha: config.alpha,
      lambda: config.lambda,
      mask: config.mask,
      gen: config.gen,
      kdT: config.kdT,
      kdW: config.kdW,
      student: resolveArch(config.student),
      stages: resolveStages(config),
      lr: config.lr,
      batch: config.batch,
      seed: config.seed,
    },
    teacher,
    train,
    test,
  );
}

export async function runExperiment(config: ExperimentConfig, deps: ExperimentDeps, hooks: ExperimentHooks = {}): Promise<ExperimentResult> {
  const [teacher, { train, test }] = await Promise.all([deps.teacher(config), deps.data(config)]);
  const trainer = buildTrainer(config, teacher, train, test);
  try {
    const teacherCached = await trainer.prepare();
    const alphaHint = await trainer.suggestAlpha();
    const history: StepMetrics[] = [];
    let last: StepMetrics | null = null;
    let stepTime = 0;
    for (let i = 0; i < config.steps && !hooks.shouldStop?.(); i++) {
      const m = await trainer.step();
      stepTime += m.stepMs;
      if (m.step % config.eval === 0 && m.step < config.steps) m.testAcc = await trainer.evaluate(config.testSize);
      hooks.onStep?.(m);
      if (keepInHistory(m, config.steps)) history.push(m);
      last = m;
    }
    const testAcc = await trainer.evaluate();
    if (last) {
      last.testAcc = testAcc;
      if (history[history.length - 1] !== last) history.push(last);
    }
    return {
      config,
      backend: deps.backend,
      final: {
        testAcc,
        trainAcc: last?.trainAcc ?? NaN,
        loss: last?.loss ?? NaN,
        taskLoss: last?.taskLoss ?? NaN,
        distillLoss: last?.distillLoss ?? NaN,
        difference: last?.difference ?? NaN,
      },
      history,
      stepsPerSec: last ? (last.step / stepTime) * 1000 : 0,
      teacherCached,
      alphaHint,
    };
  } finally {
    trainer.dispose();
    teacher.dispose();
  }
}
