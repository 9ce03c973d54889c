/**
 * The trainable piece the Distiller adds on top of the student for every method, thrown away at
 * inference: the 1×1 align conv (built only when student and teacher widths differ, as the
 * official MGD code). Methods' own heads live with them (core/methods/<method>/).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random';
import type { ParamStore } from '../models/params';
import { addConvParams } from '../models/layers';

export type FeatureMap = (x: tf.Tensor4D) => tf.Tensor4D;

/** [N,H,W,Cs] → [N,H,W,Ct]; null when Cs = Ct (identity: no parameters at all). */
export function addAlign(p: ParamStore, rng: Rng, name: string, cs: number, ct: number): FeatureMap | null {
  if (cs === ct) return null;
  const { w, b } = addConvParams(p, rng, name, 1, cs, ct);
  return (x) => tf.add(tf.conv2d(x, w, 1, 'same'), b);
}
