/**
 * Finite-difference checks of every method's loss gradient with respect to the student's
 * feature map and logits (what backpropagates into the student), through align, mask and
 * generator. Float64 is not available in tfjs, so central differences with a moderate step
 * and a relative tolerance.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initNodeBackend } from '../src/node/backend';
import { Distiller, type Method } from '../src/core/distill/distiller';
import { Rng } from '../src/core/random';

beforeAll(async () => {
  await initNodeBackend('cpu');
});

const rand = (shape: number[], seed: number) => {
  const rng = new Rng(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => rng.normal()), shape);
};

describe.each(['none', 'kd', 'mimic', 'mgd', 'mgd+kd'] as Method[])('%s gradient', (method) => {
  it.each([['pixel'], ['channel']] as const)('matches central differences (%s mask)', async (mask) => {
    const [n, h, w, cs, ct, k] = [2, 3, 3, 4, 6, 5];
    const settings = { method, alpha: 0.05, lambda: 0.5, mask, gen: { convs: 2, kernel: 3 }, kdT: 3, kdW: 0.7 };
    const s0 = rand([n, h, w, cs], 1) as tf.Tensor4D;
    const t = rand([n, h, w, ct], 2) as tf.Tensor4D;
    const sl0 = rand([n, k], 3) as tf.Tensor2D;
    const tl = rand([n, k], 4) as tf.Tensor2D;
    const labels = tf.tensor1d([1, 3], 'int32');
    // A fresh distiller per evaluation: same seed → same align/generator weights and same mask.
    const loss = (s: tf.Tensor4D, sl: tf.Tensor2D) => {
      const d = new Distiller(settings, [{ student: [h, w, cs], teacher: [h, w, ct] }], 7);
      const out = d.losses({ studentLogits: sl, studentFeatures: [s], teacherLogits: tl, teacherFeatures: [t] }, labels);
      const value = out.total; // task + distill (+ the difference probe for none/kd, which must not reach S)
      return { value, dispose: () => d.dispose() };
    };
    let dispose = () => {};
    const [gs, gl] = tf.grads((s: tf.Tensor, sl: tf.Tensor) => {
      const r = loss(s as tf.Tensor4D, sl as tf.Tensor2D);
      dispose = r.dispose;
      return r.value;
    })([s0, sl0]);
    dispose();
    const eval1 = async (s: tf.Tensor4D, sl: tf.Tensor2D) => {
      const r = loss(s, sl);
      const v = (await r.value.data())[0];
      r.dispose();
      return v;
    };
    const eps = 1e-2;
    const check = async (which: 0 | 1, grad: tf.Tensor, base: tf.Tensor, picks: number[]) => {
      const g = await grad.data();
      const b = await base.data();
      for (const i of picks) {
        const plus = Float32Array.from(b);
        const minus = Float32Array.from(b);
        plus[i] += eps;
        minus[i] -= eps;
        const args = (arr: Float32Array): [tf.Tensor4D, tf.Tensor2D] =>
          which === 0 ? [tf.tensor4d(arr, s0.shape), sl0] : [s0, tf.tensor2d(arr, sl0.shape)];
        const fd = ((await eval1(...args(plus))) - (await eval1(...args(minus)))) / (2 * eps);
        expect(Math.abs(fd - g[i])).toBeLessThan(2e-3 + 2e-2 * Math.abs(fd));
      }
    };
    await check(1, gl, sl0, [0, 4, 6, 9]);
    if (method === 'none' || method === 'kd') {
      expect((await tf.max(tf.abs(gs)).data())[0]).toBe(0); // the probe never moves the student
    } else {
      await check(0, gs, s0, [0, 7, 20, 35, 50, 71]);
    }
  });
});
