/**
 * OFD's loss, as the authors' CIFAR code (CIFAR-100/distiller.py; train_with_distillation.py):
 * per hooked stage i of n (stage order), the connected student feature s = c_i(S_pre) against the
 * target t = max(T_pre, m) under the partial L2 Σ (s − t)²·[s > t or t > 0], divided by 2^(n−i−1);
 * the sum is divided by the batch size and weighted by w (the code's 1/1000 for CIFAR, 1/10000 for
 * ImageNet). The margin m per channel is E[x | x < 0] of N(β, γ²), the teacher's BN before the
 * ReLU (for a residual stage the last block's second BN, the authors' approximation: the shortcut
 * is ignored), or −3|γ| where that tail holds under 0.1 %. The teacher is frozen, so the margins
 * are computed once. Unlike the authors' CIFAR script, which leaves the teacher in training mode,
 * the teacher here runs in inference mode like every other method's.
 */
import * as tf from '@tensorflow/tfjs';
import { addConnector, type Apply } from '../../models/layers';
import type { PreReluBn } from '../../models/net';
import type { MethodTerm } from '../term';

/** Below this tail mass Φ(−β/|γ|) the margin is −3|γ| (the code's threshold). */
const MIN_TAIL = 0.001;
/** A floor on |γ| so a zero γ gives the limit margin instead of 0/0. */
const MIN_SCALE = 1e-12;

/**
 * erfc(x) by Numerical Recipes' erfcc (Chebyshev fit, fractional error < 1.2e-7 everywhere),
 * from elementwise ops every backend has. x [C] → [C].
 */
function erfc(x: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const z = tf.abs(x);
    const t = tf.div(1, tf.add(1, tf.mul(0.5, z)));
    const coefficients = [1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277];
    // Horner from the highest coefficient: 1.00002368 + t(0.37409196 + t(… + t·0.17087277)).
    const poly = coefficients.slice(0, -1).reduceRight<tf.Tensor>((acc, c) => tf.add(c, tf.mul(t, acc)), tf.scalar(coefficients[coefficients.length - 1]));
    const positive = tf.mul(t, tf.exp(tf.add(tf.sub(tf.neg(tf.square(z)), 1.26551223), tf.mul(t, poly))));
    return tf.where(tf.greaterEqual(x, 0), positive, tf.sub(2, positive)) as tf.Tensor1D;
  });
}

/**
 * The margin per channel: with s = |γ|, m = β and Φ(−m/s) > 0.001, m − s·φ(m/s)/Φ(−m/s) (the mean
 * of N(m, s²) below 0); otherwise −3s. bn.gamma, bn.beta [C] → [C].
 */
export function ofdMargin(bn: PreReluBn): tf.Tensor1D {
  return tf.tidy(() => {
    const s = tf.maximum(tf.abs(bn.gamma), MIN_SCALE);
    const r = tf.div(bn.beta, s); // m/s
    const tail = tf.mul(0.5, erfc(tf.div(r, Math.SQRT2))); // Φ(−m/s)
    const density = tf.div(tf.exp(tf.mul(-0.5, tf.square(r))), Math.sqrt(2 * Math.PI)); // φ(m/s)
    const conditional = tf.sub(bn.beta, tf.div(tf.mul(s, density), tf.maximum(tail, MIN_TAIL)));
    return tf.where(tf.greater(tail, MIN_TAIL), conditional, tf.mul(-3, s)) as tf.Tensor1D;
  });
}

/**
 * The code's distillation_loss: Σ (s − t)²·[s > t or t > 0] with t = max(teacher, margin).
 * student, teacher [N,H,W,C], margin [C] → scalar (a sum, not a mean).
 */
export function partialL2(student: tf.Tensor4D, teacher: tf.Tensor4D, margin: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const target = tf.maximum(teacher, margin);
    // Where t ≤ 0 the counted (s − t)² for s > t is relu(s − t)²: the condition is then the
    // teacher's alone, and the gradient needs no derivative of a comparison.
    const gap = tf.sub(student, target);
    return tf.sum(tf.where(tf.greater(target, 0), tf.square(gap), tf.square(tf.relu(gap)))) as tf.Scalar;
  });
}

export const OFD_TERM: MethodTerm<{ ofdW: number }> = {
  alignsStudent: false, // its own connectors, on the pre-ReLU features
  readsPreRelu: true,
  build: ({ params, rng, settings, stages }) => {
    const connectors: Apply[] = stages.map((st, i) => addConnector(params, rng, `ofd.${i}`, st.student[2], st.teacher[2]));
    const margins = stages.map((st) => ofdMargin(st.teacherBn));
    return {
      loss: (x) => {
        if (!x.preRelu) throw new Error('ofd: the pre-ReLU features were not passed (the trainer reads them when a term says readsPreRelu)');
        const { student, teacher } = x.preRelu;
        const n = student.length;
        const batch = student[0].shape[0];
        // Training-mode BN: the connectors only ever run in a training step.
        const terms = student.map((s, i) => tf.div(partialL2(connectors[i](s, true), teacher[i], margins[i]), 2 ** (n - i - 1)));
        const feature = tf.div(tf.addN(terms), batch) as tf.Scalar;
        return { distill: tf.mul(feature, settings.ofdW), feature };
      },
      dispose: () => tf.dispose(margins),
    };
  },
};
