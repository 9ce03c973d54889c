/** H-GKD's pieces on small shapes: sparse encoder, queue, losses, ViT/MIM, decoders, trainer. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initNodeBackend } from '../src/node/backend';
import { nodeDataSources } from '../src/node/dataSource';
import { Rng } from '../src/core/random';
import { parseSpec } from '../src/core/models/spec';
import { SparseEncoder } from '../src/core/hgkd/student';
import { Decoder } from '../src/core/hgkd/decoder';
import { EmbeddingQueue } from '../src/core/hgkd/queue';
import { pearsonLoss, similarityDistribution } from '../src/core/hgkd/losses';
import { drawVisible, patchImageMask, scaleMasks, selectionMatrix, visibleCount } from '../src/core/hgkd/patchMask';
import { Vit, type VitOptions } from '../src/core/hgkd/vit';
import { MaeDecoder, mimBatch, mimLoss, patchTargets, disposeMimBatch } from '../src/core/hgkd/mim';
import { HgkdTrainer, type HgkdSettings } from '../src/core/hgkd/hgkdTrainer';
import { constantAdam } from '../src/core/optim/optimizer';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

const SPEC = parseSpec('resnet:4-8-8x1');
const TINY_VIT: VitOptions = { inputSize: 28, inChannels: 1, patch: 4, dim: 16, depth: 1, heads: 2, mlpRatio: 2 };

/** A batch of N random images and its patch masks at ratio 0.6, per scale. */
function maskedBatch(n: number, seed: number) {
  const rng = new Rng(seed);
  const x = tf.tensor4d(rng.uniforms(n * 28 * 28).map((v) => 3 * v - 1), [n, 28, 28, 1]);
  const masks = scaleMasks(patchImageMask(drawVisible(n, 49, 0.6, rng), n, 7, 4), 3);
  return { x, masks };
}

/** Values of `t` where `mask` (broadcast over channels) is 0, and where it is 1. */
async function split(t: tf.Tensor4D, mask: tf.Tensor4D): Promise<{ holes: Float32Array; visible: Float32Array }> {
  const [v, m] = await Promise.all([t.data(), mask.data()]);
  const c = t.shape[3];
  const holes: number[] = [];
  const visible: number[] = [];
  for (let i = 0; i < v.length; i++) (m[Math.floor(i / c)] ? visible : holes).push(v[i]);
  return { holes: Float32Array.from(holes), visible: Float32Array.from(visible) };
}

describe('patch masks', () => {
  it('keep exactly round(T·(1 − ratio)) patches per sample, seeded', () => {
    const a = drawVisible(5, 49, 0.6, new Rng(3));
    for (let i = 0; i < 5; i++) expect(a.subarray(i * 49, (i + 1) * 49).reduce((s, v) => s + v, 0)).toBe(visibleCount(49, 0.6));
    expect(visibleCount(49, 0.6)).toBe(20);
    expect(drawVisible(5, 49, 0.6, new Rng(3))).toEqual(a);
    expect(visibleCount(49, 0.99)).toBe(1); // never an empty image
    expect(() => selectionMatrix(Uint8Array.from([1, 1, 0, 1, 0, 0]), 2, 3)).toThrow(/same number/);
  });

  it('downsample to patch masks at every scale (4×4 → 2×2 → 1×1 patches)', async () => {
    const vis = drawVisible(2, 49, 0.5, new Rng(1));
    const masks = scaleMasks(patchImageMask(vis, 2, 7, 4), 3);
    expect(masks.map((m) => m.shape)).toEqual([[2, 28, 28, 1], [2, 14, 14, 1], [2, 7, 7, 1]]);
    expect(Array.from(await masks[2].data())).toEqual(Array.from(vis));
    const expected14 = await patchImageMask(vis, 2, 7, 2).data();
    expect(Array.from(await masks[1].data())).toEqual(Array.from(expected14));
    tf.dispose(masks);
  });
});

describe('sparse student encoder', () => {
  it('keeps inactive positions exactly zero through every stage, in training and inference', async () => {
    const enc = new SparseEncoder(SPEC, 1, 'enc');
    const { x, masks } = maskedBatch(3, 2);
    for (const training of [true, false]) {
      const feats = enc.apply(x, masks, training);
      for (let s = 0; s < 3; s++) {
        const { holes, visible } = await split(feats[s], masks[s]);
        expect(holes.length, `scale ${s}`).toBeGreaterThan(0);
        expect(holes.every((v) => v === 0), `scale ${s} holes`).toBe(true);
        expect(visible.some((v) => v !== 0), `scale ${s} visible`).toBe(true);
      }
      tf.dispose(feats);
    }
    tf.dispose([x, ...masks]);
    enc.dispose();
  });

  it('with sparse off (dense conv on the masked image) the holes fill in', async () => {
    const enc = new SparseEncoder(SPEC, 1, 'enc');
    const { x, masks } = maskedBatch(3, 2);
    const feats = enc.apply(tf.mul(x, masks[0]) as tf.Tensor4D, null, true);
    for (let s = 0; s < 3; s++) {
      const { holes } = await split(feats[s], masks[s]);
      expect(holes.filter((v) => v !== 0).length / holes.length, `scale ${s}`).toBeGreaterThan(0.2);
    }
    tf.dispose([x, ...masks, ...feats]);
    enc.dispose();
  });

  it('ignores inactive inputs entirely: outputs and BN running statistics do not depend on them', async () => {
    const a = new SparseEncoder(SPEC, 5, 'a');
    const b = new SparseEncoder(SPEC, 5, 'b');
    const { x, masks } = maskedBatch(2, 4);
    const garbage = tf.add(x, tf.mul(tf.sub(1, masks[0]), 1000)) as tf.Tensor4D; // differs only in the holes
    const fa = a.apply(x, masks, true);
    const fb = b.apply(garbage, masks, true);
    for (let s = 0; s < 3; s++) expect(Array.from(await fb[s].data())).toEqual(Array.from(await fa[s].data()));
    for (const [name, v] of a.params.state) expect(Array.from(await b.params.get(name).data()), name).toEqual(Array.from(await v.data()));
    // The stem BN's running mean moved from 0 by 0.1 × (mean over visible positions only).
    const stemMean = await a.params.get('stem.bn.mean').data();
    expect(stemMean.some((v) => v !== 0)).toBe(true);
    tf.dispose([x, garbage, ...masks, ...fa, ...fb]);
    a.dispose();
    b.dispose();
  });

  it('dense mode equals sparse mode with everything visible', async () => {
    const enc = new SparseEncoder(SPEC, 1, 'enc');
    const x = tf.randomNormal([2, 28, 28, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
    const ones = scaleMasks(tf.ones([2, 28, 28, 1]) as tf.Tensor4D, 3);
    const dense = enc.apply(x, null, false);
    const sparse = enc.apply(x, ones, false);
    for (let s = 0; s < 3; s++) {
      const diff = (await tf.max(tf.abs(tf.sub(dense[s], sparse[s]))).data())[0];
      expect(diff).toBeLessThan(1e-4);
    }
    tf.dispose([x, ...ones, ...dense, ...sparse]);
    enc.dispose();
  });
});

describe('memory queue', () => {
  it('is FIFO: newest first, the oldest dropped when full', async () => {
    const q = new EmbeddingQueue(5);
    expect(q.fill).toBe(0);
    expect(() => q.view()).toThrow(/empty/);
    const e1 = tf.tensor2d([[1], [2], [3]]);
    const e2 = tf.tensor2d([[4], [5], [6]]);
    q.enqueue(e1);
    expect(Array.from(await q.view().data())).toEqual([3, 2, 1]);
    q.enqueue(e2);
    expect(q.fill).toBe(5);
    expect(Array.from(await q.view().data())).toEqual([6, 5, 4, 3, 2]);
    expect(e1.isDisposed).toBe(false); // the caller keeps its tensors
    tf.dispose([e1, e2]);
    q.dispose();
    expect(() => new EmbeddingQueue(0)).toThrow(/queue size/);
  });
});

describe('losses', () => {
  it('1 − Pearson r matches hand examples (r = cosine of the centred vectors)', async () => {
    const loss = async (a: number[], b: number[]) => (await pearsonLoss(tf.tensor2d([a]), tf.tensor2d([b])).data())[0];
    // a − ā = (−1, 0, 1), b − b̄ = (−1, 1, 0): dot 1, norms √2·√2 → r = 0.5.
    expect(await loss([1, 2, 3], [1, 3, 2])).toBeCloseTo(0.5, 6);
    expect(await loss([1, 2, 3], [3, 2, 1])).toBeCloseTo(2, 6); // r = −1
    expect(await loss([1, 2, 3, 7], [7, 9, 11, 19])).toBeCloseTo(0, 6); // b = 2a + 5: r = 1
    // Two rows average: r = 0.5 and r = 1 → loss 1 − 0.75.
    expect((await pearsonLoss(tf.tensor2d([[1, 2, 3], [1, 2, 3]]), tf.tensor2d([[1, 3, 2], [2, 4, 6]])).data())[0]).toBeCloseTo(0.25, 6);
  });

  it('has the gradient that finite differences give', async () => {
    const rng = new Rng(8);
    const a0 = Array.from(rng.uniforms(10));
    const b = tf.tensor2d(Array.from(rng.uniforms(10)), [2, 5]);
    const f = (a: number[]) => pearsonLoss(tf.tensor2d(a, [2, 5]), b).dataSync()[0];
    const g = await tf.grad((a: tf.Tensor) => pearsonLoss(a as tf.Tensor2D, b))(tf.tensor2d(a0, [2, 5])).data();
    const h = 1e-2;
    for (let i = 0; i < a0.length; i++) {
      const up = [...a0];
      const down = [...a0];
      up[i] += h;
      down[i] -= h;
      expect(g[i]).toBeCloseTo((f(up) - f(down)) / (2 * h), 2);
    }
  });

  it('similarity distributions are softmaxes over the queue at temperature τ', async () => {
    const e = tf.tensor2d([[1, 0], [0, 2]]);
    const q = tf.tensor2d([[3, 0], [0, 1], [-1, 0]]);
    const p = await similarityDistribution(e, q, 0.5).array();
    const expectRow = (cos: number[]) => {
      const z = cos.map((c) => Math.exp(c / 0.5));
      return z.map((v) => v / z.reduce((s, w) => s + w, 0));
    };
    expectRow([1, 0, -1]).forEach((v, i) => expect(p[0][i]).toBeCloseTo(v, 5));
    expectRow([0, 1, 0]).forEach((v, i) => expect(p[1][i]).toBeCloseTo(v, 5));
  });
});

describe('ViT teacher and MIM', () => {
  it('returns per-patch [N, 49, D] and pooled [N, D] embeddings; visible-only encoding with a selection', () => {
    const vit = new Vit(TINY_VIT, 1, 'vit');
    const x = tf.randomNormal([3, 28, 28, 1]) as tf.Tensor4D;
    const full = vit.encode(x);
    expect(full.tokens.shape).toEqual([3, 49, 16]);
    expect(full.pooled.shape).toEqual([3, 16]);
    const vis = drawVisible(3, 49, 0.75, new Rng(2));
    const sel = selectionMatrix(vis, 3, 49);
    const part = vit.encode(x, sel);
    expect(part.tokens.shape).toEqual([3, 12, 16]);
    tf.dispose([x, sel, full.tokens, full.pooled, part.tokens, part.pooled]);
    vit.dispose();
  });

  it('reconstruction targets are per-patch normalised; the masked-patch loss is finite', async () => {
    const { train } = await nodeDataSources('mnist', 64, 1);
    const raw = train.nextBatch(4);
    const t = patchTargets(raw.x, 4, 28, 4);
    for (let p = 0; p < 4 * 49; p++) {
      const row = t.subarray(p * 16, (p + 1) * 16);
      expect(Math.abs(row.reduce((s, v) => s + v, 0) / 16)).toBeLessThan(1e-4);
    }
    const vit = new Vit(TINY_VIT, 1, 'vit');
    const dec = new MaeDecoder(vit, { dim: 8, depth: 1, heads: 2 }, 2, 'dec');
    const b = mimBatch(vit, raw.x, 4, 0.75, new Rng(1));
    const loss = (await mimLoss(vit, dec, b).data())[0];
    expect(Number.isFinite(loss) && loss > 0).toBe(true);
    disposeMimBatch(b);
    vit.dispose();
    dec.dispose();
  });
});

describe('light decoders', () => {
  it.each([true, false])('unet=%s maps the encoder features onto the teacher grid [N, 49, D_t]', (unet) => {
    const enc = new SparseEncoder(SPEC, 1, 'enc');
    const dec = new Decoder({ widths: SPEC.widths, inputSize: 28, width: 8, tokenGrid: 7, teacherDim: 16, unet }, 2, 'dec');
    const { x, masks } = maskedBatch(2, 1);
    const out = dec.apply(enc.apply(x, masks, true), masks, true);
    expect(out.tokens.shape).toEqual([2, 49, 16]);
    expect(out.pooled.shape).toEqual([2, 16]);
    // The UNet owns a mask token per level and an upsampling between levels; the plain head neither.
    const names = [...dec.params.trainable.keys()];
    expect(names.filter((k) => k.startsWith('token')).length).toBe(unet ? 3 : 0);
    expect(names.filter((k) => k.startsWith('up')).length).toBe(unet ? 2 : 0);
    tf.dispose([x, ...masks, out.tokens, out.pooled]);
    enc.dispose();
    dec.dispose();
  });

  it('rejects a student whose scales cannot meet the 7×7 grid', () => {
    expect(() => new Decoder({ widths: [4, 8, 8, 8], inputSize: 28, width: 8, tokenGrid: 7, teacherDim: 16, unet: true }, 1, 'd')).toThrow(/7×7/);
  });
});

describe('H-GKD trainer', () => {
  const settings = (o: Partial<HgkdSettings> = {}): HgkdSettings => ({
    student: SPEC, recipe: constantAdam(1e-3), batch: 8, seed: 1, maskRatio: 0.6, queueSize: 20, tau: 0.1, mseW: 1, simW: 1, sparse: true, unet: true, sim: true, ...o,
  });

  it('enqueues the teacher before the similarities: each sample finds itself in the queue', async () => {
    const { train } = await nodeDataSources('mnist', 64, 1);
    const vit = new Vit(TINY_VIT, 1, 'vit');
    const t = new HgkdTrainer(settings(), vit, train);
    const m1 = await t.step();
    expect(m1.queueFill).toBe(8); // already counted at the first step
    const sim = t.lastSimilarity!;
    expect(sim.teacher.length).toBe(8);
    // Sample 0 is the batch's oldest row, so the last queue entry: its own embedding (cos = 1) is the peak.
    expect(sim.teacher.indexOf(Math.max(...sim.teacher))).toBe(7);
    const m2 = await t.step();
    const m3 = await t.step();
    expect([m2.queueFill, m3.queueFill]).toEqual([16, 20]); // capped at the queue size
    for (const m of [m1, m2, m3]) {
      expect(m.loss).toBeCloseTo(m.mse + m.simLoss, 4);
      expect(m.pearson).toBeCloseTo(1 - m.simLoss, 6);
    }
    t.dispose();
    vit.dispose();
  });

  it('sim=0 trains on the MSE alone (the similarity loss is still measured); tensors do not leak', async () => {
    const { train } = await nodeDataSources('mnist', 64, 1);
    const vit = new Vit(TINY_VIT, 1, 'vit');
    const t = new HgkdTrainer(settings({ sim: false, mseW: 2, sparse: false, unet: false }), vit, train);
    await t.step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const m = await t.step();
      expect(m.loss).toBeCloseTo(2 * m.mse, 5);
      expect(Number.isFinite(m.simLoss)).toBe(true);
    }
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
    vit.dispose();
  });
});
