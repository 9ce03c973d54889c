/**
 * Masked convolution in plain tfjs ops: y = conv2d(x ⊙ mask, w) + b. The definition the WGSL
 * kernels are tested against, and the path every non-webgpu backend takes.
 */
import * as tf from '@tensorflow/tfjs';
import { stopGradient } from '../../ops/stopGradient';
import type { ConvPad } from '../convGeometry';

/**
 * x [N, H, W, Ci]; mask [N, H, W, 1] (pixel) or [N, 1, 1, Ci] (channel), any size-1 dim
 * broadcasting; w [K, K, Ci, Co]; b [Co] → y [N, Ho, Wo, Co]. The mask gets no gradient.
 */
export function maskedConv2dReference(x: tf.Tensor4D, mask: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D, stride: number, pad: ConvPad): tf.Tensor4D {
  return tf.tidy(() => tf.conv2d(x.mul(stopGradient(mask)) as tf.Tensor4D, w, stride, pad).add(b) as tf.Tensor4D);
}
