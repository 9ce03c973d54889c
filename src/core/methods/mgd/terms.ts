/**
 * Loss terms of the MGD family (added to CE by the Distiller):
 *   none   : 0
 *   kd     : kdW · KD(T)
 *   mimic  : α · Σ(align(S) − T)² / N
 *   mgd    : α · Σ(G(align(S) ⊙ M) − T)² / N
 *   mgd+kd : α · MGD + kdW · KD(T)
 */
import * as tf from '@tensorflow/tfjs';
import { addGenerator } from './generator';
import { drawMask, type MaskKind } from './masks';
import { kdLoss, sumSquaredPerSample } from './losses';
import type { BuiltTerm, MethodTerm, TermInputs, TermValue } from '../term';

const sum = (xs: tf.Scalar[]): tf.Scalar => xs.reduce((a, b) => tf.add(a, b), tf.scalar(0));

export const NONE_TERM: MethodTerm<object> = {
  alignsStudent: false,
  build: () => ({ loss: () => ({ distill: tf.scalar(0), feature: tf.scalar(0) }) }),
};

export const KD_TERM: MethodTerm<{ kdT: number; kdW: number }> = {
  alignsStudent: false,
  build: ({ settings }) => ({
    loss: (x) => ({ distill: tf.mul(kdLoss(x.studentLogits, x.teacherLogits, settings.kdT), settings.kdW), feature: tf.scalar(0) }),
  }),
};

export const MIMIC_TERM: MethodTerm<{ alpha: number }> = {
  alignsStudent: true,
  build: ({ settings }) => ({
    loss: (x) => {
      const feature = sum(x.differences); // the metric is the mimic loss itself
      return { distill: tf.mul(feature, settings.alpha), feature };
    },
  }),
};

/** MGD, optionally with KD on the logits. The generators' weights follow the align convs' in the rng stream. */
/** The rows MGD reads (+ KD's for mgd+kd). */
interface MgdSettings {
  alpha: number;
  lambda: number;
  mask: MaskKind;
  gen: { convs: number; kernel: number };
  kdT: number;
  kdW: number;
}

function mgdTerm(withKd: boolean): MethodTerm<MgdSettings> {
  return {
    alignsStudent: true,
    build: ({ params, rng, maskRng, settings, stages }): BuiltTerm => {
      const generators = stages.map((s, i) => addGenerator(params, rng, `gen${i}`, s.teacher[2], settings.gen.convs, settings.gen.kernel));
      /** A fresh random mask for an aligned feature [N,H,W,C]: [N,H,W,1] (pixel) or [N,1,1,C] (channel). */
      const newMask = (aligned: tf.Tensor4D): tf.Tensor4D => {
        const [n, h, w, c] = aligned.shape;
        const { values, shape } = drawMask(maskRng, settings.mask, n, h, w, c, settings.lambda);
        return tf.tensor4d(values, shape);
      };
      const generate = (i: number, aligned: tf.Tensor4D, mask: tf.Tensor4D) => generators[i](aligned, mask);
      return {
        generate,
        loss: (x: TermInputs): TermValue => {
          const feature = sum(x.aligned.map((a, i) => sumSquaredPerSample(generate(i, a, newMask(a)), x.teacherFeatures[i])));
          const mgd = tf.mul(feature, settings.alpha) as tf.Scalar;
          const distill = withKd ? (tf.add(mgd, tf.mul(kdLoss(x.studentLogits, x.teacherLogits, settings.kdT), settings.kdW)) as tf.Scalar) : mgd;
          return { distill, feature };
        },
      };
    },
  };
}

export const MGD_TERM = mgdTerm(false);
export const MGD_KD_TERM = mgdTerm(true);
