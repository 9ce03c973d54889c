/**
 * MGD's generation block, trained with the student and thrown away at inference: convs at the
 * teacher's width, 'same' padding, bias, ReLU between convs but not after the last.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../random';
import type { ParamStore } from '../../models/params';
import { addConvParams } from '../../models/layers';
import { maskedConv2d } from '../../kernels';

/** A generator reads the student feature through the mask: G(x ⊙ mask). */
export type MaskedFeatureMap = (x: tf.Tensor4D, mask: tf.Tensor4D) => tf.Tensor4D;

/**
 * Generator G: `convs` convs of size k×k at width Ct, applied to x ⊙ mask. The first conv is the
 * fused masked convolution (on WebGPU the mask is applied while reading x, no masked copy).
 * x [N,H,W,Ct], mask [N,H,W,1] or [N,1,1,Ct] → [N,H,W,Ct].
 */
export function addGenerator(p: ParamStore, rng: Rng, name: string, ct: number, convs: number, k: number): MaskedFeatureMap {
  const layers = Array.from({ length: convs }, (_, i) => addConvParams(p, rng, `${name}.conv${i + 1}`, k, ct, ct));
  return (x, mask) =>
    layers.reduce((h, { w, b }, i) => {
      const y = i === 0 ? maskedConv2d(h, mask, w, b, 1, 'same') : (tf.add(tf.conv2d(h, w, 1, 'same'), b) as tf.Tensor4D);
      return i < layers.length - 1 ? tf.relu(y) : y;
    }, x);
}
