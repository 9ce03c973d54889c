/**
 * H-GKD's losses: MSE between the student's projected tokens and the teacher's patch
 * embeddings, and the similarity-distribution loss, 1 − Pearson r between the student's and the
 * teacher's similarity distributions over the memory queue.
 */
import * as tf from '@tensorflow/tfjs';

const EPS = 1e-8;

/** Mean squared error over every element: a, b [N, T, D] → scalar. */
export function tokenMse(student: tf.Tensor3D, teacher: tf.Tensor3D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.squaredDifference(student, teacher)) as tf.Scalar);
}

/** Rows scaled to unit L2 norm: [M, D]. */
export function l2Normalize(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.mul(x, tf.rsqrt(tf.add(tf.sum(tf.square(x), 1, true), EPS))) as tf.Tensor2D);
}

/** softmax(cos(e, queue) / τ) per row: e [N, D], queue [K, D] → [N, K]. */
export function similarityDistribution(e: tf.Tensor2D, queue: tf.Tensor2D, tau: number): tf.Tensor2D {
  return tf.tidy(() => tf.softmax(tf.div(tf.matMul(l2Normalize(e), l2Normalize(queue), false, true), tau)) as tf.Tensor2D);
}

/** Pearson r per row: the cosine of the mean-centred rows. a, b [N, K] → [N]. */
export function pearsonRows(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const ac = tf.sub(a, tf.mean(a, 1, true));
    const bc = tf.sub(b, tf.mean(b, 1, true));
    const dot = tf.sum(tf.mul(ac, bc), 1);
    const norms = tf.sqrt(tf.mul(tf.sum(tf.square(ac), 1), tf.sum(tf.square(bc), 1)));
    return tf.div(dot, tf.add(norms, EPS)) as tf.Tensor1D;
  });
}

/** 1 − mean Pearson r over the batch: a, b [N, K] → scalar. */
export function pearsonLoss(a: tf.Tensor2D, b: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.sub(1, tf.mean(pearsonRows(a, b))) as tf.Scalar);
}
