/** The training recipe: the lr schedule (core/optim/lrSchedule.ts) and the optimiser (core/optim/optimizer.ts). */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initNodeBackend } from '../src/node/backend';
import { type LrSchedule, cosineToZero, lrAt } from '../src/core/optim/lrSchedule';
import { type Recipe, RecipeOptimizer } from '../src/core/optim/optimizer';

beforeAll(async () => {
  await initNodeBackend('cpu');
});

const base: LrSchedule = { kind: 'constant', lr: 0.1, steps: 100, floor: 0, every: 30, gamma: 0.5, warmup: 0 };

describe('lrAt', () => {
  it('constant is lr at every step', () => {
    expect([1, 50, 100].map((s) => lrAt(base, s))).toEqual([0.1, 0.1, 0.1]);
  });

  it('cosine to 0 is bit for bit the formula the shipped teachers were trained with', () => {
    for (const steps of [1, 7, 938]) {
      for (let s = 1; s <= steps; s++) expect(lrAt(cosineToZero(2e-3, steps), s)).toBe(0.5 * 2e-3 * (1 + Math.cos((Math.PI * (s - 1)) / steps)));
    }
  });

  it('cosine starts at lr and falls towards its floor, reached after the last step', () => {
    const c = { ...base, kind: 'cosine', floor: 0.1 } as const;
    expect(lrAt(c, 1)).toBeCloseTo(0.1, 12);
    expect(lrAt(c, 51)).toBeCloseTo(0.01 + 0.045, 12); // halfway: the mean of lr and floor
    expect(lrAt(c, 100)).toBeGreaterThan(0.01);
    expect(lrAt(c, 100)).toBeLessThan(0.0101);
  });

  it('step decay multiplies by γ every `every` steps', () => {
    const s = { ...base, kind: 'step' } as const;
    expect([1, 30, 31, 60, 61, 100].map((i) => lrAt(s, i))).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.0125]);
  });

  it('warm-up rises linearly to lr at step W, then the schedule runs over the remaining steps', () => {
    const w = { ...base, kind: 'step', warmup: 10 } as const;
    expect([1, 5, 10].map((i) => lrAt(w, i))).toEqual([0.01, 0.05, 0.1]);
    expect([11, 40, 41].map((i) => lrAt(w, i))).toEqual([0.1, 0.1, 0.05]);
    const c = { ...base, kind: 'cosine', warmup: 20 } as const;
    expect(lrAt(c, 21)).toBe(0.1);
    expect(lrAt(c, 61)).toBeCloseTo(0.05, 12); // halfway through the 80 steps after the warm-up
  });
});

/**
 * Three steps of each optimiser on f(w) = ½·Σ(w ⊙ a)² (gradient w ⊙ a²), against the torch.optim
 * update rules written out in float64.
 */
const A = [1, -2, 0.5];
const W0 = [0.3, -0.7, 1.2];

function tfSteps(recipe: Recipe, steps: number): number[] {
  const w = tf.variable(tf.tensor1d(W0));
  const a = tf.tensor1d(A);
  const opt = new RecipeOptimizer(recipe, [w]);
  for (let s = 1; s <= steps; s++) opt.minimize(s, () => tf.mul(0.5, tf.sum(tf.square(tf.mul(w, a)))) as tf.Scalar, false);
  const out = Array.from(w.dataSync());
  opt.dispose();
  tf.dispose([w, a]);
  return out;
}

function torchSteps(recipe: Recipe, steps: number): number[] {
  const w = [...W0];
  const m = [0, 0, 0];
  const v = [0, 0, 0];
  const wd = recipe.weightDecay;
  for (let s = 1; s <= steps; s++) {
    const lr = lrAt(recipe.schedule, s);
    for (let i = 0; i < w.length; i++) {
      let g = w[i] * A[i] * A[i];
      if (recipe.optimizer === 'sgd') {
        g += wd * w[i]; // torch.optim.SGD weight_decay
        m[i] = s === 1 ? g : recipe.momentum * m[i] + g; // dampening 0
        w[i] -= lr * m[i];
      } else {
        w[i] *= 1 - lr * wd; // torch.optim.AdamW
        m[i] = 0.9 * m[i] + 0.1 * g;
        v[i] = 0.999 * v[i] + 0.001 * g * g;
        const mHat = m[i] / (1 - 0.9 ** s);
        const vHat = v[i] / (1 - 0.999 ** s);
        w[i] -= (lr * mHat) / (Math.sqrt(vHat) + 1e-7);
      }
    }
  }
  return w;
}

describe('RecipeOptimizer takes torch.optim\'s steps', () => {
  const step = { ...base, kind: 'step', every: 2, warmup: 1 } as const;
  it.each<[string, Recipe]>([
    ['adam', { optimizer: 'adam', momentum: 0, weightDecay: 0, schedule: { ...base, kind: 'cosine', steps: 3 } }],
    ['adamw', { optimizer: 'adam', momentum: 0, weightDecay: 0.3, schedule: { ...base, kind: 'cosine', steps: 3 } }],
    ['sgd', { optimizer: 'sgd', momentum: 0, weightDecay: 0, schedule: base }],
    ['sgd, momentum, L2, step decay, warm-up', { optimizer: 'sgd', momentum: 0.9, weightDecay: 0.05, schedule: step }],
  ])('%s', (_, recipe) => {
    const got = tfSteps(recipe, 3);
    const want = torchSteps(recipe, 3);
    got.forEach((g, i) => expect(Math.abs(g - want[i])).toBeLessThan(1e-5)); // float32 against float64
  });

  it('weight decay moves the weights (so the cases above can tell it apart)', () => {
    const plain = tfSteps({ optimizer: 'sgd', momentum: 0.9, weightDecay: 0, schedule: base }, 3);
    const decayed = tfSteps({ optimizer: 'sgd', momentum: 0.9, weightDecay: 0.05, schedule: base }, 3);
    expect(Math.abs(plain[2] - decayed[2])).toBeGreaterThan(1e-3);
  });

  it('releases every tensor of a step', () => {
    const w = tf.variable(tf.tensor1d(W0));
    for (const optimizer of ['adam', 'sgd'] as const) {
      const opt = new RecipeOptimizer({ optimizer, momentum: 0.9, weightDecay: 0.01, schedule: { ...base, kind: 'cosine' } }, [w]);
      opt.minimize(1, () => tf.sum(tf.square(w)) as tf.Scalar, false); // creates the optimiser's state
      const before = tf.memory().numTensors;
      for (let s = 2; s <= 5; s++) opt.minimize(s, () => tf.sum(tf.square(w)) as tf.Scalar, false);
      opt.minimize(6, () => tf.sum(tf.square(w)) as tf.Scalar, true)!.dispose();
      expect(tf.memory().numTensors).toBe(before);
      opt.dispose();
    }
    w.dispose();
  });
});
