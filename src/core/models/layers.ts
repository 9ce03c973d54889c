/**
 * The few layers the model families are made of, as functions over a ParamStore.
 * Each `add*` creates parameters (at build time); each returned closure applies them.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random';
import type { ParamStore } from './params';
import { batchNormInfer, batchNormTrain } from '../ops/batchNorm';
import { BN_EPS, BN_MOMENTUM } from './bnSettings';

export { BN_EPS, BN_MOMENTUM };

export type Apply = (x: tf.Tensor4D, training: boolean) => tf.Tensor4D;

/** Conv with 'same' padding and no bias (a batch norm follows). x [N,H,W,Cin] → [N,H/s,W/s,Cout]. */
export function addConv(p: ParamStore, rng: Rng, name: string, k: number, cin: number, cout: number, stride: number): Apply {
  const w = p.convFilter(`${name}.w`, rng, k, k, cin, cout);
  return (x) => tf.conv2d(x, w as tf.Tensor4D, stride, 'same');
}

/** Weights of a conv with bias, PyTorch-default uniform init. w [k,k,cin,cout], b [cout]. */
export function addConvParams(p: ParamStore, rng: Rng, name: string, k: number, cin: number, cout: number) {
  const fanIn = k * k * cin;
  const w = p.uniform(`${name}.w`, rng, [k, k, cin, cout], fanIn) as tf.Variable<tf.Rank.R4>;
  const b = p.uniform(`${name}.b`, rng, [cout], fanIn) as tf.Variable<tf.Rank.R1>;
  return { w, b };
}

/** Depthwise conv (channel multiplier 1), 'same' padding, no bias. */
export function addDepthwise(p: ParamStore, rng: Rng, name: string, k: number, c: number, stride: number): Apply {
  const w = p.convFilter(`${name}.w`, rng, k, k, c, 1, k * k);
  return (x) => tf.depthwiseConv2d(x, w as tf.Tensor4D, stride, 'same');
}

/**
 * Batch norm over N·H·W per channel. Training mode normalises with the batch statistics and
 * moves the running averages (assigning inside the optimizer's tape is safe: the state
 * variables are not trainable); inference mode uses the running averages.
 */
export function addBatchNorm(p: ParamStore, name: string, c: number): Apply {
  const gamma = p.constant(`${name}.gamma`, [c], 1, true);
  const beta = p.constant(`${name}.beta`, [c], 0, true);
  const runMean = p.constant(`${name}.mean`, [c], 0, false);
  const runVar = p.constant(`${name}.var`, [c], 1, false);
  return (x, training) => {
    if (!training) return batchNormInfer(x, gamma as tf.Tensor1D, beta as tf.Tensor1D, runMean as tf.Tensor1D, runVar as tf.Tensor1D, BN_EPS);
    const { y, mean, variance } = batchNormTrain(x, gamma as tf.Tensor1D, beta as tf.Tensor1D, BN_EPS);
    updateRunningStats(runMean, runVar, mean, variance, x.size / c);
    return y;
  };
}

/**
 * Moves BN running averages towards a batch's statistics, then disposes those. `variance` is the
 * biased one the batch was normalised with; the running variance takes the unbiased one,
 * variance·n/(n − 1) over the n = N·H·W values per channel (or the active ones, for sparse BN),
 * as PyTorch's BatchNorm2d does, so exported nets and their PyTorch twins hold the same statistics.
 */
export function updateRunningStats(runMean: tf.Variable, runVar: tf.Variable, mean: tf.Tensor1D, variance: tf.Tensor1D, n: number | tf.Scalar): void {
  tf.tidy(() => {
    const unbiased = typeof n === 'number' ? variance.mul(n / Math.max(n - 1, 1)) : variance.mul(n.div(n.sub(1).maximum(1)));
    runMean.assign(runMean.mul(1 - BN_MOMENTUM).add(mean.mul(BN_MOMENTUM)));
    runVar.assign(runVar.mul(1 - BN_MOMENTUM).add(unbiased.mul(BN_MOMENTUM)));
  });
  mean.dispose();
  variance.dispose();
}

/**
 * A feature connector as SRRL's and OFD's code build it: 1×1 conv (no bias, He-normal over the
 * fan-out 1·1·Cout) then batch norm (γ 1, β 0). x [N,H,W,Cin] → [N,H,W,Cout].
 */
export function addConnector(p: ParamStore, rng: Rng, name: string, cin: number, cout: number): Apply {
  const w = p.convFilter(`${name}.conv.w`, rng, 1, 1, cin, cout, cout);
  const conv: Apply = (x) => tf.conv2d(x, w as tf.Tensor4D, 1, 'same');
  return chain(conv, addBatchNorm(p, `${name}.bn`, cout));
}

/** Sequential composition. */
export function chain(...fs: Apply[]): Apply {
  return (x, training) => fs.reduce((h, f) => f(h, training), x);
}

export const relu: Apply = (x) => tf.relu(x);
