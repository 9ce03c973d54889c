/**
 * Identity whose gradient is zero (tfjs 4.22 has no public stopGradient): what flows into the
 * returned tensor never reaches `x`'s producers with a non-zero value.
 */
import * as tf from '@tensorflow/tfjs';

const stop = tf.customGrad(((x: tf.Tensor) => ({ value: x.clone(), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) })) as Parameters<typeof tf.customGrad>[0]);

export function stopGradient<T extends tf.Tensor>(x: T): T {
  return stop(x) as T;
}
