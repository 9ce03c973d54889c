/**
 * The trainable pieces distillation adds on top of the student, thrown away at inference:
 * the 1×1 align conv (built only when student and teacher widths differ, as the official MGD
 * code) and MGD's generation block (convs at the teacher's width, 'same' padding, bias, ReLU
 * between convs but not after the last).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random';
import type { ParamStore } from '../models/params';
import { maskedConv2d } from '../kernels';

export type FeatureMap = (x: tf.Tensor4D) => tf.Tensor4D;

/** A generator reads the student feature through the mask: G(x ⊙ mask). */
export type MaskedFeatureMap = (x: tf.Tensor4D, mask: tf.Tensor4D) => tf.Tensor4D;

/** Weights of a conv with bias, PyTorch-default uniform init. w [k,k,cin,cout], b [cout]. */
function addConvParams(p: ParamStore, rng: Rng, name: string, k: number, cin: number, cout: number) {
  const fanIn = k * k * cin;
  const w = p.uniform(`${name}.w`, rng, [k, k, cin, cout], fanIn) as tf.Variable<tf.Rank.R4>;
  const b = p.uniform(`${name}.b`, rng, [cout], fanIn) as tf.Variable<tf.Rank.R1>;
  return { w, b };
}

/** [N,H,W,Cs] → [N,H,W,Ct]; null when Cs = Ct (identity: no parameters at all). */
export function addAlign(p: ParamStore, rng: Rng, name: string, cs: number, ct: number): FeatureMap | null {
  if (cs === ct) return null;
  const { w, b } = addConvParams(p, rng, name, 1, cs, ct);
  return (x) => tf.add(tf.conv2d(x, w, 1, 'same'), b);
}

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
