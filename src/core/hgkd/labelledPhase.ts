/**
 * H-GKD's labelled phases (finetune: the distilled backbone; scratch: the same student at its
 * initial weights), one copy for the runner and the worker: config.ftSteps steps through the
 * run loop on a fresh sampler (both phases see the same batches), then the final evaluation.
 */
import type { ExperimentConfig } from '../config';
import { evaluateInChunks } from '../loop/finalEvaluation';
import { type LoopRuntime, type PhaseSink, runPhase } from '../loop/phase';
import { finalEvaluation } from '../loop/finalEvalPolicy';
import { evaluateClassifier } from '../loop/evaluate';
import type { TestSource, TrainSource } from '../loop/sources';
import { recipeOf } from '../optim/optimizer';
import { FinetuneTrainer, type FinetuneStepMetrics } from './finetune';
import type { SparseEncoder } from './student';

export type LabelledPhaseName = 'finetune' | 'scratch';

export interface LabelledPhaseResult {
  steps: number;
  /** On the run's final evaluation; null when the phase or its evaluation was stopped. */
  testAcc: number | null;
  /** The last step, with the final accuracy as its testAcc when there is one. */
  last: FinetuneStepMetrics | null;
  completed: boolean;
}

export interface LabelledPhaseInput {
  phase: LabelledPhaseName;
  encoder: SparseEncoder;
  image: { inputSize: number; inChannels: number };
  classes: number;
  config: ExperimentConfig;
  data: { train: TrainSource; test: TestSource };
}

export async function labelledPhase(input: LabelledPhaseInput, sink: PhaseSink<FinetuneStepMetrics>, rt: LoopRuntime): Promise<LabelledPhaseResult> {
  const { phase, encoder, config, data } = input;
  const { inputSize, inChannels } = input.image;
  const recipe = recipeOf({ ...config, steps: config.ftSteps }); // the schedule spans the phase
  const settings = { mode: config.ftMode, recipe, batch: config.batch, seed: config.seed, classes: input.classes, inputSize, inChannels };
  const ft = new FinetuneTrainer(encoder, settings, data.train, data.test, phase);
  try {
    const spec = {
      steps: config.ftSteps,
      step: () => ft.step(),
      eval: { every: config.eval, images: config.testSize, accuracy: (limit: number) => ft.evaluate(limit) },
      evaluatesAfter: true,
    };
    const r = await runPhase(spec, sink, rt);
    const images = finalEvaluation(config, data.test.count).images;
    const accuracy = (chunk: TestSource) => evaluateClassifier((x) => ft.logits(x, false), [inputSize, inputSize, inChannels], chunk, chunk.count);
    const stopped = () => rt.control.stopRequested;
    const testAcc = r.completed ? await evaluateInChunks(data.test, images, { accuracy, stopped, yieldToEvents: rt.yieldToEvents, guard: rt.guard }) : null;
    if (testAcc !== null && r.last) r.last.testAcc = testAcc;
    return { steps: ft.stepCount, testAcc, last: r.last, completed: r.completed && testAcc !== null };
  } finally {
    ft.dispose();
  }
}
