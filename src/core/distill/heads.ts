/**
 * The trainable pieces distillation adds on top of the student, thrown away at inference:
 * the 1×1 align conv (built only when student and teacher widths differ, as the official MGD
 * code) and MGD's generation block (convs at the teacher's width, 'same' padding, bias, ReLU
 * between convs but not after the last).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random';
import type { ParamStore } from '../models/params';

export type FeatureMap = (x: tf.Tensor4D) => tf.Tensor4D;

/** Conv with bias, 'same' padding, PyTorch-default uniform init. */
function addBiasedConv(p: ParamStore, rng: Rng, name: string, k: number, cin: number, cout: number): FeatureMap {
  const fanIn = k * k * cin;
  const w = p.uniform(`${name}.w`, rng, [k, k, cin, cout], fanIn) as tf.Variable<tf.Rank.R4>;
  const b = p.uniform(`${name}.b`, rng, [cout], fanIn);
  return (x) => tf.add(tf.conv2d(x, w, 1, 'same'), b);
}

/** [N,H,W,Cs] → [N,H,W,Ct]; null when Cs = Ct (identity: no parameters at all). */
export function addAlign(p: ParamStore, rng: Rng, name: string, cs: number, ct: number): FeatureMap | null {
  return cs === ct ? null : addBiasedConv(p, rng, name, 1, cs, ct);
}

/** Generator G: `convs` convs of size k×k at width Ct. [N,H,W,Ct] → [N,H,W,Ct]. */
export function addGenerator(p: ParamStore, rng: Rng, name: string, ct: number, convs: number, k: number): FeatureMap {
  const layers = Array.from({ length: convs }, (_, i) => addBiasedConv(p, rng, `${name}.conv${i + 1}`, k, ct, ct));
  return (x) => layers.reduce((h, conv, i) => (i < layers.length - 1 ? tf.relu(conv(h)) : conv(h)), x);
}
