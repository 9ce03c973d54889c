/**
 * Plain supervised training of a Net with cross-entropy: how teachers are made (shipped ones by
 * scripts/train-teachers.ts, self-distillation teachers of any architecture by the runner).
 * Adam with cosine learning-rate decay and optional shift / flip augmentation, all seeded.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random';
import type { Net } from '../models/net';
import { crossEntropy } from '../distill/losses';
import { type Augment, augmentBatch } from './augment';
import type { TrainSource } from '../loop/sources';
import { RecipeOptimizer } from '../optim/optimizer';
import { cosineToZero } from '../optim/lrSchedule';

export interface SupervisedOptions {
  steps: number;
  batch: number;
  lr: number;
  seed: number;
  augment: Augment; // random shifts (0 = none) and left–right flips
  background: readonly number[]; // per channel, the normalised value of a black pixel: fills shifted borders
  onStep?: (step: number, loss: number) => void | Promise<void>;
  logEvery?: number;
}

export async function trainSupervised(net: Net, train: TrainSource, o: SupervisedOptions): Promise<void> {
  // Cosine decay to 0 over the run, no warm-up, no weight decay: the teachers' recipe since they were first trained.
  const optimizer = new RecipeOptimizer({ optimizer: 'adam', momentum: 0, weightDecay: 0, schedule: cosineToZero(o.lr, o.steps) }, net.trainableVariables());
  const rng = Rng.derive(o.seed, 4);
  const { inputSize: s, inChannels: c } = net.options;
  const logEvery = o.logEvery ?? 50;
  try {
    for (let step = 1; step <= o.steps; step++) {
      const b = train.nextBatch(o.batch);
      const pixels = o.augment.shift > 0 || o.augment.flip ? augmentBatch(b.x, b.y.length, s, c, o.augment, o.background, rng) : b.x;
      const x = tf.tensor4d(pixels, [b.y.length, s, s, c]);
      const y = tf.tensor1d(b.y, 'int32');
      const cost = optimizer.minimize(step, () => crossEntropy(net.apply(x, true).logits, y), true)!;
      tf.dispose([x, y]);
      try {
        if (step % logEvery === 0 || step === o.steps) {
          const loss = (await cost.data())[0];
          if (!Number.isFinite(loss)) throw new Error(`supervised training diverged at step ${step} (loss ${loss})`);
          await o.onStep?.(step, loss);
        }
      } finally {
        cost.dispose();
      }
    }
  } finally {
    optimizer.dispose(); // also when onStep ends the training early (a stop in the page)
  }
}
