/**
 * Finite-difference checks of every Distiller method's loss gradient with respect to what
 * backpropagates into the student — its hooked feature map, its penultimate feature and its
 * logits — through align, mask, generator and connectors. Float64 is not available in tfjs, so
 * central differences with a moderate step and a relative tolerance.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initNodeBackend } from '../src/node/backend';
import { Distiller, type Method, distillSettingsOf } from '../src/core/distill/distiller';
import { DEFAULT_CONFIG } from '../src/core/config';
import { Rng } from '../src/core/random';

beforeAll(async () => {
  await initNodeBackend('cpu');
});

const rand = (shape: number[], seed: number) => {
  const rng = new Rng(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => rng.normal()), shape);
};

const [n, h, w, cs, ct, k, ps, pt] = [3, 3, 3, 4, 6, 5, 4, 6];
/** The batch's rows in a train set of TRAIN_SIZE images (CRD's memory banks are per image). */
const TRAIN_SIZE = 8;
const ROWS = Int32Array.from([5, 0, 2]);
/** The student inputs a loss is differentiated by: hooked feature, penultimate feature, logits. */
type StudentArgs = [tf.Tensor4D, tf.Tensor2D, tf.Tensor2D];
/** The fixed inputs (made after the backend is set up). */
const inputs = () => ({
  s0: rand([n, h, w, cs], 1) as tf.Tensor4D,
  t: rand([n, h, w, ct], 2) as tf.Tensor4D,
  sl0: rand([n, k], 3) as tf.Tensor2D,
  tl: rand([n, k], 4) as tf.Tensor2D,
  sp0: rand([n, ps], 5) as tf.Tensor2D,
  tp: rand([n, pt], 6) as tf.Tensor2D,
  headW: rand([pt, k], 8) as tf.Tensor2D, // a fixed "teacher classifier"
  teacherBn: { gamma: rand([ct], 9) as tf.Tensor1D, beta: rand([ct], 10) as tf.Tensor1D }, // OFD's margins
  labels: tf.tensor1d([1, 3, 0], 'int32'),
});

/**
 * Which inputs a method's loss reads (the others must get exactly zero gradient, apart from the
 * CE on the logits every method has). `detached`: part of the loss is deliberately held out of
 * the gradient (WSLD's per-sample weight), so the loss's value is not what the logits' gradient
 * differentiates; its check holds that part fixed (tests/methodLosses.test.ts).
 */
const READS: Record<Method, { feature: boolean; pooled: boolean; detached?: true }> = {
  none: { feature: false, pooled: false },
  kd: { feature: false, pooled: false },
  mimic: { feature: true, pooled: false },
  mgd: { feature: true, pooled: false },
  'mgd+kd': { feature: true, pooled: false },
  at: { feature: true, pooled: false },
  rkd: { feature: false, pooled: true },
  wsld: { feature: false, pooled: false, detached: true },
  srrl: { feature: true, pooled: false }, // its connector reads the last stage, here the hooked one
  crd: { feature: false, pooled: true },
  ofd: { feature: true, pooled: false }, // here the hooked feature stands for the stage before its ReLU too
};

describe.each(Object.keys(READS) as Method[])('%s gradient', (method) => {
  it.each([['pixel'], ['channel']] as const)('matches central differences (%s mask)', async (mask) => {
    const { s0, t, sl0, tl, sp0, tp, headW, teacherBn, labels } = inputs();
    const settings = { ...distillSettingsOf(DEFAULT_CONFIG, method), alpha: 0.05, lambda: 0.5, mask, kdT: 3, kdW: 0.7, crdK: 6 };
    // A fresh distiller per evaluation: same seed → same heads' weights and same mask.
    const loss = ([s, sp, sl]: StudentArgs) => {
      const d = new Distiller(settings, [{ student: [h, w, cs], teacher: [h, w, ct], teacherBn }], 7, { student: ps, teacher: pt, teacherHead: (p) => tf.matMul(p, headW) }, TRAIN_SIZE);
      const out = d.losses({ studentLogits: sl, studentFeatures: [s], studentLast: s, studentPooled: sp, teacherLogits: tl, teacherFeatures: [t], preRelu: { student: [s], teacher: [t] }, teacherPooled: tp }, labels, ROWS);
      // The optimizer's total adds the difference probe for methods that do not train through
      // align: its value moves with S but its gradient must not reach S. So the gradient is
      // taken of the total and the differences of task + distill.
      return { value: out.total, loss: tf.add(out.task, out.distill), dispose: () => d.dispose() };
    };
    let dispose = () => {};
    const grads = tf.grads((s: tf.Tensor, sp: tf.Tensor, sl: tf.Tensor) => {
      const r = loss([s as tf.Tensor4D, sp as tf.Tensor2D, sl as tf.Tensor2D]);
      dispose = r.dispose;
      // tf.grads refuses an input the value does not depend on; this adds 0 to its gradient.
      return tf.add(r.value, tf.mul(tf.add(tf.sum(s), tf.sum(sp)), 0)) as tf.Scalar;
    })([s0, sp0, sl0]);
    dispose();
    const eval1 = async (args: StudentArgs) => {
      const r = loss(args);
      const v = (await r.loss.data())[0];
      r.dispose();
      return v;
    };
    const eps = 1e-2;
    const base: StudentArgs = [s0, sp0, sl0];
    const check = async (which: 0 | 1 | 2, picks: number[]) => {
      const g = await grads[which].data();
      const b = await base[which].data();
      for (const i of picks) {
        const shifted = (d: number): StudentArgs => {
          const arr = Float32Array.from(b);
          arr[i] += d;
          const args = [...base] as StudentArgs;
          args[which] = tf.tensor(arr, base[which].shape) as never;
          return args;
        };
        const fd = ((await eval1(shifted(eps))) - (await eval1(shifted(-eps)))) / (2 * eps);
        expect(Math.abs(fd - g[i]), `input ${which} element ${i}`).toBeLessThan(2e-3 + 2e-2 * Math.abs(fd));
      }
    };
    const zero = async (which: 0 | 1) => expect((await tf.max(tf.abs(grads[which])).data())[0], `input ${which}`).toBe(0);
    if (!READS[method].detached) await check(2, [0, 4, 6, 9, 14]);
    if (READS[method].feature) await check(0, [0, 7, 20, 35, 50, 71, 100]);
    else await zero(0); // the probe never moves the student
    if (READS[method].pooled) await check(1, [0, 3, 5, 10]);
    else await zero(1);
  });
});
