/**
 * AT's loss, as the authors' code (utils.py `at`, `at_loss`; cifar.py adds β·Σ at_loss with
 * β = 1e3 in its README), which RepDistiller (-b 1000) and mdistiller (FEAT_WEIGHT 1000, P 2)
 * reproduce. The paper writes β/2 with the mean folded into β; the code's β·mean is what was run.
 */
import * as tf from '@tensorflow/tfjs';
import type { MethodTerm } from '../term';

/** F.normalize's floor on the norm: a sample whose map is all zeros stays zero instead of NaN. */
const NORM_EPS = 1e-12;

/** a(F) = mean over channels of F² (p = 2), flattened and L2-normalised per sample. f [N,H,W,C] → [N, H·W]. */
export function attentionMap(f: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    const [n, h, w] = f.shape;
    const a = tf.reshape(tf.mean(tf.square(f), 3), [n, h * w]); // [N, H·W]
    // max(‖a‖, ε) taken as √max(‖a‖², ε²): the same value, and a zero map's gradient is 0, not 0·∞.
    const norm = tf.sqrt(tf.maximum(tf.sum(tf.square(a), 1, true), NORM_EPS * NORM_EPS)); // [N, 1]
    return tf.div(a, norm) as tf.Tensor2D;
  });
}

/** mean over N·H·W of (a(S) − a(T))². s [N,H,W,Cs], t [N,H,W,Ct] → scalar. */
export function atLoss(s: tf.Tensor4D, t: tf.Tensor4D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.squaredDifference(attentionMap(s), attentionMap(t))) as tf.Scalar);
}

export const AT_TERM: MethodTerm<{ atBeta: number }> = {
  alignsStudent: false, // reads S itself: a map has no channels to align
  build: ({ settings }) => ({
    loss: (x) => {
      const feature = x.studentFeatures.map((s, i) => atLoss(s, x.teacherFeatures[i])).reduce((a, b) => tf.add(a, b));
      return { distill: tf.mul(feature, settings.atBeta), feature };
    },
  }),
};
