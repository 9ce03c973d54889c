/**
 * The optimiser of a training recipe, with torch.optim's semantics so the PyTorch export
 * (recipe.py) takes the same steps:
 *   adam : torch.optim.Adam / AdamW — β 0.9, 0.999, ε 1e-7 (tfjs's); weight decay decoupled,
 *          w ← w·(1 − lr·wd) at the weights the gradient was taken at, then the Adam step;
 *   sgd  : torch.optim.SGD, dampening 0, not Nesterov — L2 weight decay g ← g + wd·w, then
 *          v ← μ·v + g (v₁ = g), w ← w − lr·v.
 * Weight decay reaches every variable it is given (the trainers give every trainable one: BN
 * scales and biases too), as torch does with `model.parameters()` in one group.
 * The learning rate of each step comes from the schedule (./lrSchedule.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig } from '../config';
import { type LrSchedule, constantLr, lrAt, lrScheduleOf } from './lrSchedule';

export interface Recipe {
  optimizer: ExperimentConfig['optimizer'];
  momentum: number; // sgd only
  weightDecay: number;
  schedule: LrSchedule;
}

/** The recipe a config asks for. */
export function recipeOf(c: Parameters<typeof lrScheduleOf>[0] & Pick<ExperimentConfig, 'optimizer' | 'momentum' | 'wd'>): Recipe {
  return { optimizer: c.optimizer, momentum: c.momentum, weightDecay: c.wd, schedule: lrScheduleOf(c) };
}

/** Adam at a constant lr, no weight decay: the recipe of every run before the recipe fields (and of the bench). */
export function constantAdam(lr: number): Recipe {
  return { optimizer: 'adam', momentum: 0, weightDecay: 0, schedule: constantLr(lr) };
}

export class RecipeOptimizer {
  // Tagged, not told apart by `instanceof`: tfjs answers that by duck typing (an Adam "is" a MomentumOptimizer).
  private readonly inner: { kind: 'sgd'; opt: tf.MomentumOptimizer } | { kind: 'adam'; opt: tf.AdamOptimizer };
  private lr: number;

  constructor(
    readonly recipe: Recipe,
    private readonly vars: tf.Variable[],
  ) {
    this.lr = recipe.schedule.lr;
    this.inner = recipe.optimizer === 'sgd' ? { kind: 'sgd', opt: tf.train.momentum(this.lr, recipe.momentum) } : { kind: 'adam', opt: tf.train.adam(this.lr) };
  }

  /**
   * One update at 1-based `step`: gradients of `f` at the current weights, then the step with
   * that step's learning rate. Returns f's value when `returnCost` (the caller disposes it).
   */
  minimize(step: number, f: () => tf.Scalar, returnCost: boolean): tf.Scalar | null {
    const lr = lrAt(this.recipe.schedule, step);
    this.setLearningRate(lr);
    const { value, grads } = this.inner.opt.computeGradients(f, this.vars);
    const wd = this.recipe.weightDecay;
    if (wd > 0 && this.inner.kind === 'adam') {
      tf.tidy(() => this.vars.forEach((v) => v.assign(tf.mul(v, 1 - lr * wd))));
    }
    const named = this.vars.map((v) => {
      const g = grads[v.name];
      return { name: v.name, tensor: wd > 0 && this.inner.kind === 'sgd' ? tf.tidy(() => tf.add(g, tf.mul(v, wd))) : g };
    });
    this.inner.opt.applyGradients(named);
    tf.dispose([...Object.values(grads), ...named.map((n) => n.tensor)]);
    if (returnCost) return value;
    value.dispose();
    return null;
  }

  /** Adam reads its `learningRate` on every update; Momentum caches −lr as a scalar, so it is renewed only on a change. */
  private setLearningRate(lr: number): void {
    if (lr === this.lr) return;
    this.lr = lr;
    if (this.inner.kind === 'sgd') this.inner.opt.setLearningRate(lr);
    else (this.inner.opt as unknown as { learningRate: number }).learningRate = lr;
  }

  dispose(): void {
    this.inner.opt.dispose();
  }
}
