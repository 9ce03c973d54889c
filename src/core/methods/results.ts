/**
 * What a finished run measured, one shape per pipeline: the union is discriminated on
 * `pipeline`, so a field means one thing wherever it appears (runner JSON, sweep tables, the
 * page's runs). The MGD family's `difference` is the teacher–student feature distance; H-GKD
 * has none and reports its own distillation MSE and the scratch baseline instead.
 */
import type { MethodPipeline } from './types';

/** A Distiller run (the MGD family), at its last step; testAcc from the final evaluation. */
export interface DistillFinal {
  pipeline: 'distill';
  testAcc: number;
  trainAcc: number; // running mean over recent batches
  loss: number; // task + distill
  taskLoss: number; // cross-entropy
  distillLoss: number; // α·feature term + kdW·KD term
  difference: number; // Σ(align(S) − T)²/N over the hooked stages
}

/** An H-GKD run: distillation, then the fine-tune of the distilled backbone and the scratch baseline. */
export interface HgkdFinal {
  pipeline: 'hgkd';
  testAcc: number; // distilled + fine-tuned (or linear-probed)
  scratchAcc: number; // the same student from its initial weights, same labelled steps
  trainAcc: number; // fine-tune: the last batch's accuracy
  distillLoss: number; // last distillation step: mseW·mse (+ simW·simLoss)
  mse: number; // last distillation step: student vs the teacher's embeddings
  finetuneLoss: number; // last fine-tune step's cross-entropy
}

export type FinalMetrics = DistillFinal | HgkdFinal;

/** The numeric fields of each pipeline's final metrics (what a seed summary averages). */
export const FINAL_KEYS = {
  distill: ['testAcc', 'trainAcc', 'loss', 'taskLoss', 'distillLoss', 'difference'],
  hgkd: ['testAcc', 'scratchAcc', 'trainAcc', 'distillLoss', 'mse', 'finetuneLoss'],
} as const satisfies { [P in MethodPipeline]: readonly Exclude<keyof Extract<FinalMetrics, { pipeline: P }>, 'pipeline'>[] };

/** The numbers of `final` by name (for averaging over seeds). */
export function finalNumbers(final: FinalMetrics): Record<string, number> {
  const { pipeline: _p, ...numbers } = final;
  return numbers;
}

/** One line for a terminal: the pipeline's own measures, each named; `evaluatedOn` says what testAcc was measured on. */
export function describeFinal(f: FinalMetrics, evaluatedOn: string): string {
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  const test = `test ${pct(f.testAcc)} (${evaluatedOn})`;
  if (f.pipeline === 'hgkd') {
    return `${test} scratch ${pct(f.scratchAcc)} train ${pct(f.trainAcc)} distillation mse ${f.mse.toFixed(4)} fine-tune loss ${f.finetuneLoss.toFixed(4)}`;
  }
  return `${test} train ${pct(f.trainAcc)} loss ${f.loss.toFixed(4)} difference ${f.difference.toFixed(2)}`;
}
