/**
 * The learning rate of every step: one function for the distillation trainer, the teacher recipe
 * and MIM pre-training, and (through the config) for the loss chart's lr line and the PyTorch
 * export's train.py (recipe.py computes the same numbers). tfjs-free, so the page draws the
 * schedule without the worker.
 *
 *   constant : lr
 *   cosine   : floor·lr + ½(lr − floor·lr)(1 + cos(π·t)),  t = (s − W − 1)/(steps − W) ∈ [0, 1)
 *   step     : lr · gamma^⌊(s − W − 1)/every⌋
 * with an optional linear warm-up over the first W steps (lr·s/W at step s ≤ W, so step W is at lr).
 */
import type { ExperimentConfig } from '../config';

export type LrScheduleKind = ExperimentConfig['lrSchedule'];

export interface LrSchedule {
  kind: LrScheduleKind;
  lr: number; // peak learning rate
  steps: number; // the run's length: cosine reaches its floor after the last step
  floor: number; // cosine: the final lr as a fraction of lr (0 = decay to 0)
  every: number; // step: steps between decays
  gamma: number; // step: factor of each decay
  warmup: number; // linear warm-up steps W (0 = none)
}

/** Cosine decay to 0 over `steps`, no warm-up: the recipe the teachers and the MIM ViT were trained with. */
export function cosineToZero(lr: number, steps: number): LrSchedule {
  return { kind: 'cosine', lr, steps, floor: 0, every: 1, gamma: 1, warmup: 0 };
}

/** A constant lr: every distillation run before the recipe rows (link version 1). */
export function constantLr(lr: number): LrSchedule {
  return { kind: 'constant', lr, steps: 1, floor: 0, every: 1, gamma: 1, warmup: 0 };
}

/** The schedule a config asks for (its rows in fields.ts). */
export function lrScheduleOf(c: Pick<ExperimentConfig, 'lr' | 'steps' | 'lrSchedule' | 'lrFloor' | 'lrEvery' | 'lrGamma' | 'warmup'>): LrSchedule {
  return { kind: c.lrSchedule, lr: c.lr, steps: c.steps, floor: c.lrFloor, every: c.lrEvery, gamma: c.lrGamma, warmup: c.warmup };
}

/** The learning rate of 1-based step `step`. */
export function lrAt(s: LrSchedule, step: number): number {
  if (step <= s.warmup) return (s.lr * step) / s.warmup;
  const after = step - s.warmup - 1; // steps taken since the warm-up ended
  switch (s.kind) {
    case 'constant':
      return s.lr;
    case 'cosine': {
      // Written so that floor 0, no warm-up is exactly ½·lr·(1 + cos(π(s−1)/steps)), the teachers' recipe.
      const min = s.floor * s.lr;
      return min + 0.5 * (s.lr - min) * (1 + Math.cos((Math.PI * after) / (s.steps - s.warmup)));
    }
    case 'step':
      return s.lr * s.gamma ** Math.floor(after / s.every);
    default: {
      const never: never = s.kind;
      throw new Error(`unknown lr schedule ${String(never)}`);
    }
  }
}
