/**
 * sparseBatchNorm's WGSL passes (statistics, normalisation, gradient sums, input gradient)
 * against the plain-tfjs reference, both on webgpu: outputs and input gradients exactly 0 at
 * inactive positions; statistics blind to inactive values; training through
 * optimizer.minimize; no leaks.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import { sparseBatchNorm } from '../../src/core/kernels/sparseBatchNorm/op';
import { sparseBatchNormReference } from '../../src/core/kernels/sparseBatchNorm/reference';
import { expectCompiled, expectNoLeak } from './gpuHelpers';
import { bernoulli, expectClose, rng, uniform, valueAndGrads } from './helpers';
import { describeGPU, initWebGPU } from './webgpuSetup';

type Case = { x: [number, number, number, number]; keep: number };

const CASES: Case[] = [
  { x: [2, 5, 7, 3], keep: 0.5 },
  { x: [1, 4, 4, 8], keep: 1 },
  { x: [3, 6, 5, 2], keep: 0 },
  { x: [1, 3, 3, 1], keep: 0.7 }, // (with only 2 active positions the true dx is ~0 and the relative test meaningless)
  { x: [2, 16, 16, 4], keep: 0.25 }, // 512 positions: many per invocation of the 64-wide reduction
];

const EPS = 1e-5;
const label = (c: Case) => `x[${c.x}] keep=${c.keep}`;

function makeInputs(c: Case, seed: number) {
  const rand = rng(seed);
  const [n, h, w, ch] = c.x;
  const xs = uniform(rand, c.x).map((v, i) => 3 * v + (i % ch)); // channel-dependent mean, scale ≠ 1
  return {
    x: tf.tensor4d(xs, c.x),
    active: tf.tensor4d(bernoulli(rand, [n, h, w, 1], c.keep), [n, h, w, 1]),
    gamma: tf.tensor1d(uniform(rand, [ch]).map((v) => 1 + 0.5 * v)),
    beta: tf.tensor1d(uniform(rand, [ch])),
  };
}

describeGPU('sparseBatchNorm on WebGPU (WGSL vs reference)', () => {
  beforeAll(initWebGPU);

  it.each(CASES.map((c, i) => [label(c), c, i] as const))('forward, statistics and every gradient match: %s', async (_, c, i) => {
    const { x, active, gamma, beta } = makeInputs(c, 300 + i);
    const r = tf.randomUniform(c.x, -1, 1, 'float32', i);
    const f = (impl: typeof sparseBatchNormReference) => (xi: tf.Tensor, ai: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) =>
      impl(xi as tf.Tensor4D, ai as tf.Tensor4D, gi as tf.Tensor1D, bi as tf.Tensor1D, EPS).y;
    const ours = valueAndGrads(f(sparseBatchNorm), [x, active, gamma, beta], r);
    const ref = valueAndGrads(f(sparseBatchNormReference), [x, active, gamma, beta], r);
    await expectClose(`${label(c)} forward`, [ours.y], [ref.y]);
    await expectClose(`${label(c)} grads [x, active, gamma, beta]`, ours.grads, ref.grads);
    const so = sparseBatchNorm(x, active, gamma, beta, EPS);
    const sr = sparseBatchNormReference(x, active, gamma, beta, EPS);
    await expectClose(`${label(c)} mean, variance`, [so.mean, so.variance], [sr.mean, sr.variance]);
    expectCompiled('sparse_bn_stats_WG64');
    expectCompiled('sparse_bn_input_grad');

    // Exactly 0 at inactive positions: output and input gradient.
    const y = await ours.y.data();
    const dx = await ours.grads[0].data();
    const a = await active.data();
    const ch = c.x[3];
    for (let p = 0; p < a.length; p++) if (a[p] === 0) for (let k = 0; k < ch; k++) {
      expect(y[p * ch + k]).toBe(0);
      expect(dx[p * ch + k]).toBe(0);
    }
    tf.dispose([x, active, gamma, beta, r, ours.y, ...ours.grads, ref.y, ...ref.grads, so.y, so.mean, so.variance, sr.y, sr.mean, sr.variance]);
  });

  // tfjs-webgpu binds the result of a bool → float32 cast as int32 storage: the shaders must read
  // the mask through f32() (the stats pass did not, and returned zeros without an error).
  it('takes a mask made on the GPU by a comparison (bool cast to float32)', async () => {
    const c: Case = { x: [2, 5, 6, 3], keep: 0.5 };
    const { x, active, gamma, beta } = makeInputs(c, 22);
    const compared = tf.tidy(() => active.greater(0.5).cast('float32')) as tf.Tensor4D;
    const r = tf.randomUniform(c.x, -1, 1, 'float32', 22);
    const f = (impl: typeof sparseBatchNormReference, a: tf.Tensor) => (xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) =>
      impl(xi as tf.Tensor4D, a as tf.Tensor4D, gi as tf.Tensor1D, bi as tf.Tensor1D, EPS).y;
    const ours = valueAndGrads(f(sparseBatchNorm, compared), [x, gamma, beta], r);
    const ref = valueAndGrads(f(sparseBatchNormReference, active), [x, gamma, beta], r);
    await expectClose('compared mask forward', [ours.y], [ref.y]);
    await expectClose('compared mask grads [x, gamma, beta]', ours.grads, ref.grads);
    tf.dispose([x, active, compared, gamma, beta, r, ours.y, ...ours.grads, ref.y, ...ref.grads]);
  });

  it('statistics ignore inactive positions', async () => {
    const c: Case = { x: [2, 6, 6, 3], keep: 0.4 };
    const { x, active, gamma, beta } = makeInputs(c, 21);
    const a = await active.data();
    // Same active values, wild inactive ones.
    const noisy = tf.tidy(() => tf.where(active.cast('bool').logicalNot().broadcastTo(x.shape), tf.randomUniform(x.shape, 100, 1000, 'float32', 5), x)) as tf.Tensor4D;
    const clean = sparseBatchNorm(x, active, gamma, beta, EPS);
    const dirty = sparseBatchNorm(noisy, active, gamma, beta, EPS);
    expect(Array.from(await dirty.mean.data())).toEqual(Array.from(await clean.mean.data()));
    expect(Array.from(await dirty.variance.data())).toEqual(Array.from(await clean.variance.data()));
    expect(Array.from(await dirty.y.data())).toEqual(Array.from(await clean.y.data()));
    // And they are the moments of the active entries, computed here in float64.
    const xv = await x.data();
    const [mean, variance] = [await clean.mean.data(), await clean.variance.data()];
    for (let k = 0; k < 3; k++) {
      const vals: number[] = [];
      for (let p = 0; p < a.length; p++) if (a[p] !== 0) vals.push(xv[p * 3 + k]);
      const mu = vals.reduce((s, v) => s + v, 0) / vals.length;
      const v2 = vals.reduce((s, v) => s + (v - mu) ** 2, 0) / vals.length;
      expect(Math.abs(mean[k] - mu)).toBeLessThan(1e-4 * Math.max(1, Math.abs(mu)));
      expect(Math.abs(variance[k] - v2)).toBeLessThan(1e-4 * Math.max(1, v2));
    }
    tf.dispose([x, active, gamma, beta, noisy, clean.y, clean.mean, clean.variance, dirty.y, dirty.mean, dirty.variance]);
  });

  it('trains inside optimizer.minimize (same trajectory as the reference)', async () => {
    const c: Case = { x: [2, 5, 5, 3], keep: 0.5 };
    const { x, active, gamma, beta } = makeInputs(c, 31);
    const target = tf.randomUniform(c.x, -1, 1, 'float32', 32);
    const run = async (bn: typeof sparseBatchNormReference) => {
      const xv = tf.variable(x.clone());
      const gv = tf.variable(gamma.clone());
      const bv = tf.variable(beta.clone());
      const opt = tf.train.sgd(0.5);
      const losses: number[] = [];
      for (let step = 0; step < 5; step++) {
        const loss = opt.minimize(() => tf.losses.meanSquaredError(target.mul(active), bn(xv as tf.Tensor4D, active, gv as tf.Tensor1D, bv as tf.Tensor1D, EPS).y), true, [xv, gv, bv]);
        losses.push((await loss!.data())[0]);
        loss!.dispose();
      }
      tf.dispose([xv, gv, bv]);
      opt.dispose();
      return losses;
    };
    const ours = await run(sparseBatchNorm);
    const ref = await run(sparseBatchNormReference);
    expect(ours[4]).toBeLessThan(ours[0]);
    for (let s = 0; s < 5; s++) expect(Math.abs(ours[s] - ref[s])).toBeLessThan(1e-4 * Math.max(1, ref[s]));
    tf.dispose([x, active, gamma, beta, target]);
  });

  it('leaks no tensors or GPU memory', async () => {
    const { x, active, gamma, beta } = makeInputs(CASES[0], 41);
    const step = () =>
      tf.tidy(() => {
        const grads = tf.grads((xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) => {
          const { y, mean, variance } = sparseBatchNorm(xi as tf.Tensor4D, active, gi as tf.Tensor1D, bi as tf.Tensor1D, EPS);
          return y.square().sum().add(mean.sum()).add(variance.sum());
        })([x, gamma, beta]);
        return tf.addN(grads.map((g) => g.sum()));
      });
    await expectNoLeak(step);
    tf.dispose([x, active, gamma, beta]);
  });
});
