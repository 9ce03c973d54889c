/**
 * Rough timings on the test GPU (SwiftShader: a CPU emulation, so a sanity signal only, not a
 * benchmark): sparseConv2d at several active fractions against dense tf.conv2d and the
 * dense-conv reference. Opt-in: DISTILL_KERNEL_TIMINGS=1 (it takes a while and only logs).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { maskedConv2d } from '../../src/core/kernels/maskedConv/op';
import { sparseConv2d } from '../../src/core/kernels/sparseConv/op';
import { sparseConv2dReference } from '../../src/core/kernels/sparseConv/reference';
import { bernoulli, rng, uniform } from './helpers';
import { initWebGPU } from './webgpuSetup';

const ENABLED = process.env.DISTILL_KERNEL_TIMINGS === '1' && process.env.DISTILL_SKIP_GPU_TESTS !== '1';
const REPS = 5;

/** Median ms of `f` including the read-back (the GPU queue is drained every repetition). */
async function time(f: () => tf.Tensor | tf.Tensor[]): Promise<number> {
  const once = async () => {
    const t0 = performance.now();
    const out = f();
    const outs = Array.isArray(out) ? out : [out];
    await Promise.all(outs.map((t) => t.data()));
    tf.dispose(outs);
    return performance.now() - t0;
  };
  await once(); // compile + warm
  const ms: number[] = [];
  for (let i = 0; i < REPS; i++) ms.push(await once());
  return ms.sort((a, b) => a - b)[REPS >> 1];
}

(ENABLED ? describe : describe.skip)(`kernel timings on WebGPU${ENABLED ? '' : ' [skipped: set DISTILL_KERNEL_TIMINGS=1]'}`, () => {
  beforeAll(initWebGPU);

  it('sparse conv cost follows the active fraction', async () => {
    const [n, h, w, ci, co, k] = [4, 16, 16, 32, 32, 3];
    const rand = rng(9);
    const x = tf.tensor4d(uniform(rand, [n, h, w, ci]), [n, h, w, ci]);
    const wt = tf.tensor4d(uniform(rand, [k, k, ci, co]), [k, k, ci, co]);
    const rows: string[] = [`x [${n},${h},${w},${ci}] → Co ${co}, k${k} s1, median of ${REPS} (ms, incl. read-back):`];
    const denseGrads = () => tf.grads((xi: tf.Tensor, wi: tf.Tensor) => tf.conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, 1, 'same').sum())([x, wt]);
    rows.push(`  dense tf.conv2d                 fwd ${(await time(() => tf.conv2d(x, wt, 1, 'same'))).toFixed(1)}   fwd+bwd ${(await time(denseGrads)).toFixed(1)}`);
    const ones = tf.ones([n, h, w, 1]) as tf.Tensor4D;
    const b = tf.zeros([co]) as tf.Tensor1D;
    const maskedGrads = () => tf.grads((xi: tf.Tensor, wi: tf.Tensor) => maskedConv2d(xi as tf.Tensor4D, ones, wi as tf.Tensor4D, b).sum())([x, wt]);
    rows.push(`  maskedConv2d (mask all 1)       fwd ${(await time(() => maskedConv2d(x, ones, wt, b))).toFixed(1)}   fwd+bwd ${(await time(maskedGrads)).toFixed(1)}`);
    const fwd: Record<number, number> = {};
    for (const keep of [1, 0.5, 0.25, 0.05]) {
      const active = tf.tensor4d(bernoulli(rand, [n, h, w, 1], keep), [n, h, w, 1]);
      fwd[keep] = await time(() => sparseConv2d(x, active, wt, 1));
      const both = await time(() => tf.grads((xi: tf.Tensor, wi: tf.Tensor) => sparseConv2d(xi as tf.Tensor4D, active, wi as tf.Tensor4D, 1).sum())([x, wt]));
      const ref = await time(() => sparseConv2dReference(x, active, wt, 1));
      rows.push(`  sparseConv2d active ${keep.toFixed(2)}       fwd ${fwd[keep].toFixed(1)}   fwd+bwd ${both.toFixed(1)}   (reference fwd ${ref.toFixed(1)})`);
      active.dispose();
    }
    console.log(rows.join('\n'));
    expect(fwd[0.25]).toBeGreaterThan(0);
    tf.dispose([x, wt, ones, b]);
  });
});
