/**
 * The losses of the methods from MGD's Table 1 against examples worked out by hand (tiny
 * tensors; the arithmetic is in the comments). Gradients: tests/gradcheck.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { atLoss, attentionMap } from '../src/core/methods/at/terms';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const scalar = async (t: tf.Tensor) => (await t.data())[0];

describe('AT', () => {
  // One sample, H = 1, W = 2. Student (C = 2): pixel 0 = (1, 1), pixel 1 = (2, 0); teacher
  // (C = 3, widths may differ): pixel 0 = (0, 0, 0), pixel 1 = (3, 3, 3).
  const s = () => tf.tensor4d([1, 1, 2, 0], [1, 1, 2, 2]);
  const t = () => tf.tensor4d([0, 0, 0, 3, 3, 3], [1, 1, 2, 3]);

  it('a(F) = mean_c F², L2-normalised per sample', async () => {
    // Student: mean_c F² = (1, 2) → /√5. Teacher: (0, 9) → (0, 1).
    expect(Array.from(await attentionMap(s()).data())).toEqual([1 / Math.sqrt(5), 2 / Math.sqrt(5)].map(Math.fround));
    expect(Array.from(await attentionMap(t()).data())).toEqual([0, 1]);
  });

  it('loss = mean over N·H·W of (a(S) − a(T))²', async () => {
    // ((1/√5)² + (2/√5 − 1)²) / 2 = (1/5 + 4/5 − 4/√5 + 1) / 2 = 1 − 2/√5 ≈ 0.105573
    expect(await scalar(atLoss(s(), t()))).toBeCloseTo(1 - 2 / Math.sqrt(5), 6);
  });

  it('an all-zero map stays zero (the norm is floored, not NaN)', async () => {
    expect(Array.from(await attentionMap(tf.zeros([1, 1, 2, 2]) as tf.Tensor4D).data())).toEqual([0, 0]);
  });
});
