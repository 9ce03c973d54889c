/**
 * Sparse (submanifold) convolution in plain tfjs ops, SparK-style emulation with dense conv:
 * y = conv2d(x ⊙ active, w) ⊙ downsampleMask(active, s). Masking the input as well as the
 * output means inactive inputs are never read, so dx is exactly 0 there (with SparK's
 * already-masked inputs the input mask changes nothing). The masks get no gradient.
 */
import * as tf from '@tensorflow/tfjs';
import { stopGradient } from '../../ops/stopGradient';
import { downsampleMask } from './mask';

/**
 * downsampleMask as a gradient-free constant. Built inside tf.customGrad so autograd never
 * visits its gathers (whose gradient, UnsortedSegmentSum, the wasm backend lacks).
 */
function constantOutputMask(active: tf.Tensor4D, stride: number): tf.Tensor4D {
  const f = tf.customGrad(((a: tf.Tensor4D) => ({ value: downsampleMask(a, stride), gradFunc: () => tf.zerosLike(a) })) as Parameters<typeof tf.customGrad>[0]);
  return f(active) as tf.Tensor4D;
}

/** x [N, H, W, Ci]; active [N, H, W, 1]; w [K, K, Ci, Co] → [N, ⌈H/s⌉, ⌈W/s⌉, Co], 'same' padding. */
export function sparseConv2dReference(x: tf.Tensor4D, active: tf.Tensor4D, w: tf.Tensor4D, stride: number): tf.Tensor4D {
  return tf.tidy(() => {
    const y = tf.conv2d(x.mul(stopGradient(active)) as tf.Tensor4D, w, stride, 'same');
    return y.mul(stride === 1 ? stopGradient(active) : constantOutputMask(active, stride)) as tf.Tensor4D;
  });
}
