import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { accuracy, crossEntropy } from '../src/core/distill/losses';
import { kdLoss, sumSquaredPerSample } from '../src/core/methods/mgd/losses';
import { drawMask } from '../src/core/methods/mgd/masks';
import { Rng } from '../src/core/random';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const scalar = async (t: tf.Tensor) => (await t.data())[0];

describe('cross-entropy', () => {
  it('matches −log softmax of the true class, averaged', async () => {
    // Row 1: logits [0, ln 3] → p(class1) = 3/4; row 2: [0, 0] → p(class0) = 1/2.
    const logits = tf.tensor2d([[0, Math.log(3)], [0, 0]]);
    const labels = tf.tensor1d([1, 0], 'int32');
    const expected = (-Math.log(3 / 4) - Math.log(1 / 2)) / 2;
    expect(await scalar(crossEntropy(logits, labels))).toBeCloseTo(expected, 6);
  });
});

describe('Hinton KD', () => {
  it('is T² · KL(p_t ‖ p_s) per sample, averaged', async () => {
    const s = tf.tensor2d([[0, 0]]);
    const t = tf.tensor2d([[0, 2 * Math.log(3)]]); // at T=2: p_t = [1/4, 3/4]
    const pt = [0.25, 0.75];
    const kl = pt[0] * Math.log(pt[0] / 0.5) + pt[1] * Math.log(pt[1] / 0.5);
    expect(await scalar(kdLoss(s, t, 2))).toBeCloseTo(4 * kl, 6);
  });
  it('is zero when the logits agree', async () => {
    const z = tf.tensor2d([[1, -2, 3], [0.5, 0.5, 0]]);
    expect(await scalar(kdLoss(z, z, 4))).toBeCloseTo(0, 6);
  });
});

describe('feature losses', () => {
  it('sum over C·H·W divided by N (not a mean)', async () => {
    const a = tf.zeros([2, 2, 2, 3]) as tf.Tensor4D;
    const b = tf.ones([2, 2, 2, 3]) as tf.Tensor4D; // 12 ones per sample
    expect(await scalar(sumSquaredPerSample(a, b))).toBeCloseTo(12, 6);
  });
  it('accuracy counts argmax hits', async () => {
    const logits = tf.tensor2d([[1, 0], [0, 1], [1, 0], [0, 1]]);
    expect(await scalar(accuracy(logits, tf.tensor1d([0, 1, 1, 1], 'int32')))).toBeCloseTo(0.75, 6);
  });
});

describe('MGD masks', () => {
  it('pixel mask: one [N,H,W,1] mask shared by channels, values exactly 0 or 1 (no rescaling)', () => {
    const { values, shape } = drawMask(new Rng(1), 'pixel', 2, 3, 5, 7, 0.5);
    expect(shape).toEqual([2, 3, 5, 1]);
    expect(values.length).toBe(30);
    expect([...new Set(values)].sort()).toEqual([0, 1]);
  });
  it('channel mask: one [N,1,1,C] mask per sample', () => {
    const { values, shape } = drawMask(new Rng(1), 'channel', 2, 3, 5, 7, 0.5);
    expect(shape).toEqual([2, 1, 1, 7]);
    expect(values.length).toBe(14);
  });
  it.each([
    ['pixel', 0.15],
    ['pixel', 0.5],
    ['pixel', 0.8],
    ['channel', 0.15],
    ['channel', 0.65],
  ] as const)('%s mask drops a fraction ≈ λ = %s', (kind, lambda) => {
    const { values } = drawMask(new Rng(7), kind, 64, 16, 16, 64, lambda);
    const dropped = values.filter((v) => v === 0).length / values.length;
    const se = Math.sqrt((lambda * (1 - lambda)) / values.length);
    expect(Math.abs(dropped - lambda)).toBeLessThan(5 * se + 1e-3);
  });
  it('λ = 0 keeps everything; the same seed draws the same mask', () => {
    expect(drawMask(new Rng(3), 'pixel', 4, 4, 4, 2, 0).values.every((v) => v === 1)).toBe(true);
    expect(drawMask(new Rng(3), 'pixel', 4, 4, 4, 2, 0.5).values).toEqual(drawMask(new Rng(3), 'pixel', 4, 4, 4, 2, 0.5).values);
  });
  it('masking zeroes exactly the dropped pixels and leaves kept values unscaled', async () => {
    const x = tf.randomNormal([2, 4, 4, 3], 0, 1, 'float32', 5);
    const { values, shape } = drawMask(new Rng(11), 'pixel', 2, 4, 4, 3, 0.5);
    const masked = await tf.mul(x, tf.tensor4d(values, shape)).data();
    const raw = await x.data();
    for (let i = 0; i < raw.length; i++) {
      const pixel = Math.floor(i / 3);
      expect(masked[i] + 0).toBe(values[pixel] === 0 ? 0 : raw[i]); // +0 folds −0
    }
  });
});
