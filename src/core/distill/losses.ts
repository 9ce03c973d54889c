/**
 * The losses every Distiller run computes whatever its method: the task loss and the accuracy.
 * The methods' own losses live with them in core/methods/<method>/.
 */
import * as tf from '@tensorflow/tfjs';

/** Softmax cross-entropy with integer labels. logits [N,K], labels [N] int32 → scalar. */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const logp = tf.logSoftmax(logits);
    const onehot = tf.oneHot(labels, logits.shape[1]);
    return tf.neg(tf.sum(tf.mul(onehot, logp))).div(logits.shape[0]) as tf.Scalar;
  });
}

/** Top-1 accuracy in [0,1] of logits [N,K] against labels [N]. */
export function accuracy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32')) as tf.Scalar);
}
