/**
 * Active masks for sparse (submanifold) convolution.
 *
 * Downsampling rule (stride s, 'same' padding, Ho = ⌈H/s⌉): output (oh, ow) is active iff the
 * input position (oh·s, ow·s) is active, i.e. the mask subsampled at the top-left of every
 * stride cell. This is the submanifold-conv rule (an output site exists where its centre input
 * site exists). SparK instead max-pools its patch mask; the two agree whenever the mask is made
 * of patches aligned to multiples of the total stride (H-GKD's case: patch masks upsampled to
 * each scale). The WGSL passes apply the same rule directly (sparse_conv_compact.wgsl).
 */
import * as tf from '@tensorflow/tfjs';

/**
 * active [N, H, W, 1] (0/1) → [N, ⌈H/s⌉, ⌈W/s⌉, 1]: active[:, ::s, ::s, :]. Two gathers rather
 * than tf.stridedSlice, which has no gradient in tfjs 4.22 (autograd must pass through here even
 * though the mask's own gradient is zero).
 */
export function downsampleMask(active: tf.Tensor4D, stride: number): tf.Tensor4D {
  if (stride === 1) return active.clone();
  return tf.tidy(() => {
    const every = (n: number) => tf.range(0, n, stride, 'int32'); // 0, s, 2s, … < n
    return tf.gather(tf.gather(active, every(active.shape[1]), 1), every(active.shape[2]), 2);
  });
}

export function checkActive(xShape: number[], activeShape: number[]): void {
  const ok = activeShape.length === 4 && activeShape[0] === xShape[0] && activeShape[1] === xShape[1] && activeShape[2] === xShape[2] && activeShape[3] === 1;
  if (!ok) throw new Error(`active mask [${activeShape}] must be [N,H,W,1] matching x [${xShape}]`);
}
