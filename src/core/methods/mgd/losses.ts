/**
 * The losses of the methods compared in the MGD paper. All reduce over the batch by mean.
 * Feature losses are a SUM over C·H·W divided by N (official MGD code), so their scale grows
 * with the feature size and α must shrink accordingly. The Distiller's "difference" metric is
 * the same sum.
 */
import * as tf from '@tensorflow/tfjs';

/** Hinton KD: T² · KL(softmax(t/T) ‖ softmax(s/T)), averaged over the batch. */
export function kdLoss(studentLogits: tf.Tensor2D, teacherLogits: tf.Tensor2D, T: number): tf.Scalar {
  return tf.tidy(() => {
    const logPs = tf.logSoftmax(tf.div(studentLogits, T));
    const logPt = tf.logSoftmax(tf.div(teacherLogits, T));
    const kl = tf.sum(tf.mul(tf.exp(logPt), tf.sub(logPt, logPs)));
    return kl.mul(T * T).div(studentLogits.shape[0]) as tf.Scalar;
  });
}

/**
 * Σ_{c,h,w} (a − b)² / N. a, b [N,H,W,C] → scalar. Mimicking loss and the "difference" metric.
 * Reduced axis by axis (C, then W, H, N): one flat sum of N·H·W·C float32 terms accumulates
 * them one by one on wasm and drifts ~1e-4 relative at 64×7×7×64 (tests/featureSum.test.ts).
 */
export function sumSquaredPerSample(a: tf.Tensor4D, b: tf.Tensor4D): tf.Scalar {
  return tf.tidy(() => tf.squaredDifference(a, b).sum(3).sum(2).sum(1).sum(0).div(a.shape[0]) as tf.Scalar);
}
