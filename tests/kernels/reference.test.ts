/**
 * The plain-tfjs references on cpu and wasm (no GPU needed) against naive float64 loops written
 * from the definitions; the ops take the reference path there; and the kernel modules load in
 * plain Node (tsx), which cannot import `.wgsl?raw`.
 */
import { execFileSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { maskedConv2d, maskedConv2dReference, sparseBatchNorm, sparseBatchNormReference, sparseConv2d, sparseConv2dReference, kernelPath } from '../../src/core/kernels';
import { initNodeBackend } from '../../src/node/backend';
import { bernoulli, relErr, rng, TOL, uniform } from './helpers';

type Shape4 = [number, number, number, number];

/** Σ_{kh,kw,ci} x[n, r, c, ci]·m(n, r, c, ci)·w[kh, kw, ci, co] + b[co], NHWC, tf's padding. */
function naiveConv(x: Float32Array, xs: Shape4, m: (n: number, r: number, c: number, ci: number) => number, w: Float32Array, k: number, co: number, b: Float32Array | null, stride: number, pad: 'same' | 'valid'): { y: Float64Array; outShape: number[] } {
  const [n, h, wd, ci] = xs;
  const info = tf.backend_util.computeConv2DInfo(xs, [k, k, ci, co], stride, 1, pad);
  const [, ho, wo] = info.outShape;
  const y = new Float64Array(n * ho * wo * co);
  for (let b0 = 0; b0 < n; b0++)
    for (let oh = 0; oh < ho; oh++)
      for (let ow = 0; ow < wo; ow++)
        for (let o = 0; o < co; o++) {
          let acc = b ? b[o] : 0;
          for (let kh = 0; kh < k; kh++)
            for (let kw = 0; kw < k; kw++) {
              const r = oh * stride - info.padInfo.top + kh;
              const c = ow * stride - info.padInfo.left + kw;
              if (r < 0 || r >= h || c < 0 || c >= wd) continue;
              for (let i = 0; i < ci; i++) acc += x[((b0 * h + r) * wd + c) * ci + i] * m(b0, r, c, i) * w[((kh * k + kw) * ci + i) * co + o];
            }
          y[((b0 * ho + oh) * wo + ow) * co + o] = acc;
        }
  return { y, outShape: info.outShape };
}

const BACKENDS = ['cpu', 'wasm'] as const;

describe.each(BACKENDS)('references on %s', (backend) => {
  it('take the reference path', async () => {
    await initNodeBackend(backend);
    expect(kernelPath()).toBe('reference');
  });

  it.each([
    { xs: [2, 7, 5, 3] as Shape4, k: 3, co: 4, stride: 1, pad: 'same' as const, kind: 'pixel' },
    { xs: [1, 8, 9, 4] as Shape4, k: 5, co: 2, stride: 2, pad: 'same' as const, kind: 'channel' },
    { xs: [2, 6, 6, 2] as Shape4, k: 3, co: 3, stride: 2, pad: 'valid' as const, kind: 'pixel' },
  ])('maskedConv2d = naive conv(x ⊙ mask) + b: %j', async ({ xs, k, co, stride, pad, kind }) => {
    await initNodeBackend(backend);
    const rand = rng(1);
    const [n, h, w, ci] = xs;
    const mShape: Shape4 = kind === 'pixel' ? [n, h, w, 1] : [n, 1, 1, ci];
    const [xv, mv, wv, bv] = [uniform(rand, xs), bernoulli(rand, mShape, 0.5), uniform(rand, [k, k, ci, co]), uniform(rand, [co])];
    const m = kind === 'pixel' ? (b: number, r: number, c: number) => mv[(b * h + r) * w + c] : (b: number, _r: number, _c: number, i: number) => mv[b * ci + i];
    const want = naiveConv(xv, xs, m, wv, k, co, bv, stride, pad);
    const args = [tf.tensor4d(xv, xs), tf.tensor4d(mv, mShape), tf.tensor4d(wv, [k, k, ci, co]), tf.tensor1d(bv)] as const;
    const ref = maskedConv2dReference(...args, stride, pad);
    const op = maskedConv2d(...args, stride, pad);
    expect(ref.shape).toEqual(want.outShape);
    expect(relErr(await ref.data(), want.y)).toBeLessThanOrEqual(TOL);
    expect(Array.from(await op.data())).toEqual(Array.from(await ref.data()));
    tf.dispose([...args, ref, op]);
  });

  it.each([
    { xs: [2, 7, 5, 3] as Shape4, k: 3, co: 4, stride: 1 },
    { xs: [1, 9, 8, 2] as Shape4, k: 3, co: 3, stride: 2 },
  ])('sparseConv2d = naive conv(x ⊙ a) at active (oh·s, ow·s), 0 elsewhere: %j', async ({ xs, k, co, stride }) => {
    await initNodeBackend(backend);
    const rand = rng(2);
    const [n, h, w, ci] = xs;
    const [xv, av, wv] = [uniform(rand, xs), bernoulli(rand, [n, h, w, 1], 0.5), uniform(rand, [k, k, ci, co])];
    const dense = naiveConv(xv, xs, (b, r, c) => av[(b * h + r) * w + c], wv, k, co, null, stride, 'same');
    const [, ho, wo] = dense.outShape;
    for (let b = 0; b < n; b++) for (let i = 0; i < ho; i++) for (let j = 0; j < wo; j++) if (av[(b * h + i * stride) * w + j * stride] === 0) dense.y.fill(0, ((b * ho + i) * wo + j) * co, ((b * ho + i) * wo + j + 1) * co);
    const args = [tf.tensor4d(xv, xs), tf.tensor4d(av, [n, h, w, 1]), tf.tensor4d(wv, [k, k, ci, co])] as const;
    const ref = sparseConv2dReference(...args, stride);
    const y = await ref.data();
    expect(relErr(y, dense.y)).toBeLessThanOrEqual(TOL);
    dense.y.forEach((v, i) => v === 0 && expect(y[i] === 0).toBe(true)); // exact zeros (±0)
    expect(Array.from(await sparseConv2d(...args, stride).data())).toEqual(Array.from(y));
    tf.dispose([...args, ref]);
  });

  it('sparseBatchNorm = batch norm over active positions, 0 elsewhere', async () => {
    await initNodeBackend(backend);
    const rand = rng(3);
    const xs: Shape4 = [2, 5, 4, 3];
    const [xv, av, gv, bv] = [uniform(rand, xs), bernoulli(rand, [2, 5, 4, 1], 0.5), uniform(rand, [3]), uniform(rand, [3])];
    const args = [tf.tensor4d(xv, xs), tf.tensor4d(av, [2, 5, 4, 1]), tf.tensor1d(gv), tf.tensor1d(bv)] as const;
    const { y, mean, variance } = sparseBatchNormReference(...args, 1e-5);
    const [yv, mu, va] = [await y.data(), await mean.data(), await variance.data()];
    for (let c = 0; c < 3; c++) {
      const vals = Array.from(av).flatMap((a, p) => (a ? [xv[p * 3 + c]] : []));
      const m = vals.reduce((s, v) => s + v, 0) / vals.length;
      const v2 = vals.reduce((s, v) => s + (v - m) ** 2, 0) / vals.length;
      expect(Math.abs(mu[c] - m)).toBeLessThan(1e-5);
      expect(Math.abs(va[c] - v2)).toBeLessThan(1e-5);
      av.forEach((a, p) => {
        const want = a ? ((xv[p * 3 + c] - m) / Math.sqrt(v2 + 1e-5)) * gv[c] + bv[c] : 0;
        expect(Math.abs(yv[p * 3 + c] - want)).toBeLessThan(1e-4);
      });
    }
    const op = sparseBatchNorm(...args, 1e-5);
    expect(Array.from(await op.y.data())).toEqual(Array.from(yv));
    tf.dispose([...args, y, mean, variance, op.y, op.mean, op.variance]);
  });
});

describe('module graph', () => {
  it('the ops load under tsx (no .wgsl?raw reachable from src/core/kernels/index.ts)', () => {
    const script = "import('./src/core/kernels/index.ts').then((m) => console.log(Object.keys(m).sort().join(',')))";
    const out = execFileSync('npx', ['tsx', '-e', script], { cwd: process.cwd(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toContain('maskedConv2d');
    expect(out).toContain('sparseBatchNorm');
    expect(out).toContain('sparseConv2d');
  });
});
