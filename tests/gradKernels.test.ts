/**
 * The conv-gradient kernels (src/core/kernels/gradients) against the stock tfjs cpu kernels, saved
 * before ours replace them; a whole small-CNN training step on wasm against stock cpu; and
 * a leak check over many gradient steps.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAD_KERNEL_NAMES, gradKernelConfig, isOurKernel, type GradKernelName } from '../src/core/kernels/gradients/convGradKernels';
import { registerTrainingKernels, stockKernel, TRAINING_KERNELS } from '../src/core/kernels/gradients/registerTrainingKernels';
import { initNodeBackend } from '../src/node/backend';
import { relErrFloor, rng, uniform as randomData } from '../src/bench/parityMath';

// Saved at import, before anything registers ours.
const STOCK_CPU = new Map(GRAD_KERNEL_NAMES.map((name) => [name, tf.getKernel(name, 'cpu')]));

const BACKENDS = ['cpu', 'wasm'] as const;
type Backend = (typeof BACKENDS)[number];

type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;

interface ConvCase {
  depthwise: boolean;
  x: [number, number, number, number]; // [N, H, W, C]
  filter: [number, number, number, number]; // [KH, KW, Ci, Co] or [KH, KW, C, 1]
  strides: [number, number];
  pad: Pad;
}

function outShape(c: ConvCase): number[] {
  const info = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, c.pad, undefined, c.depthwise);
  return info.outShape;
}

/** Hand-picked edge cases plus seeded random ones over strides, pads, sizes, channels, kernels. */
function convCases(): ConvCase[] {
  const cases: ConvCase[] = [
    { depthwise: false, x: [2, 9, 7, 3], filter: [3, 3, 3, 8], strides: [2, 2], pad: 'same' }, // asymmetric 'same'
    { depthwise: false, x: [1, 8, 8, 8], filter: [1, 1, 8, 16], strides: [2, 2], pad: 'same' }, // 1×1 shortcut
    { depthwise: false, x: [2, 10, 9, 3], filter: [5, 5, 3, 1], strides: [2, 2], pad: 'valid' }, // unread rows
    { depthwise: false, x: [2, 8, 9, 3], filter: [3, 3, 3, 5], strides: [2, 1], pad: [[0, 0], [2, 1], [0, 2], [0, 0]] },
    { depthwise: false, x: [2, 7, 8, 3], filter: [3, 3, 3, 4], strides: [2, 2], pad: 1 }, // numeric pad
    { depthwise: false, x: [1, 7, 7, 8], filter: [3, 3, 8, 8], strides: [1, 1], pad: 'same' }, // residual-block conv
    { depthwise: true, x: [2, 7, 8, 16], filter: [3, 3, 16, 1], strides: [1, 1], pad: 'same' },
    { depthwise: true, x: [2, 9, 9, 8], filter: [3, 3, 8, 1], strides: [2, 2], pad: 'same' },
    { depthwise: true, x: [1, 8, 8, 16], filter: [5, 5, 16, 1], strides: [2, 2], pad: 'valid' },
  ];
  const rand = rng(7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  for (let i = 0; i < 30; i++) {
    const depthwise = i % 3 === 2;
    const k = pick([1, 3, 5] as const);
    const s = pick([1, 2] as const);
    const ci = pick([1, 3, 8, 16] as const);
    const co = depthwise ? 1 : pick([1, 3, 8, 16] as const);
    const h = k + Math.floor(rand() * 8);
    const w = k + Math.floor(rand() * 8);
    const kind = pick(['same', 'valid', 'explicit'] as const);
    const p = () => Math.floor(rand() * k);
    const pad: Pad = kind === 'explicit' ? [[0, 0], [p(), p()], [p(), p()], [0, 0]] : kind;
    cases.push({ depthwise, x: [pick([1, 2, 3]), h, w, ci], filter: [k, k, ci, co], strides: [s, s], pad });
  }
  return cases;
}

function describeCase(c: ConvCase): string {
  return `${c.depthwise ? 'dw ' : ''}x${c.x.join('×')} f${c.filter.join('×')} s${c.strides.join(',')} ${JSON.stringify(c.pad)}`;
}

/** Runs a kernel function directly on `backendName`, reads its single output, checks it freed its intermediates. */
async function runKernel(
  config: tf.KernelConfig,
  backendName: Backend,
  inputs: Record<string, { data: Float32Array; shape: number[] }>,
  attrs: tf.NamedAttrMap,
): Promise<{ shape: number[]; values: Float32Array }> {
  await tf.setBackend(backendName);
  const backend = tf.backend();
  const tensors = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, tf.tensor(v.data, v.shape)]));
  const dataIdsBefore = backend.numDataIds();
  const out = config.kernelFunc({ inputs: tensors, backend, attrs }) as tf.TensorInfo;
  expect(backend.numDataIds(), 'only the output is left').toBe(dataIdsBefore + 1);
  const values = backend.readSync(out.dataId) as Float32Array;
  backend.disposeData(out.dataId);
  Object.values(tensors).forEach((t) => t.dispose());
  return { shape: out.shape, values: Float32Array.from(values) };
}

/** Runs `fn` with the stock cpu kernels in place of ours, then puts ours back. */
async function withStockCpu<T>(fn: () => Promise<T>): Promise<T> {
  for (const name of TRAINING_KERNELS.cpu) {
    tf.unregisterKernel(name, 'cpu');
    tf.registerKernel(STOCK_CPU.get(name)!);
  }
  try {
    return await fn();
  } finally {
    registerTrainingKernels('cpu');
  }
}

beforeAll(async () => {
  await initNodeBackend('cpu');
  await initNodeBackend('wasm');
});

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('registration', () => {
  it('installs ours where chosen, keeps the stock kernels reachable, and is idempotent', () => {
    registerTrainingKernels('wasm');
    registerTrainingKernels('cpu');
    for (const backend of BACKENDS) {
      for (const name of TRAINING_KERNELS[backend]) expect(isOurKernel(tf.getKernel(name, backend))).toBe(true);
    }
    for (const name of GRAD_KERNEL_NAMES) expect(stockKernel(name, 'cpu')).toBe(STOCK_CPU.get(name));
    expect(stockKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined(); // wasm never had one
  });
});

describe('conv gradient kernels vs stock cpu', () => {
  const cases = convCases();
  it.each(cases.map((c) => [describeCase(c), c] as const))('%s', async (_name, c) => {
    const rand = rng(c.x[1] * 131 + c.filter[0] * 17 + c.x[3]);
    const x = { data: randomData(rand, c.x), shape: c.x };
    const filter = { data: randomData(rand, c.filter), shape: c.filter };
    const dyShape = outShape(c);
    const dy = { data: randomData(rand, dyShape), shape: dyShape };
    const attrs = { strides: c.strides, pad: c.pad as tf.NamedAttrMap[string], dataFormat: 'NHWC', dilations: [1, 1] };
    const prefix = c.depthwise ? 'DepthwiseConv2dNative' : 'Conv2D';
    const filterName = `${prefix}BackpropFilter` as GradKernelName;
    const inputName = `${prefix}BackpropInput` as GradKernelName;
    const filterAttrs = { ...attrs, filterShape: c.filter };
    const inputAttrs = { ...attrs, inputShape: c.x };
    const refW = await runKernel(STOCK_CPU.get(filterName)!, 'cpu', { x, dy }, filterAttrs);
    const refX = await runKernel(STOCK_CPU.get(inputName)!, 'cpu', { dy, filter }, inputAttrs);
    for (const backend of BACKENDS) {
      const dW = await runKernel(gradKernelConfig(filterName, backend), backend, { x, dy }, filterAttrs);
      const dX = await runKernel(gradKernelConfig(inputName, backend), backend, { dy, filter }, inputAttrs);
      expect(dW.shape, `${backend} dW shape`).toEqual(c.filter);
      expect(dX.shape, `${backend} dx shape`).toEqual(c.x);
      expect(relErrFloor(dW.values, refW.values), `${backend} dW`).toBeLessThan(1e-4);
      expect(relErrFloor(dX.values, refX.values), `${backend} dx`).toBeLessThan(1e-4);
    }
  });

  it('rejects depthwise channel multipliers other than 1 on wasm, falls back to stock on cpu', async () => {
    const x = { data: randomData(rng(1), [1, 5, 5, 2]), shape: [1, 5, 5, 2] };
    const dy = { data: randomData(rng(2), [1, 5, 5, 4]), shape: [1, 5, 5, 4] };
    const attrs = { strides: [1, 1], pad: 'same', dilations: [1, 1], filterShape: [3, 3, 2, 2] };
    const name = 'DepthwiseConv2dNativeBackpropFilter';
    await expect(runKernel(tf.getKernel(name, 'wasm'), 'wasm', { x, dy }, attrs)).rejects.toThrow(/channel multiplier 2/);
    const ours = await runKernel(tf.getKernel(name, 'cpu'), 'cpu', { x, dy }, attrs);
    const ref = await runKernel(STOCK_CPU.get(name)!, 'cpu', { x, dy }, attrs);
    expect(relErrFloor(ours.values, ref.values)).toBe(0);
  });
});

/** Deterministic parameters of the coverage CNN. */
function cnnParams(): Record<string, { data: Float32Array; shape: number[] }> {
  const rand = rng(42);
  const shapes: Record<string, number[]> = {
    w1: [3, 3, 3, 8], // conv 3×3 stride 1
    w2: [3, 3, 8, 16], // conv 3×3 stride 2
    dw: [3, 3, 16, 1], // depthwise 3×3
    w3: [1, 1, 16, 16], // conv 1×1
    wd: [16, 5], // dense head
    bd: [5],
  };
  return Object.fromEntries(
    Object.entries(shapes).map(([k, shape]) => [k, { data: randomData(rand, shape).map((v) => v * 0.5), shape }]),
  );
}

/**
 * A small CNN loss touching every op family training uses: conv2d (stride 1 and 2, 'same'),
 * depthwiseConv2d, relu, add/mul/sub/square, maximum/minimum, slice/split/concat, transpose,
 * reshape, mean over H,W, matMul, softmax, logSoftmax, softmaxCrossEntropy, oneHot, sum.
 */
function cnnLoss(v: Record<string, tf.Variable>, x: tf.Tensor4D, labels: tf.Tensor1D): tf.Scalar {
  const oneHot = tf.oneHot(labels, 5);
  const h1 = tf.relu(tf.conv2d(x, v.w1 as tf.Tensor4D, 1, 'same')); // [N, 9, 9, 8]
  const h2 = tf.conv2d(h1, v.w2 as tf.Tensor4D, 2, 'same'); // [N, 5, 5, 16]
  const d = tf.depthwiseConv2d(h2, v.dw as tf.Tensor4D, 1, 'same');
  let z: tf.Tensor4D = tf.add(tf.mul(d, h2), tf.sub(tf.square(d), h2));
  z = tf.maximum(tf.minimum(z, 3), -3);
  const [, hi] = tf.split(z, 2, 3);
  z = tf.concat([hi, tf.slice(z, [0, 0, 0, 0], [-1, -1, -1, 8])], 3) as tf.Tensor4D;
  z = tf.transpose(tf.transpose(z, [0, 2, 1, 3]), [0, 2, 1, 3]);
  const c = tf.relu(tf.conv2d(z, v.w3 as tf.Tensor4D, 1, 'same'));
  const pooled = tf.reshape(tf.mean(c, [1, 2]), [x.shape[0], 16]);
  const logits = tf.add(tf.matMul(pooled, v.wd as tf.Tensor2D), v.bd);
  const ce = tf.losses.softmaxCrossEntropy(oneHot, logits);
  const nll = tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1)));
  const conf = tf.mul(tf.sum(tf.square(tf.softmax(logits))), 0.01);
  return tf.addN([ce, nll, conf]) as tf.Scalar;
}

interface StepResult {
  loss: number;
  grads: Record<string, Float32Array>;
  params: Record<string, Float32Array>; // after two Adam steps
}

async function trainCnn(backendName: Backend): Promise<StepResult> {
  await tf.setBackend(backendName);
  const rand = rng(3);
  const x = tf.tensor4d(randomData(rand, [3, 9, 9, 3]), [3, 9, 9, 3]);
  const labels = tf.tensor1d([0, 2, 4], 'int32');
  const vars = Object.fromEntries(Object.entries(cnnParams()).map(([k, p]) => [k, tf.variable(tf.tensor(p.data, p.shape), true, `cnn_${k}_${backendName}`)]));
  const first = tf.variableGrads(() => cnnLoss(vars, x, labels), Object.values(vars));
  const loss = (await first.value.data())[0];
  const grads: Record<string, Float32Array> = {};
  for (const [k, v] of Object.entries(vars)) grads[k] = (await first.grads[v.name].data()) as Float32Array;
  // Large epsilon: near-zero gradient entries must not turn tiny differences into ±lr steps.
  const optimizer = tf.train.adam(0.01, 0.9, 0.999, 1e-3);
  optimizer.applyGradients(Object.entries(first.grads).map(([name, tensor]) => ({ name, tensor })));
  tf.dispose([first.value, ...Object.values(first.grads)]);
  optimizer.minimize(() => cnnLoss(vars, x, labels), false, Object.values(vars));
  const params: Record<string, Float32Array> = {};
  for (const [k, v] of Object.entries(vars)) params[k] = (await v.data()) as Float32Array;
  optimizer.dispose();
  tf.dispose([x, labels, ...Object.values(vars)]);
  return { loss, grads, params };
}

describe('a small CNN training step on wasm matches stock cpu', () => {
  it('loss, variableGrads and Adam-updated parameters agree', async () => {
    const ref = await withStockCpu(() => trainCnn('cpu'));
    for (const backend of BACKENDS) {
      const got = await trainCnn(backend);
      expect(Math.abs(got.loss - ref.loss) / Math.abs(ref.loss), `${backend} loss`).toBeLessThan(1e-5);
      for (const k of Object.keys(ref.grads)) {
        expect(relErrFloor(got.grads[k], ref.grads[k]), `${backend} grad ${k}`).toBeLessThan(1e-4);
        expect(relErrFloor(got.params[k], ref.params[k]), `${backend} param ${k}`).toBeLessThan(1e-4);
      }
    }
  });
});

describe('no leaks', () => {
  it.each(BACKENDS)('tensor and data-buffer counts stay flat over 50 gradient steps on %s', async (backendName) => {
    await tf.setBackend(backendName);
    {
      const rand = rng(5);
      const x = tf.tensor4d(randomData(rand, [2, 9, 9, 3]), [2, 9, 9, 3]);
      const labels = tf.tensor1d([1, 3], 'int32');
      const vars = Object.fromEntries(Object.entries(cnnParams()).map(([k, p]) => [k, tf.variable(tf.tensor(p.data, p.shape))]));
      const optimizer = tf.train.adam(0.01);
      const step = () => optimizer.minimize(() => cnnLoss(vars, x, labels), false, Object.values(vars));
      step(); // creates the optimizer's slots
      const before = { ...tf.memory(), dataIds: tf.backend().numDataIds() };
      for (let i = 0; i < 50; i++) step();
      const after = { ...tf.memory(), dataIds: tf.backend().numDataIds() };
      expect(after.numTensors).toBe(before.numTensors);
      expect(after.numDataBuffers).toBe(before.numDataBuffers);
      expect(after.numBytes).toBe(before.numBytes);
      expect(after.dataIds).toBe(before.dataIds);
      optimizer.dispose();
      tf.dispose([x, labels, ...Object.values(vars)]);
    }
  });
});
