/**
 * batchNormTrain / batchNormInfer (src/core/ops/batchNorm.ts) against plain tfjs ops with
 * autograd (tf.moments + tf.batchNorm), forward and all three gradients, on wasm and cpu.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchNormInfer, batchNormTrain } from '../src/core/ops/batchNorm';
import { addBatchNorm } from '../src/core/models/layers';
import { ParamStore } from '../src/core/models/params';
import { initNodeBackend } from '../src/node/backend';
import { relErrFloor } from '../src/bench/parityMath';

const BACKENDS = ['cpu', 'wasm'] as const;
const EPS = 1e-5;


interface Inputs {
  x: tf.Tensor4D; // [N, H, W, C]
  gamma: tf.Tensor1D;
  beta: tf.Tensor1D;
  weight: tf.Tensor4D; // loss = Σ y·weight, so dy = weight (not uniform)
}

/** Seeded inputs; the activations carry a per-channel offset so centring matters. */
function makeInputs(shape: [number, number, number, number], seed: number): Inputs {
  const c = shape[3];
  return tf.tidy(() => ({
    x: tf.randomNormal(shape, 0, 2, 'float32', seed).add(tf.linspace(-3, 3, c)) as tf.Tensor4D,
    gamma: tf.randomUniform([c], 0.5, 1.5, 'float32', seed + 1) as tf.Tensor1D,
    beta: tf.randomNormal([c], 0, 1, 'float32', seed + 2) as tf.Tensor1D,
    weight: tf.randomNormal(shape, 0, 1, 'float32', seed + 3) as tf.Tensor4D,
  }));
}

/** Value and gradients (x, γ, β) of Σ f(x, γ, β)·weight. */
async function valueAndGrads(
  f: (x: tf.Tensor4D, g: tf.Tensor1D, b: tf.Tensor1D) => tf.Tensor4D,
  inp: Inputs,
): Promise<{ y: Float32Array; dx: Float32Array; dGamma: Float32Array; dBeta: Float32Array }> {
  const y = tf.tidy(() => f(inp.x, inp.gamma, inp.beta));
  const grads = tf.grads((x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
    f(x as tf.Tensor4D, g as tf.Tensor1D, b as tf.Tensor1D).mul(inp.weight).sum() as tf.Scalar,
  )([inp.x, inp.gamma, inp.beta]);
  const out = {
    y: (await y.data()) as Float32Array,
    dx: (await grads[0].data()) as Float32Array,
    dGamma: (await grads[1].data()) as Float32Array,
    dBeta: (await grads[2].data()) as Float32Array,
  };
  tf.dispose([y, ...grads]);
  return out;
}

const referenceTrain = (x: tf.Tensor4D, g: tf.Tensor1D, b: tf.Tensor1D): tf.Tensor4D => {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  return tf.batchNorm(x, mean as tf.Tensor1D, variance as tf.Tensor1D, b, g, EPS);
};

beforeAll(async () => {
  await initNodeBackend('cpu');
  await initNodeBackend('wasm');
});

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe.each(BACKENDS)('batchNormTrain on %s', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
  });

  it.each([
    [[4, 5, 7, 3], 1],
    [[1, 6, 6, 8], 2],
    [[16, 7, 7, 16], 3],
    [[3, 1, 2, 1], 4], // M = 6 (M = 2 would make dx pure round-off: it lies in span{1, x̂})
  ] as [[number, number, number, number], number][])('matches tf.moments + tf.batchNorm, shape %j', async (shape, seed) => {
    const inp = makeInputs(shape, seed);
    const ours = await valueAndGrads((x, g, b) => batchNormTrain(x, g, b, EPS).y, inp);
    const ref = await valueAndGrads(referenceTrain, inp);
    expect(relErrFloor(ours.y, ref.y), 'y').toBeLessThan(1e-4);
    expect(relErrFloor(ours.dx, ref.dx), 'dx').toBeLessThan(1e-4);
    expect(relErrFloor(ours.dGamma, ref.dGamma), 'dγ').toBeLessThan(1e-4);
    expect(relErrFloor(ours.dBeta, ref.dBeta), 'dβ').toBeLessThan(1e-4);
    tf.dispose(Object.values(inp));
  });

  it('returns the batch statistics, which carry no gradient', async () => {
    const inp = makeInputs([3, 4, 4, 5], 9);
    const { y, mean, variance } = batchNormTrain(inp.x, inp.gamma, inp.beta, EPS);
    const ref = tf.moments(inp.x, [0, 1, 2]);
    expect(mean.shape).toEqual([5]);
    expect(relErrFloor(await mean.data(), await ref.mean.data())).toBeLessThan(1e-5);
    expect(relErrFloor(await variance.data(), await ref.variance.data())).toBeLessThan(1e-5);
    const dx = tf.grad((x: tf.Tensor) => {
      const r = batchNormTrain(x as tf.Tensor4D, inp.gamma, inp.beta, EPS);
      return r.mean.sum().add(r.variance.sum()).add(r.y.mul(0).sum()) as tf.Scalar;
    })(inp.x);
    expect(Math.max(...(await dx.abs().data()))).toBe(0);
    tf.dispose([y, mean, variance, ref.mean, ref.variance, dx, ...Object.values(inp)]);
  });

  it('leaves no tensors behind over repeated gradient steps', async () => {
    const inp = makeInputs([4, 6, 6, 8], 11);
    const vars = [tf.variable(inp.x), tf.variable(inp.gamma), tf.variable(inp.beta)] as const;
    const step = () => {
      const { value, grads } = tf.variableGrads(() => {
        const { y } = batchNormTrain(vars[0] as tf.Tensor4D, vars[1] as tf.Tensor1D, vars[2] as tf.Tensor1D, EPS);
        return y.mul(inp.weight).sum() as tf.Scalar;
      }, [...vars]);
      tf.dispose([value, ...Object.values(grads)]);
    };
    step();
    const before = tf.memory().numTensors;
    const dataIds = tf.backend().numDataIds();
    for (let i = 0; i < 20; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.backend().numDataIds()).toBe(dataIds);
    tf.dispose([...vars, ...Object.values(inp)]);
  });
});

describe.each(BACKENDS)('batchNormInfer on %s', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
  });

  it('matches tf.batchNorm with the running statistics, forward and gradients', async () => {
    const inp = makeInputs([4, 5, 5, 6], 21);
    const runMean = tf.randomNormal([6], 0, 1, 'float32', 22) as tf.Tensor1D;
    const runVar = tf.randomUniform([6], 0.2, 3, 'float32', 23) as tf.Tensor1D;
    const ours = await valueAndGrads((x, g, b) => batchNormInfer(x, g, b, runMean, runVar, EPS), inp);
    const ref = await valueAndGrads((x, g, b) => tf.batchNorm(x, runMean, runVar, b, g, EPS), inp);
    expect(relErrFloor(ours.y, ref.y), 'y').toBeLessThan(1e-4);
    expect(relErrFloor(ours.dx, ref.dx), 'dx').toBeLessThan(1e-4);
    expect(relErrFloor(ours.dGamma, ref.dGamma), 'dγ').toBeLessThan(1e-4);
    expect(relErrFloor(ours.dBeta, ref.dBeta), 'dβ').toBeLessThan(1e-4);
    tf.dispose([runMean, runVar, ...Object.values(inp)]);
  });
});

describe('running statistics', () => {
  it('move towards the batch mean and the unbiased variance, as torch.nn.BatchNorm2d', async () => {
    await initNodeBackend('cpu');
    const p = new ParamStore('bn-running');
    const bn = addBatchNorm(p, 'bn', 3);
    const x = tf.tensor4d([1, 10, -2, 3, 20, 0, 4, 30, 5, 9, 60, 1], [2, 2, 1, 3]); // n = 4 values per channel
    tf.dispose(bn(x, true));
    const values = await x.data();
    const mean = [0, 1, 2].map((c) => [0, 1, 2, 3].reduce((s, i) => s + values[i * 3 + c], 0) / 4);
    const unbiased = [0, 1, 2].map((c) => [0, 1, 2, 3].reduce((s, i) => s + (values[i * 3 + c] - mean[c]) ** 2, 0) / 3);
    const runVar = Array.from(await p.state.get('bn.var')!.data());
    const runMean = Array.from(await p.state.get('bn.mean')!.data());
    runVar.forEach((v, c) => expect(v).toBeCloseTo(0.9 + 0.1 * unbiased[c], 4));
    runMean.forEach((v, c) => expect(v).toBeCloseTo(0.1 * mean[c], 5));
    p.dispose();
    x.dispose();
  });
});
