/**
 * SRRL's loss, as the authors' code (train_imagenet_distillation.py with distiller_zoo/AIN.py):
 * connector = 1×1 conv (no bias, He-normal over fan-out) → BN → ReLU on the student's last
 * feature map; feature term = their `statm_loss`, the squared gap of the spatial means averaged
 * over channels and batch; logit term = F.mse_loss (mean over N·K) between the teacher's
 * classifier on the connected feature and the teacher's logits, times --weight (default 1).
 * The connector is trained with the student and dropped at inference; the teacher's classifier
 * stays frozen (only the student and the Distiller's parameters are optimised).
 */
import * as tf from '@tensorflow/tfjs';
import { addConnector, chain, relu } from '../../models/layers';
import type { MethodTerm } from '../term';

/** The regression terms of a connected student feature. connected [N,H,W,Ct], teacherPooled [N,Ct], teacherLogits [N,K]. */
export function srrlTerms(
  connected: tf.Tensor4D,
  teacherPooled: tf.Tensor2D,
  teacherLogits: tf.Tensor2D,
  teacherHead: (pooled: tf.Tensor2D) => tf.Tensor2D,
): { feature: tf.Scalar; logits: tf.Scalar } {
  return tf.tidy(() => {
    const pooled = tf.mean(connected, [1, 2]) as tf.Tensor2D; // [N, Ct]
    return {
      feature: tf.mean(tf.squaredDifference(pooled, teacherPooled)) as tf.Scalar,
      logits: tf.mean(tf.squaredDifference(teacherHead(pooled), teacherLogits)) as tf.Scalar,
    };
  });
}

export const SRRL_TERM: MethodTerm<{ srrlW: number }> = {
  alignsStudent: false, // its own connector, on the last stage, not the hooked stages' align
  build: ({ params, rng, settings, pooled: widths }) => {
    const connector = chain(addConnector(params, rng, 'srrl', widths.student, widths.teacher), relu);
    return {
      loss: (x) => {
        // Training-mode BN: the connector only ever runs in a training step.
        const { feature, logits } = srrlTerms(connector(x.studentLast, true), x.teacherPooled, x.teacherLogits, x.teacherHead);
        return { distill: tf.add(feature, tf.mul(logits, settings.srrlW)) as tf.Scalar, feature };
      },
    };
  },
};
