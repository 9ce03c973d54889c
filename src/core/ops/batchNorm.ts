/**
 * Batch normalization over N, H, W of NHWC activations, with a closed-form gradient.
 *
 * Autograd through tf.moments + tf.batchNorm tiles per-channel tensors to full size and
 * broadcasts repeatedly; here every full-size pass is either a per-channel affine map
 * (one fused 1×1 depthwise conv with bias: XNNPACK's channelwise multiply-add on wasm,
 * far faster than broadcasting binary ops there) or a same-shape elementwise op, and
 * every per-channel sum is a row-vector product [1, M]·[M, C]: wasm runs it in XNNPACK,
 * while the transposed [C, M]·[M, 1] form falls to its plain loop (~25× slower measured).
 */
import * as tf from '@tensorflow/tfjs';

export type BatchNormTrainResult = {
  y: tf.Tensor4D; // [N, H, W, C]
  mean: tf.Tensor1D; // [C] batch mean (no gradient)
  variance: tf.Tensor1D; // [C] biased batch variance (no gradient)
};

type GradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[];
type CustomBody = (inputs: tf.Tensor[], save: tf.GradSaveFunc) => { value: tf.Tensor; gradFunc: GradFunc };

/** tf.customGrad with the inputs as an array (its own typing can't express a trailing `save`). */
function customOp(body: CustomBody): (...inputs: tf.Tensor[]) => tf.Tensor {
  const f = (...args: unknown[]) => body(args.slice(0, -1) as tf.Tensor[], args[args.length - 1] as tf.GradSaveFunc);
  return tf.customGrad(f as Parameters<typeof tf.customGrad>[0]);
}

/** Σ over N, H, W: t [N, H, W, C] → [C]. */
function channelSum(t: tf.Tensor4D): tf.Tensor1D {
  const c = t.shape[3];
  const m = t.size / c;
  const ones = tf.ones([1, m]);
  return tf.matMul(ones, t.reshape([m, c])).reshape([c]);
}

/** x·scale + shift per channel: x [N, H, W, C], scale/shift [C]. */
function affine(x: tf.Tensor4D, scale: tf.Tensor1D, shift?: tf.Tensor1D): tf.Tensor4D {
  const filter = scale.reshape([1, 1, scale.size, 1]) as tf.Tensor4D;
  return tf.fused.depthwiseConv2d({ x, filter, strides: 1, pad: 'valid', bias: shift });
}

/** Batch mean and biased variance [2, C] (two-pass, stable), cut off from the gradient. */
const batchMoments = customOp(([x]) => {
  const x4 = x as tf.Tensor4D;
  const m = x4.size / x4.shape[3];
  const mean = channelSum(x4).div(m) as tf.Tensor1D; // [C]
  const centered = affine(x4, tf.onesLike(mean), mean.neg()); // [N, H, W, C]
  const variance = channelSum(centered.square()).div(m); // [C]
  return { value: tf.stack([mean, variance]), gradFunc: () => [tf.zerosLike(x)] };
});

/**
 * Training-mode batch norm: normalizes with the batch statistics, which are returned
 * (without gradient) so the caller can update running averages.
 */
export function batchNormTrain(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): BatchNormTrainResult {
  return tf.tidy(() => {
    const [mean, variance] = tf.unstack(batchMoments(x)) as [tf.Tensor1D, tf.Tensor1D];
    const m = x.size / x.shape[3];
    const normalize = customOp(([xIn, g, b], save) => {
      const x4 = xIn as tf.Tensor4D;
      const invstd = variance.add(eps).rsqrt() as tf.Tensor1D; // [C]
      const a = g.mul(invstd) as tf.Tensor1D; // γ·invstd, [C]
      const y = affine(x4, a, b.sub(mean.mul(a)) as tf.Tensor1D); // (x − μ)·γ·invstd + β
      save([x4, mean, invstd, g]);
      const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, mu, inv, gs] = saved as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
        const dy4 = dy as tf.Tensor4D;
        const xc = affine(xs, tf.onesLike(mu), mu.neg()); // x − μ, [N, H, W, C]
        const dBeta = channelSum(dy4); // Σ dy
        const dGamma = channelSum(dy4.mul(xc)).mul(inv) as tf.Tensor1D; // Σ dy·x̂
        // dx = γ·invstd/M·(M·dy − dβ − x̂·dγ) = (dy − xc·invstd·dγ/M)·γ·invstd − γ·invstd·dβ/M
        const scale = gs.mul(inv) as tf.Tensor1D;
        const k = inv.mul(dGamma).div(m) as tf.Tensor1D;
        const c = scale.mul(dBeta).div(-m) as tf.Tensor1D;
        const dx = affine(dy4.sub(affine(xc, k)), scale, c);
        return [dx, dGamma, dBeta];
      };
      return { value: y, gradFunc };
    });
    const y = normalize(x, gamma, beta) as tf.Tensor4D;
    return { y, mean, variance };
  });
}

/** Inference-mode batch norm with running statistics (gradient to x, γ, β only). */
export function batchNormInfer(
  x: tf.Tensor4D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  runningMean: tf.Tensor1D,
  runningVar: tf.Tensor1D,
  eps: number,
): tf.Tensor4D {
  const normalize = customOp(([xIn, g, b], save) => {
    const invstd = runningVar.add(eps).rsqrt() as tf.Tensor1D; // [C]
    const a = g.mul(invstd) as tf.Tensor1D;
    const y = affine(xIn as tf.Tensor4D, a, b.sub(runningMean.mul(a)) as tf.Tensor1D);
    save([xIn, runningMean, invstd, g]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, mu, inv, gs] = saved as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
      const dy4 = dy as tf.Tensor4D;
      const xhat = affine(xs, inv, mu.mul(inv).neg() as tf.Tensor1D); // (x − μ)·invstd
      return [affine(dy4, gs.mul(inv) as tf.Tensor1D), channelSum(dy4.mul(xhat)), channelSum(dy4)];
    };
    return { value: y, gradFunc };
  });
  return normalize(x, gamma, beta) as tf.Tensor4D;
}
