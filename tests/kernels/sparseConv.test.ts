/**
 * sparseConv2d's WGSL passes (site compaction, forward, input / filter gradients) against the
 * reference conv2d(x ⊙ active, w) ⊙ downsampleMask(active, s), both on webgpu; outputs and input
 * gradients exactly 0 at inactive sites; the compacted site list; downsampleMask's rule;
 * training through optimizer.minimize; no leaks.
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { beforeAll, expect, it } from 'vitest';
import { downsampleMask } from '../../src/core/kernels/sparseConv/mask';
import { convGeometry } from '../../src/core/kernels/convGeometry';
import { compactSites, compactTapSites, sparseConv2d } from '../../src/core/kernels/sparseConv/op';
import { packSite, SITE_BITS, SparseConvCompactProgram } from '../../src/core/kernels/sparseConv/programs';
import { sparseConv2dReference } from '../../src/core/kernels/sparseConv/reference';
import { expectCompiled, expectNoLeak } from './gpuHelpers';
import { bernoulli, expectClose, rng, uniform, valueAndGrads } from './helpers';
import { describeGPU, initWebGPU } from './webgpuSetup';

type Case = { x: [number, number, number, number]; k: number; co: number; stride: number; keep: number; patch?: number };

const CASES: Case[] = [
  { x: [2, 7, 5, 3], k: 3, co: 4, stride: 1, keep: 0.5 },
  { x: [1, 9, 9, 2], k: 5, co: 3, stride: 2, keep: 0.5 },
  { x: [2, 6, 6, 4], k: 1, co: 2, stride: 1, keep: 1 },
  { x: [1, 5, 7, 3], k: 3, co: 5, stride: 2, keep: 0 },
  { x: [3, 8, 8, 5], k: 3, co: 3, stride: 2, keep: 0.3 },
  { x: [1, 3, 3, 1], k: 5, co: 1, stride: 1, keep: 0.5 },
  { x: [2, 8, 8, 3], k: 3, co: 4, stride: 2, keep: 0.5, patch: 2 }, // SparK-style patch mask
  { x: [2, 5, 6, 9], k: 3, co: 7, stride: 1, keep: 0.6 }, // several 4-channel blocks, the last partial, on both sides
  { x: [1, 7, 6, 8], k: 3, co: 8, stride: 2, keep: 0.7 }, // whole 4-channel blocks
  ...randomCases(4),
];

/** Seeded random shapes (1…9 pixels a side), kernels, strides and active fractions. */
function randomCases(count: number): Case[] {
  const rand = rng(4048);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  return Array.from({ length: count }, () => ({
    x: [int(1, 3), int(1, 9), int(1, 9), int(1, 6)] as Case['x'],
    k: [1, 3, 5][int(0, 2)],
    co: int(1, 6),
    stride: int(1, 2),
    keep: Math.round(rand() * 10) / 10,
  }));
}

const label = (c: Case) => `x[${c.x}] k${c.k} co${c.co} s${c.stride} keep=${c.keep}${c.patch ? ` patch${c.patch}` : ''}`;

/** A 0/1 active mask [N, H, W, 1]; with `patch`, constant over patch×patch blocks. */
function activeMask(rand: () => number, c: Case): Float32Array {
  const [n, h, w] = c.x;
  const p = c.patch ?? 1;
  const cells = bernoulli(rand, [n, Math.ceil(h / p), Math.ceil(w / p)], c.keep);
  const out = new Float32Array(n * h * w);
  const cw = Math.ceil(w / p);
  const ch = Math.ceil(h / p);
  for (let b = 0; b < n; b++) for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) out[(b * h + i) * w + j] = cells[(b * ch + Math.floor(i / p)) * cw + Math.floor(j / p)];
  return out;
}

function makeInputs(c: Case, seed: number) {
  const rand = rng(seed);
  const [n, h, w, ci] = c.x;
  return {
    x: tf.tensor4d(uniform(rand, c.x), c.x),
    active: tf.tensor4d(activeMask(rand, c), [n, h, w, 1]),
    w: tf.tensor4d(uniform(rand, [c.k, c.k, ci, c.co]), [c.k, c.k, ci, c.co]),
  };
}

/** The [N, Ho, Wo] sites (n, oh, ow) whose input (oh·s, ow·s) is active, in order. */
function expectedSites(active: Float32Array, [n, h, w]: number[], s: number): [number, number, number][] {
  const ho = Math.ceil(h / s);
  const wo = Math.ceil(w / s);
  const out: [number, number, number][] = [];
  for (let b = 0; b < n; b++) for (let i = 0; i < ho; i++) for (let j = 0; j < wo; j++) if (active[(b * h + i * s) * w + j * s] !== 0) out.push([b, i, j]);
  return out;
}

describeGPU('sparseConv2d on WebGPU (WGSL vs reference)', () => {
  beforeAll(initWebGPU);

  it.each([
    [[1, 16, 16], 1, 0.5], // 256 sites: exactly one chunk
    [[1, 257, 1], 1, 0.5], // chunk boundary + 1
    [[3, 13, 11], 1, 0.3], // several chunks
    [[2, 16, 16], 2, 0.5],
    [[2, 9, 7], 2, 1],
    [[2, 9, 7], 1, 0],
  ] as const)('compacts the active sites of grid %j (stride %i, keep %f) in order', async (dims, s, keep) => {
    const [n, h, w] = dims;
    const values = bernoulli(rng(h * w + s), [n, h, w, 1], keep);
    const active = tf.tensor4d(values, [n, h, w, 1]);
    const grid = [n, Math.ceil(h / s), Math.ceil(w / s)];
    const sites = compactSites(tf.backend() as WebGPUBackend, active, grid, s);
    const got = await sites.data();
    const want = expectedSites(values, [n, h, w], s).map(([b, i, j]) => packSite(b, i, j));
    expect(sites.shape).toEqual([1 + grid[0] * grid[1] * grid[2]]);
    expect(got[0]).toBe(want.length);
    expect(Array.from(got.slice(1, 1 + want.length))).toEqual(want);
    tf.dispose([active, sites]);
  });

  it.each([
    [[2, 7, 5], 3, 1, 0.5],
    [[1, 9, 9], 5, 2, 0.6],
    [[3, 8, 8], 3, 2, 0.3],
    [[1, 17, 16], 3, 1, 1], // all active: only the grid's border drops taps; 272 sites, two chunks
    [[2, 6, 6], 1, 1, 0.5],
  ] as const)('lists, per filter tap, the active sites whose tap input is active: grid %j, K %i, stride %i, keep %f', async (dims, k, s, keep) => {
    const [n, h, w] = dims;
    const values = bernoulli(rng(7 * h + k + s), [n, h, w, 1], keep);
    const active = tf.tensor4d(values, [n, h, w, 1]);
    const g = convGeometry([n, h, w, 1], [k, k, 1, 1], s, 'same');
    const [, ho, wo] = g.outShape;
    const lists = await compactTapSites(tf.backend() as WebGPUBackend, active, g).data();
    const on = (b: number, i: number, j: number) => i >= 0 && i < h && j >= 0 && j < w && values[(b * h + i) * w + j] !== 0;
    const stride = 1 + n * ho * wo;
    expect(lists.length).toBe(k * k * stride);
    for (let t = 0; t < k * k; t++) {
      const [dr, dc] = [Math.floor(t / k) - g.top, (t % k) - g.left];
      const want = expectedSites(values, [n, h, w], s).filter(([b, i, j]) => on(b, i * s + dr, j * s + dc)).map(([b, i, j]) => packSite(b, i, j));
      expect(lists[t * stride], `tap ${t} count`).toBe(want.length);
      expect(Array.from(lists.slice(t * stride + 1, t * stride + 1 + want.length)), `tap ${t}`).toEqual(want);
    }
    active.dispose();
  });

  it('refuses grids whose sites do not fit the packed format', () => {
    const big = 2 ** SITE_BITS + 1;
    expect(() => new SparseConvCompactProgram([1, big, 4], 1)).toThrow(/packed-site limits/);
    expect(() => new SparseConvCompactProgram([1, 4, big], 1)).toThrow(/packed-site limits/);
    expect(() => new SparseConvCompactProgram([2 ** (31 - 2 * SITE_BITS) + 1, 4, 4], 1)).toThrow(/packed-site limits/);
    expect(() => new SparseConvCompactProgram([2 ** (31 - 2 * SITE_BITS), 2 ** SITE_BITS, 2 ** SITE_BITS], 9)).not.toThrow();
  });

  it.each(CASES.map((c, i) => [label(c), c, i] as const))('forward and every gradient match: %s', async (_, c, i) => {
    const { x, active, w } = makeInputs(c, 200 + i);
    const outShape = [c.x[0], Math.ceil(c.x[1] / c.stride), Math.ceil(c.x[2] / c.stride), c.co];
    const r = tf.randomUniform(outShape, -1, 1, 'float32', i);
    const f = (impl: typeof sparseConv2dReference) => (xi: tf.Tensor, ai: tf.Tensor, wi: tf.Tensor) => impl(xi as tf.Tensor4D, ai as tf.Tensor4D, wi as tf.Tensor4D, c.stride);
    const ours = valueAndGrads(f(sparseConv2d), [x, active, w], r);
    const ref = valueAndGrads(f(sparseConv2dReference), [x, active, w], r);
    await expectClose(`${label(c)} forward`, [ours.y], [ref.y]);
    await expectClose(`${label(c)} grads [x, active, w]`, ours.grads, ref.grads);
    expectCompiled(`sparse_conv_forward_K${c.k}_S${c.stride}`);
    expectCompiled(`sparse_conv_input_grad_K${c.k}_S${c.stride}`);
    expectCompiled(`sparse_conv_filter_grad_K${c.k}_S${c.stride}`);

    // Exactly 0 at inactive sites: outputs (at the downsampled mask) and input gradients.
    const y = await ours.y.data();
    const down = downsampleMask(active, c.stride);
    const aOut = await down.data();
    for (let p = 0; p < aOut.length; p++) if (aOut[p] === 0) for (let o = 0; o < c.co; o++) expect(y[p * c.co + o]).toBe(0);
    const dx = await ours.grads[0].data();
    const aIn = await active.data();
    for (let p = 0; p < aIn.length; p++) if (aIn[p] === 0) for (let ch = 0; ch < c.x[3]; ch++) expect(dx[p * c.x[3] + ch]).toBe(0);
    expect(Array.from(await ours.grads[1].data()).every((v) => v === 0)).toBe(true); // active: no gradient
    tf.dispose([x, active, down, w, r, ours.y, ...ours.grads, ref.y, ...ref.grads]);
  });

  // tfjs-webgpu binds the result of a bool → float32 cast as int32 storage: the passes read the
  // mask through f32().
  it.each([1, 2])('takes a mask made on the GPU by a comparison (bool cast to float32), stride %i', async (stride) => {
    const c: Case = { x: [2, 7, 6, 5], k: 3, co: 6, stride, keep: 0.5 };
    const { x, active, w } = makeInputs(c, 400 + stride);
    const compared = tf.tidy(() => active.greater(0.5).cast('float32')) as tf.Tensor4D;
    const outShape = [c.x[0], Math.ceil(c.x[1] / stride), Math.ceil(c.x[2] / stride), c.co];
    const r = tf.randomUniform(outShape, -1, 1, 'float32', stride);
    const f = (impl: typeof sparseConv2dReference, a: tf.Tensor) => (xi: tf.Tensor, wi: tf.Tensor) => impl(xi as tf.Tensor4D, a as tf.Tensor4D, wi as tf.Tensor4D, stride);
    const ours = valueAndGrads(f(sparseConv2d, compared), [x, w], r);
    const ref = valueAndGrads(f(sparseConv2dReference, active), [x, w], r);
    await expectClose('compared mask forward', [ours.y], [ref.y]);
    await expectClose('compared mask grads [x, w]', ours.grads, ref.grads);
    tf.dispose([x, active, compared, w, r, ours.y, ...ours.grads, ref.y, ...ref.grads]);
  });

  it('downsampleMask keeps (oh·s, ow·s), which equals max-pooling for stride-aligned patch masks', async () => {
    const values = bernoulli(rng(5), [2, 7, 9, 1], 0.5);
    const active = tf.tensor4d(values, [2, 7, 9, 1]);
    const down = downsampleMask(active, 2);
    expect(down.shape).toEqual([2, 4, 5, 1]);
    const got = await down.data();
    const sites = expectedSites(values, [2, 7, 9], 2).map(([b, i, j]) => (b * 4 + i) * 5 + j); // flat [2, 4, 5]
    for (let p = 0; p < got.length; p++) expect(got[p]).toBe(sites.includes(p) ? 1 : 0);
    const c: Case = { x: [2, 8, 8, 1], k: 1, co: 1, stride: 2, keep: 0.5, patch: 2 };
    const patches = tf.tensor4d(activeMask(rng(6), c), [2, 8, 8, 1]);
    const pooled = tf.maxPool(patches, 2, 2, 'same');
    expect(Array.from(await downsampleMask(patches, 2).data())).toEqual(Array.from(await pooled.data()));
    tf.dispose([active, down, patches, pooled]);
  });

  it('trains inside optimizer.minimize (same trajectory as the reference)', async () => {
    const c: Case = { x: [2, 6, 6, 3], k: 3, co: 4, stride: 2, keep: 0.5 };
    const { x, active, w } = makeInputs(c, 11);
    const target = tf.randomUniform([2, 3, 3, 4], -1, 1, 'float32', 12);
    const run = async (conv: typeof sparseConv2dReference) => {
      const wv = tf.variable(w.clone());
      const opt = tf.train.sgd(0.05);
      const losses: number[] = [];
      for (let step = 0; step < 5; step++) {
        const loss = opt.minimize(() => tf.losses.meanSquaredError(target, conv(x, active, wv as tf.Tensor4D, c.stride)), true, [wv]);
        losses.push((await loss!.data())[0]);
        loss!.dispose();
      }
      wv.dispose();
      opt.dispose();
      return losses;
    };
    const ours = await run(sparseConv2d);
    const ref = await run(sparseConv2dReference);
    expect(ours[4]).toBeLessThan(ours[0]);
    for (let s = 0; s < 5; s++) expect(Math.abs(ours[s] - ref[s])).toBeLessThan(1e-4 * Math.max(1, ref[s]));
    tf.dispose([x, active, w, target]);
  });

  it('leaks no tensors or GPU memory', async () => {
    const c = CASES[1]; // stride 2: the gradient also compacts the input grid
    const { x, active, w } = makeInputs(c, 13);
    const step = () =>
      tf.tidy(() => {
        const [dx, dw] = tf.grads((xi: tf.Tensor, wi: tf.Tensor) => sparseConv2d(xi as tf.Tensor4D, active, wi as tf.Tensor4D, c.stride).sum())([x, w]);
        return dx.sum().add(dw.sum());
      });
    await expectNoLeak(step);
    tf.dispose([x, active, w]);
  });
});
