/**
 * RKD's losses on the penultimate (pooled) embeddings, as the authors' code (lenscloth/RKD) and
 * mdistiller's RKD.py: distance weight 25, angle weight 50, Euclidean (not squared) distances,
 * smooth-L1 (Huber, β = 1) averaged over all N² pairs and N³ triplets, diagonals included.
 * Relations are within the batch, so a batch needs 2 images or more.
 */
import * as tf from '@tensorflow/tfjs';
import type { MethodTerm } from '../term';

/** The floors of the code's `_pdist` (clamp of the squared distance) and of F.normalize. */
const EPS = 1e-12;

/** smooth-L1 with β = 1, averaged over every element: 0.5·d² where |d| < 1, else |d| − 0.5. */
export function smoothL1(a: tf.Tensor, b: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    // With q = min(d, 1): 0.5·q² + (d − q) is both branches in one differentiable expression.
    const d = tf.abs(tf.sub(a, b));
    const q = tf.minimum(d, 1);
    return tf.mean(tf.add(tf.mul(tf.square(q), 0.5), tf.sub(d, q))) as tf.Scalar;
  });
}

/** Pairwise Euclidean distances divided by the mean of the off-diagonal ones. e [N, C] → [N, N], diagonal 0. */
export function normalisedDistances(e: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const n = e.shape[0];
    const sq = tf.sum(tf.square(e), 1); // [N]
    const d2 = tf.sub(tf.add(tf.reshape(sq, [n, 1]), tf.reshape(sq, [1, n])), tf.mul(tf.matMul(e, e, false, true), 2)); // [N, N]
    const offDiagonal = tf.sub(1, tf.eye(n)); // the code zeroes the diagonal after the square root
    const d = tf.mul(tf.sqrt(tf.maximum(d2, EPS)), offDiagonal) as tf.Tensor2D;
    return tf.div(d, tf.div(tf.sum(d), n * (n - 1))); // off-diagonal distances are ≥ √EPS > 0: all of them count
  });
}

/** cos∠(e_j − e_i, e_k − e_i) for every anchor i: e [N, C] → [N, N, N] (0 where j or k is i). */
export function tripletCosines(e: tf.Tensor2D): tf.Tensor3D {
  return tf.tidy(() => {
    const [n, c] = e.shape;
    const v = tf.sub(tf.reshape(e, [1, n, c]), tf.reshape(e, [n, 1, c])); // [N(i), N(j), C]: e_j − e_i
    // max(‖v‖, ε) taken as √max(‖v‖², ε²): the same value, and v = 0 (j = i) gets gradient 0, not 0·∞.
    const unit = tf.div(v, tf.sqrt(tf.maximum(tf.sum(tf.square(v), 2, true), EPS * EPS)));
    return tf.matMul(unit, unit, false, true) as tf.Tensor3D; // [N, N, N]
  });
}

export function rkdDistanceLoss(s: tf.Tensor2D, t: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => smoothL1(normalisedDistances(s), normalisedDistances(t)));
}

export function rkdAngleLoss(s: tf.Tensor2D, t: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => smoothL1(tripletCosines(s), tripletCosines(t)));
}

export const RKD_TERM: MethodTerm<{ rkdDist: number; rkdAngle: number }> = {
  alignsStudent: false, // reads the pooled embeddings, not the hooked stages
  build: ({ settings }) => ({
    loss: (x) => {
      if (x.studentPooled.shape[0] < 2) throw new Error('rkd relates the embeddings of a batch to each other: it needs batch ≥ 2');
      const distance = rkdDistanceLoss(x.studentPooled, x.teacherPooled);
      const angle = rkdAngleLoss(x.studentPooled, x.teacherPooled);
      return {
        distill: tf.add(tf.mul(distance, settings.rkdDist), tf.mul(angle, settings.rkdAngle)) as tf.Scalar,
        feature: tf.add(distance, angle) as tf.Scalar,
      };
    },
  }),
};
