/**
 * Sparse batch norm in plain tfjs ops (SparK's SparseBatchNorm): statistics over active
 * positions only, output exactly 0 at inactive ones. Autograd supplies the full gradient,
 * including the paths through the mean and variance.
 */
import * as tf from '@tensorflow/tfjs';
import { stopGradient } from '../../ops/stopGradient';

export type SparseBatchNormResult = {
  y: tf.Tensor4D; // [N, H, W, C], 0 at inactive positions
  mean: tf.Tensor1D; // [C] mean over active positions (no gradient)
  variance: tf.Tensor1D; // [C] biased variance over active positions (no gradient)
};

/** x [N, H, W, C]; active [N, H, W, 1] (0/1); gamma, beta [C]. With no active position, mean = variance = 0. */
export function sparseBatchNormReference(x: tf.Tensor4D, active: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): SparseBatchNormResult {
  return tf.tidy(() => {
    const a = stopGradient(active);
    const count = tf.sum(a).maximum(1); // scalar: active positions
    const mean = tf.sum(x.mul(a), [0, 1, 2]).div(count) as tf.Tensor1D; // [C]
    const centered = x.sub(mean); // [N, H, W, C]
    const variance = tf.sum(centered.square().mul(a), [0, 1, 2]).div(count) as tf.Tensor1D; // [C]
    const y = centered.mul(variance.add(eps).rsqrt()).mul(gamma).add(beta).mul(a) as tf.Tensor4D;
    return { y, mean: stopGradient(mean), variance: stopGradient(variance) };
  });
}
