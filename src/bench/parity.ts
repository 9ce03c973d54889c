/**
 * Kernel parity in the browser: maskedConv2d, sparseConv2d and sparseBatchNorm (WGSL) against
 * their plain-tfjs references on the page's WebGPU — forward and every gradient of Σ y·r — with
 * the Node tests' data and error measure (./parityMath.ts). Small shapes: odd sizes,
 * stride 2, batch 1, all- and none-masked.
 */
import * as tf from '@tensorflow/tfjs';
import {
  kernelPath,
  maskedConv2d,
  maskedConv2dReference,
  sparseBatchNorm,
  sparseBatchNormReference,
  sparseConv2d,
  sparseConv2dReference,
} from '../core/kernels';
import { bernoulli, compiledKeys, relErr, rng, uniform, valueAndGrads } from './parityMath';

type Shape4 = [number, number, number, number]; // [N, H, W, C]

/** One compared tensor: the op's output or the gradient of one input. */
export interface ParityCheck {
  op: string;
  label: string;
  part: string; // 'y' or 'd<input>'
  shapeOk: boolean;
  err: number; // max |ours − reference| / max |reference|
}

export interface ParityReport {
  kernels: string;
  compiled: string[];
  checks: ParityCheck[];
}

interface Case {
  x: Shape4;
  k: number;
  co: number;
  stride: number;
  keep: number; // fraction of mask entries that are 1
  channelMask?: boolean; // maskedConv2d: a per-channel mask instead of per-pixel
}

const CONV_CASES: Case[] = [
  { x: [2, 7, 5, 3], k: 3, co: 4, stride: 1, keep: 0.5 },
  { x: [1, 9, 9, 2], k: 3, co: 3, stride: 2, keep: 0.5, channelMask: true }, // batch 1, odd, stride 2
  { x: [1, 5, 7, 3], k: 3, co: 5, stride: 2, keep: 0 }, // all masked
  { x: [2, 6, 6, 4], k: 1, co: 2, stride: 1, keep: 1 }, // none masked
];

/** maskedConv2d only: channels that are multiples of 4 (its passes' unpadded vec4 path). */
const MASKED_CASES: Case[] = [
  { x: [2, 7, 7, 16], k: 3, co: 20, stride: 1, keep: 0.5 }, // 4-pixel runs across rows and a partial last run
  { x: [3, 9, 6, 8], k: 5, co: 12, stride: 2, keep: 0.4, channelMask: true },
];

/** sparseConv2d only: several 4-channel blocks per site (its passes' register blocks), the last partial or whole. */
const SPARSE_CASES: Case[] = [
  { x: [2, 6, 7, 9], k: 3, co: 7, stride: 1, keep: 0.6 },
  { x: [1, 8, 7, 8], k: 3, co: 8, stride: 2, keep: 0.5 },
];

const BN_CASES: { x: Shape4; keep: number }[] = [
  { x: [2, 5, 7, 3], keep: 0.5 },
  { x: [1, 4, 4, 8], keep: 1 },
  { x: [3, 6, 5, 2], keep: 0 },
];

type Impl = (...inputs: tf.Tensor[]) => tf.Tensor;

/** Forward and every input gradient of `ours` against `ref` on the same inputs. */
async function compare(op: string, label: string, names: string[], ours: Impl, ref: Impl, inputs: tf.Tensor[], seed: number): Promise<ParityCheck[]> {
  const y = ref(...inputs);
  const r = tf.randomUniform(y.shape, -1, 1, 'float32', seed); // weights of Σ y·r
  const a = valueAndGrads(ours, inputs, r);
  const b = valueAndGrads(ref, inputs, r);
  const pairs: [string, tf.Tensor, tf.Tensor][] = [['y', a.y, b.y], ...names.map((n, i): [string, tf.Tensor, tf.Tensor] => [`d${n}`, a.grads[i], b.grads[i]])];
  const checks: ParityCheck[] = [];
  for (const [part, got, want] of pairs) {
    const shapeOk = got.shape.join() === want.shape.join();
    checks.push({ op, label, part, shapeOk, err: shapeOk ? relErr(await got.data(), await want.data()) : Infinity });
  }
  tf.dispose([y, r, a.y, b.y, ...a.grads, ...b.grads]);
  return checks;
}

const caseLabel = (c: Case) => `x[${c.x}] k${c.k} co${c.co} s${c.stride} keep=${c.keep}${c.channelMask ? ' channel' : ''}`;

function convInputs(c: Case, seed: number, maskShape: Shape4): tf.Tensor[] {
  const rand = rng(seed);
  const ci = c.x[3];
  return [
    tf.tensor4d(uniform(rand, c.x), c.x),
    tf.tensor4d(bernoulli(rand, maskShape, c.keep), maskShape),
    tf.tensor4d(uniform(rand, [c.k, c.k, ci, c.co]), [c.k, c.k, ci, c.co]),
  ];
}

/** maskedConv2d: x ⊙ mask (per pixel or per channel), then a conv with bias. */
async function maskedChecks(c: Case, i: number): Promise<ParityCheck[]> {
  const [n, h, w, ci] = c.x;
  const pad = c.k === 1 ? 'valid' : 'same';
  const mIn = [...convInputs(c, 100 + i, c.channelMask ? [n, 1, 1, ci] : [n, h, w, 1]), tf.tensor1d(uniform(rng(200 + i), [c.co]))];
  const masked = (impl: typeof maskedConv2dReference): Impl => (x, m, wt, b) => impl(x as tf.Tensor4D, m as tf.Tensor4D, wt as tf.Tensor4D, b as tf.Tensor1D, c.stride, pad);
  const checks = await compare('maskedConv2d', caseLabel(c), ['x', 'mask', 'w', 'b'], masked(maskedConv2d), masked(maskedConv2dReference), mIn, i);
  tf.dispose(mIn);
  return checks;
}

/** sparseConv2d: computed at active sites only. */
async function sparseChecks(c: Case, i: number): Promise<ParityCheck[]> {
  const [n, h, w] = c.x;
  const sIn = convInputs(c, 300 + i, [n, h, w, 1]);
  const sparse = (impl: typeof sparseConv2dReference): Impl => (x, a, wt) => impl(x as tf.Tensor4D, a as tf.Tensor4D, wt as tf.Tensor4D, c.stride);
  const checks = await compare('sparseConv2d', caseLabel(c), ['x', 'active', 'w'], sparse(sparseConv2d), sparse(sparseConv2dReference), sIn, 10 + i);
  tf.dispose(sIn);
  return checks;
}

export async function runParity(): Promise<ParityReport> {
  const checks: ParityCheck[] = [];
  for (const [i, c] of CONV_CASES.entries()) {
    checks.push(...(await maskedChecks(c, i)));
    checks.push(...(await sparseChecks(c, i)));
  }
  for (const [i, c] of MASKED_CASES.entries()) checks.push(...(await maskedChecks(c, CONV_CASES.length + i)));
  for (const [i, c] of SPARSE_CASES.entries()) checks.push(...(await sparseChecks(c, CONV_CASES.length + i)));
  for (const [i, c] of BN_CASES.entries()) {
    const rand = rng(500 + i);
    const [n, h, w, ch] = c.x;
    const inputs = [
      tf.tensor4d(uniform(rand, c.x).map((v, j) => 3 * v + (j % ch)), c.x), // channel-dependent mean, scale ≠ 1
      tf.tensor4d(bernoulli(rand, [n, h, w, 1], c.keep), [n, h, w, 1]),
      tf.tensor1d(uniform(rand, [ch]).map((v) => 1 + 0.5 * v)),
      tf.tensor1d(uniform(rand, [ch])),
    ];
    const bn = (impl: typeof sparseBatchNormReference): Impl => (x, a, g, b) => impl(x as tf.Tensor4D, a as tf.Tensor4D, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5).y;
    checks.push(...(await compare('sparseBatchNorm', `x[${c.x}] keep=${c.keep}`, ['x', 'active', 'gamma', 'beta'], bn(sparseBatchNorm), bn(sparseBatchNormReference), inputs, 20 + i)));
    tf.dispose(inputs);
  }
  return { kernels: kernelPath(), compiled: compiledKeys(), checks };
}
