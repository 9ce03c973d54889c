/**
 * How many test images a run's final accuracy is measured on: the whole test set (`full`) or
 * the periodic evaluation's `testSize` (`quick`). One rule for the runner, the worker and the
 * page, so a config gives the same kind of number everywhere.
 *
 * `finalTest=auto` picks full only when the run is long: when it trains on at least
 * FULL_EVAL_RATIO × as many images as the test set holds. A training image costs a forward and
 * a backward pass (≈ 3 forward passes), an evaluated one a forward pass, so at that ratio the
 * full evaluation is at most ~1/9 of the run's work; below it, a 10,000-image evaluation would
 * dominate a short run (10–15 s on wasm, minutes on a software GPU).
 */
import type { ExperimentConfig } from '../config';
import { methodOf } from '../methods/registry';

export type FinalEvalKind = 'quick' | 'full';

export interface FinalEvaluation {
  kind: FinalEvalKind;
  images: number; // test images the final accuracy is measured on
}

/** auto → full when trained images ≥ this × the test set's size. */
export const FULL_EVAL_RATIO = 3;

type EvalConfig = Pick<ExperimentConfig, 'finalTest' | 'testSize' | 'steps' | 'batch' | 'method' | 'ftSteps'>;

/** Images a run trains on: its steps × batch (H-GKD: distillation, then fine-tune and scratch baseline). */
export function trainedImages(c: Pick<ExperimentConfig, 'steps' | 'batch' | 'method' | 'ftSteps'>): number {
  return methodOf(c.method).totalSteps(c) * c.batch;
}

/** The final evaluation of config `c` on a test set of `testCount` images. */
export function finalEvaluation(c: EvalConfig, testCount: number): FinalEvaluation {
  const quick = Math.min(c.testSize, testCount);
  const kind: FinalEvalKind =
    quick >= testCount || c.finalTest === 'full' || (c.finalTest === 'auto' && trainedImages(c) >= FULL_EVAL_RATIO * testCount) ? 'full' : 'quick';
  return { kind, images: kind === 'full' ? testCount : quick };
}

/** "full test set (10,000 images)" / "quick: 2,000 test images", for outcome lines. */
export function describeFinalEval(e: FinalEvaluation): string {
  const n = e.images.toLocaleString('en-US');
  return e.kind === 'full' ? `full test set, ${n} images` : `quick: ${n} test images`;
}
