/**
 * sparseBatchNorm: batch norm whose statistics use active positions only and whose output is
 * exactly 0 at inactive ones (H-GKD / SparK). On webgpu (after registerWebGPUKernels) four
 * WGSL passes under one tf.customGrad; elsewhere the plain-tfjs reference.
 */
import * as tf from '@tensorflow/tfjs';
import { checkActive } from '../sparseConv/mask';
import { customOp } from '../customOp';
import { runProgram, webgpuForKernels } from '../webgpu/dispatch';
import { SparseBnForwardProgram, SparseBnGradStatsProgram, SparseBnInputGradProgram, SparseBnStatsProgram } from './programs';
import { sparseBatchNormReference, type SparseBatchNormResult } from './reference';

export type { SparseBatchNormResult };

/**
 * Training mode: x [N, H, W, C]; active [N, H, W, 1] (0/1); gamma, beta [C]. Normalises with
 * the active-only batch statistics, which are returned (without gradient) for running averages.
 * Gradients: x (0 at inactive positions), gamma, beta; active gets none.
 */
export function sparseBatchNorm(x: tf.Tensor4D, active: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps = 1e-5): SparseBatchNormResult {
  checkActive(x.shape, active.shape);
  const c = x.shape[3];
  if (gamma.size !== c || beta.size !== c) throw new Error(`gamma/beta must be [${c}], got [${gamma.shape}] and [${beta.shape}]`);
  const gpu = webgpuForKernels();
  if (gpu === null) return sparseBatchNormReference(x, active, gamma, beta, eps);
  return tf.tidy(() => {
    // [3, C] mean, variance, count. Made by a raw program (no tape entry), so no gradient flows
    // through it: the input gradient below accounts for the statistics itself.
    const stats = runProgram(gpu, new SparseBnStatsProgram(x.shape), [x, active]);
    const epsU = [{ type: 'float32', data: [eps] }];
    // active is an input (with zero gradient) so that the mask's place in the graph matches the reference.
    const normalize = customOp(([xi, ai, gi, bi], save) => {
      save([xi, gi, ai, stats]);
      const y = runProgram(gpu, new SparseBnForwardProgram(x.shape), [xi, ai, stats, gi, bi], epsU);
      const gradFunc = (dy: tf.Tensor, [xs, gs, as, st]: tf.Tensor[]) => {
        const sums = runProgram(gpu, new SparseBnGradStatsProgram(x.shape), [dy, xs, as, st], epsU); // [2, C] dβ, dγ
        const dx = runProgram(gpu, new SparseBnInputGradProgram(x.shape), [dy, xs, as, st, gs, sums], epsU);
        const [dBeta, dGamma] = tf.unstack(sums);
        return [dx, tf.zerosLike(as), dGamma, dBeta];
      };
      return { value: y, gradFunc };
    });
    const y = normalize(x, active, gamma, beta) as tf.Tensor4D;
    const [mean, variance] = tf.unstack(stats) as tf.Tensor1D[];
    return { y, mean, variance };
  });
}

/** Inference mode with running statistics: active ⊙ ((x − μ)·γ/√(σ² + ε) + β), plain ops on every backend. */
export function sparseBatchNormInfer(
  x: tf.Tensor4D,
  active: tf.Tensor4D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  runningMean: tf.Tensor1D,
  runningVar: tf.Tensor1D,
  eps = 1e-5,
): tf.Tensor4D {
  checkActive(x.shape, active.shape);
  return tf.tidy(() => x.sub(runningMean).mul(runningVar.add(eps).rsqrt()).mul(gamma).add(beta).mul(active) as tf.Tensor4D);
}
