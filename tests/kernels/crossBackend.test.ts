/**
 * The same op calls on three backends: webgpu (WGSL passes) vs cpu and wasm (where the ops take
 * the plain-tfjs reference path). Forward and every gradient must agree, so a run gives the same
 * numbers whichever backend it lands on. Data crosses backends as plain arrays (moving a tensor
 * off webgpu needs a synchronous read, which Node's WebGPU cannot do).
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { kernelPath } from '../../src/core/kernels/webgpu/dispatch';
import { maskedConv2d } from '../../src/core/kernels/maskedConv/op';
import { sparseConv2d } from '../../src/core/kernels/sparseConv/op';
import { sparseBatchNorm } from '../../src/core/kernels/sparseBatchNorm/op';
import { initNodeBackend } from '../../src/node/backend';
import { bernoulli, relErr, rng, TOL, uniform } from './helpers';
import { describeGPU, initWebGPU, useWebGPU } from './webgpuSetup';

type Input = { values: Float32Array; shape: number[] };
type Probe = {
  name: string;
  inputs: Input[];
  /** Scalar to differentiate, from the op's output (weighted so every output element counts). */
  run: (...xs: tf.Tensor[]) => tf.Tensor;
};

function probes(): Probe[] {
  const rand = rng(77);
  const inp = (shape: number[], values?: Float32Array): Input => ({ shape, values: values ?? uniform(rand, shape) });
  const weights = (shape: number[]) => tf.tensor(uniform(rng(shape.reduce((a, b) => a + b, 0)), shape), shape);
  return [
    {
      name: 'maskedConv2d pixel, k3 s2',
      inputs: [inp([2, 7, 6, 3]), inp([2, 7, 6, 1], bernoulli(rand, [2, 7, 6, 1], 0.5)), inp([3, 3, 3, 4]), inp([4])],
      run: (x, m, w, b) => maskedConv2d(x as tf.Tensor4D, m as tf.Tensor4D, w as tf.Tensor4D, b as tf.Tensor1D, 2, 'same').mul(weights([2, 4, 3, 4])).sum(),
    },
    {
      name: 'maskedConv2d channel, k5 s1',
      inputs: [inp([1, 5, 5, 4]), inp([1, 1, 1, 4], bernoulli(rand, [1, 1, 1, 4], 0.5)), inp([5, 5, 4, 2]), inp([2])],
      run: (x, m, w, b) => maskedConv2d(x as tf.Tensor4D, m as tf.Tensor4D, w as tf.Tensor4D, b as tf.Tensor1D, 1, 'same').mul(weights([1, 5, 5, 2])).sum(),
    },
    {
      name: 'sparseConv2d k3 s2',
      inputs: [inp([2, 7, 6, 3]), inp([2, 7, 6, 1], bernoulli(rand, [2, 7, 6, 1], 0.4)), inp([3, 3, 3, 4])],
      run: (x, a, w) => sparseConv2d(x as tf.Tensor4D, a as tf.Tensor4D, w as tf.Tensor4D, 2).mul(weights([2, 4, 3, 4])).sum(),
    },
    {
      name: 'sparseBatchNorm',
      inputs: [inp([2, 5, 4, 3]), inp([2, 5, 4, 1], bernoulli(rand, [2, 5, 4, 1], 0.6)), inp([3]), inp([3])],
      run: (x, a, g, b) => {
        const { y, mean, variance } = sparseBatchNorm(x as tf.Tensor4D, a as tf.Tensor4D, g as tf.Tensor1D, b as tf.Tensor1D);
        return y.mul(weights([2, 5, 4, 3])).sum().add(mean.sum()).add(variance.sum());
      },
    },
  ];
}

/** [value, ...gradients] of a probe on the current backend, as arrays. */
async function evaluate(p: Probe): Promise<Float32Array[]> {
  const xs = p.inputs.map((i) => tf.tensor(i.values, i.shape));
  const { value, grads } = tf.valueAndGrads((...t: tf.Tensor[]) => p.run(...t) as tf.Scalar)(xs);
  const out = [await value.data(), ...(await Promise.all(grads.map((g) => g.data())))] as Float32Array[];
  tf.dispose([...xs, value, ...grads]);
  return out;
}

describeGPU('kernel ops agree across backends (webgpu WGSL vs cpu/wasm reference)', () => {
  const onGpu = new Map<string, Float32Array[]>();

  beforeAll(async () => {
    await initWebGPU();
    expect(kernelPath()).toBe('webgpu');
    for (const p of probes()) onGpu.set(p.name, await evaluate(p));
  });

  afterAll(useWebGPU);

  it.each(['cpu', 'wasm'] as const)('%s matches webgpu, forward and every gradient', async (backend) => {
    await initNodeBackend(backend);
    expect(kernelPath()).toBe('reference');
    for (const p of probes()) {
      const got = await evaluate(p);
      const want = onGpu.get(p.name)!;
      got.forEach((g, i) => {
        const err = relErr(g, want[i]);
        expect(err, `${p.name} on ${backend}, ${i === 0 ? 'value' : `gradient #${i - 1}`}: ${err.toExponential(2)}`).toBeLessThanOrEqual(TOL);
      });
    }
  });
});
