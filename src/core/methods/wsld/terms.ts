/**
 * WSLD's loss, as the authors' code (knowledge_distiller.py, WSLDistiller): the soft-label term
 * is the cross-entropy H(p_t^T, p_s^T) (not the KL: they differ by the teacher's entropy, which the
 * per-sample weight makes matter for the value, not the gradient); the weight uses the hard-label
 * cross-entropies at T = 1 of the detached logits, floored at 0 before the exponential.
 */
import * as tf from '@tensorflow/tfjs';
import { stopGradient } from '../../ops/stopGradient';
import type { MethodTerm } from '../term';

/** The code's guard against a teacher with zero cross-entropy. */
const CE_EPS = 1e-7;

/** Per-sample hard-label cross-entropy: logits [N, K], labels [N] → [N]. */
function perSampleCe(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.neg(tf.sum(tf.mul(tf.oneHot(labels, logits.shape[1]), tf.logSoftmax(logits)), 1)) as tf.Tensor1D;
}

/** The per-sample weights w_i = 1 − exp(−max(CE_S,i / (CE_T,i + ε), 0)): logits [N, K], labels [N] → [N]. */
export function wsldWeights(studentLogits: tf.Tensor2D, teacherLogits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const ratio = tf.div(perSampleCe(studentLogits, labels), tf.add(perSampleCe(teacherLogits, labels), CE_EPS)); // [N]
    return tf.sub(1, tf.exp(tf.neg(tf.relu(ratio)))) as tf.Tensor1D;
  });
}

/** T² · mean_i w_i · H(p_t,i^T, p_s,i^T) for given weights w [N] → scalar. */
export function weightedSoftLoss(studentLogits: tf.Tensor2D, teacherLogits: tf.Tensor2D, weights: tf.Tensor1D, T: number): tf.Scalar {
  return tf.tidy(() => {
    const pt = tf.softmax(tf.div(teacherLogits, T)); // [N, K]
    const soft = tf.neg(tf.sum(tf.mul(pt, tf.logSoftmax(tf.div(studentLogits, T))), 1)); // [N]
    return tf.mul(tf.mean(tf.mul(weights, soft)), T * T) as tf.Scalar;
  });
}

/** WSLD: the weighted soft loss with the weights of the detached student logits (no gradient through them). */
export function wsldLoss(studentLogits: tf.Tensor2D, teacherLogits: tf.Tensor2D, labels: tf.Tensor1D, T: number): tf.Scalar {
  return tf.tidy(() => weightedSoftLoss(studentLogits, teacherLogits, wsldWeights(stopGradient(studentLogits), teacherLogits, labels), T));
}

export const WSLD_TERM: MethodTerm<{ wsldT: number; wsldW: number }> = {
  alignsStudent: false, // reads the logits only
  build: ({ settings }) => ({
    loss: (x) => {
      const feature = wsldLoss(x.studentLogits, x.teacherLogits, x.labels, settings.wsldT);
      return { distill: tf.mul(feature, settings.wsldW), feature };
    },
  }),
};
