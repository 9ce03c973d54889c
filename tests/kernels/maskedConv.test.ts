/**
 * maskedConv2d's WGSL passes (forward, input / filter / bias gradients) against the plain-tfjs
 * reference conv2d(x ⊙ mask, w) + b, both on webgpu; masked input gradients exactly 0; training
 * through optimizer.minimize; no leaked tensors or GPU buffers.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import { maskedConv2d } from '../../src/core/kernels/maskedConv/op';
import { maskedConv2dReference } from '../../src/core/kernels/maskedConv/reference';
import { kernelPath } from '../../src/core/kernels/webgpu/dispatch';
import type { ConvPad } from '../../src/core/kernels/convGeometry';
import { expectCompiled, expectNoLeak } from './gpuHelpers';
import { bernoulli, expectClose, rng, uniform, valueAndGrads } from './helpers';
import { describeGPU, initWebGPU } from './webgpuSetup';

type Case = {
  x: [number, number, number, number]; // [N, H, W, Ci]
  k: number;
  co: number;
  stride: number;
  pad: ConvPad;
  mask: 'pixel' | 'channel';
  keep: number; // fraction of mask entries that are 1 (0: all masked, 1: none masked)
};

const CASES: Case[] = [
  { x: [2, 7, 5, 3], k: 3, co: 4, stride: 1, pad: 'same', mask: 'pixel', keep: 0.5 },
  { x: [1, 9, 9, 2], k: 5, co: 3, stride: 2, pad: 'same', mask: 'channel', keep: 0.5 },
  { x: [2, 6, 6, 4], k: 1, co: 2, stride: 1, pad: 'valid', mask: 'pixel', keep: 1 },
  { x: [1, 5, 7, 3], k: 3, co: 5, stride: 2, pad: 'same', mask: 'pixel', keep: 0 },
  { x: [3, 8, 8, 5], k: 3, co: 3, stride: 2, pad: 'valid', mask: 'channel', keep: 0.6 },
  { x: [2, 4, 4, 8], k: 3, co: 8, stride: 1, pad: 'same', mask: 'channel', keep: 0 },
  { x: [1, 3, 3, 1], k: 5, co: 1, stride: 1, pad: 'same', mask: 'pixel', keep: 0.5 },
  // Ci and Co multiples of 4: the passes' unpadded vec4 path; ≥ 16 channels put several
  // invocations on one 4-pixel run; H·W not a multiple of 4 leaves a partial last run.
  { x: [2, 7, 7, 16], k: 3, co: 20, stride: 1, pad: 'same', mask: 'pixel', keep: 0.5 },
  { x: [3, 9, 6, 8], k: 5, co: 12, stride: 2, pad: 'same', mask: 'channel', keep: 0.4 },
  { x: [2, 10, 9, 4], k: 3, co: 16, stride: 2, pad: 'valid', mask: 'pixel', keep: 0.3 },
  { x: [1, 5, 5, 16], k: 1, co: 4, stride: 1, pad: 'same', mask: 'channel', keep: 1 },
  ...randomCases(4),
];

/** Seeded random shapes (1…9 pixels a side, so also 1-pixel rows/columns), kernels, strides, pads, masks. */
function randomCases(count: number): Case[] {
  const rand = rng(2024);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  return Array.from({ length: count }, (): Case => ({
    x: [int(1, 3), int(1, 9), int(1, 9), int(1, 6)],
    k: [1, 3, 5][int(0, 2)],
    co: int(1, 6),
    stride: int(1, 2),
    pad: rand() < 0.7 ? 'same' : 'valid',
    mask: rand() < 0.5 ? 'pixel' : 'channel',
    keep: Math.round(rand() * 10) / 10,
  })).filter((c) => c.pad === 'same' || (c.x[1] >= c.k && c.x[2] >= c.k)); // 'valid' needs room for the kernel
}

function label(c: Case): string {
  return `x[${c.x}] k${c.k} co${c.co} s${c.stride} ${c.pad} ${c.mask} keep=${c.keep}`;
}

function makeInputs(c: Case, seed: number): { x: tf.Tensor4D; mask: tf.Tensor4D; w: tf.Tensor4D; b: tf.Tensor1D } {
  const rand = rng(seed);
  const [n, h, w, ci] = c.x;
  const maskShape: [number, number, number, number] = c.mask === 'pixel' ? [n, h, w, 1] : [n, 1, 1, ci];
  return {
    x: tf.tensor4d(uniform(rand, c.x), c.x),
    mask: tf.tensor4d(bernoulli(rand, maskShape, c.keep), maskShape),
    w: tf.tensor4d(uniform(rand, [c.k, c.k, ci, c.co]), [c.k, c.k, ci, c.co]),
    b: tf.tensor1d(uniform(rand, [c.co])),
  };
}

describeGPU('maskedConv2d on WebGPU (WGSL vs reference)', () => {
  beforeAll(initWebGPU);

  it('takes the WGSL path on webgpu', () => {
    expect(kernelPath()).toBe('webgpu');
  });

  it.each(CASES.map((c, i) => [label(c), c, i] as const))('forward and every gradient match: %s', async (_, c, i) => {
    const { x, mask, w, b } = makeInputs(c, 100 + i);
    const inputs = [x, mask, w, b];
    const r = tf.randomUniform(outShapeOf(c), -1, 1, 'float32', i); // weights of Σ y·r
    const ours = valueAndGrads((xi, mi, wi, bi) => maskedConv2d(xi as tf.Tensor4D, mi as tf.Tensor4D, wi as tf.Tensor4D, bi as tf.Tensor1D, c.stride, c.pad), inputs, r);
    const ref = valueAndGrads((xi, mi, wi, bi) => maskedConv2dReference(xi as tf.Tensor4D, mi as tf.Tensor4D, wi as tf.Tensor4D, bi as tf.Tensor1D, c.stride, c.pad), inputs, r);
    await expectClose(`${label(c)} forward`, [ours.y], [ref.y]);
    await expectClose(`${label(c)} grads [x, mask, w, b]`, ours.grads, ref.grads);
    expectCompiled(`masked_conv_forward_K${c.k}_S${c.stride}`);
    expectCompiled(`masked_conv_input_grad_K${c.k}_S${c.stride}`);
    expectCompiled(`masked_conv_filter_grad_S${c.stride}`);

    // Masked entries get exactly zero input gradient.
    const dx = await ours.grads[0].data();
    const full = tf.broadcastTo(mask, x.shape);
    const m = await full.data();
    for (let j = 0; j < m.length; j++) if (m[j] === 0) expect(dx[j]).toBe(0);
    expect(Array.from(await ours.grads[1].data()).every((v) => v === 0)).toBe(true); // mask: no gradient
    tf.dispose([x, mask, full, w, b, r, ours.y, ...ours.grads, ref.y, ...ref.grads]);
  });

  it('broadcasts a batch-1 mask and rejects one that varies over positions and channels', async () => {
    const c: Case = { x: [3, 5, 6, 4], k: 3, co: 8, stride: 1, pad: 'same', mask: 'pixel', keep: 0.5 };
    const { x, w, b } = makeInputs(c, 11);
    for (const shape of [[1, 5, 6, 1], [1, 1, 1, 4], [3, 1, 1, 1]] as [number, number, number, number][]) {
      const mask = tf.tensor4d(bernoulli(rng(shape.reduce((a, d) => a * 10 + d, 0)), shape, 0.5), shape);
      const inputs = [x, mask, w, b];
      const r = tf.randomUniform(outShapeOf(c), -1, 1, 'float32', 12);
      const ours = valueAndGrads((xi, mi, wi, bi) => maskedConv2d(xi as tf.Tensor4D, mi as tf.Tensor4D, wi as tf.Tensor4D, bi as tf.Tensor1D), inputs, r);
      const ref = valueAndGrads((xi, mi, wi, bi) => maskedConv2dReference(xi as tf.Tensor4D, mi as tf.Tensor4D, wi as tf.Tensor4D, bi as tf.Tensor1D, 1, 'same'), inputs, r);
      await expectClose(`mask [${shape}]`, [ours.y, ...ours.grads], [ref.y, ...ref.grads]);
      tf.dispose([mask, r, ours.y, ...ours.grads, ref.y, ...ref.grads]);
    }
    const full = tf.ones([3, 5, 6, 4]) as tf.Tensor4D;
    expect(() => maskedConv2d(x, full, w, b)).toThrow('varies over both positions and channels');
    tf.dispose([x, w, b, full]);
  });

  it('trains inside optimizer.minimize (same trajectory as the reference)', async () => {
    const c: Case = { x: [2, 6, 6, 3], k: 3, co: 4, stride: 1, pad: 'same', mask: 'pixel', keep: 0.5 };
    const { x, mask, w, b } = makeInputs(c, 7);
    const target = tf.randomUniform(outShapeOf(c), -1, 1, 'float32', 8);
    const run = async (conv: typeof maskedConv2dReference): Promise<{ losses: number[]; w: Float32Array }> => {
      const wv = tf.variable(w.clone());
      const bv = tf.variable(b.clone());
      const opt = tf.train.sgd(0.05);
      const losses: number[] = [];
      for (let step = 0; step < 5; step++) {
        const loss = opt.minimize(() => tf.losses.meanSquaredError(target, conv(x, mask, wv as tf.Tensor4D, bv as tf.Tensor1D, 1, 'same')), true, [wv, bv]);
        losses.push((await loss!.data())[0]);
        loss!.dispose();
      }
      const wFinal = (await wv.data()) as Float32Array;
      tf.dispose([wv, bv]);
      opt.dispose();
      return { losses, w: wFinal };
    };
    const ours = await run(maskedConv2d);
    const ref = await run(maskedConv2dReference);
    expect(ours.losses[4]).toBeLessThan(ours.losses[0]);
    for (let s = 0; s < 5; s++) expect(Math.abs(ours.losses[s] - ref.losses[s])).toBeLessThan(1e-4 * Math.max(1, ref.losses[s]));
    let diff = 0;
    for (let j = 0; j < ours.w.length; j++) diff = Math.max(diff, Math.abs(ours.w[j] - ref.w[j]));
    expect(diff).toBeLessThan(1e-4);
    tf.dispose([x, mask, w, b, target]);
  });

  it('leaks no tensors or GPU memory', async () => {
    const c = CASES[1];
    const { x, mask, w, b } = makeInputs(c, 3);
    const step = () =>
      tf.tidy(() => {
        const [dx, dw, db] = tf.grads((xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) => maskedConv2d(xi as tf.Tensor4D, mask, wi as tf.Tensor4D, bi as tf.Tensor1D, c.stride, c.pad).sum())([x, w, b]);
        return tf.addN([dx.sum(), dw.sum(), db.sum()]);
      });
    await expectNoLeak(step);
    tf.dispose([x, mask, w, b]);
  });
});

function outShapeOf(c: Case): number[] {
  return tf.backend_util.computeConv2DInfo(c.x, [c.k, c.k, c.x[3], c.co], c.stride, 1, c.pad).outShape;
}
