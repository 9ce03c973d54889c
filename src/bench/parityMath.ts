/**
 * Parity-check building blocks without vitest: seeded data, Σ y·r gradients, the relative error.
 * Shared by the browser parity page (./parity.ts) and the Node kernel and op tests
 * (tests/kernels/helpers.ts, tests/gradKernels.test.ts, tests/batchNorm.test.ts), so both check
 * the kernels the same way. Here rather than under tests/: pages and benches import nothing
 * from tests/.
 */
import * as tf from '@tensorflow/tfjs';

/** max |a − b| / max(max |b|, floor): the error relative to the reference's magnitude. */
export function relErrFloor(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-12): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} ≠ ${b.length}`);
  let diff = 0;
  let mag = floor;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    mag = Math.max(mag, Math.abs(b[i]));
  }
  return diff / mag;
}

/** mulberry32: deterministic test data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function uniform(rand: () => number, shape: number[]): Float32Array {
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < out.length; i++) out[i] = rand() * 2 - 1;
  return out;
}

/** 0/1 values, each 1 with probability `keep` (keep 0 / 1: none / all). */
export function bernoulli(rand: () => number, shape: number[], keep: number): Float32Array {
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < out.length; i++) out[i] = rand() < keep ? 1 : 0;
  return out;
}

/** The kernels' parity error, with a 1e-6 magnitude floor. */
export const relErr = (a: ArrayLike<number>, b: ArrayLike<number>): number => relErrFloor(a, b, 1e-6);

export const TOL = 1e-4;

/** Value and gradients of Σ y·r (r a fixed random weight, so every output element matters). */
export function valueAndGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], r: tf.Tensor): { y: tf.Tensor; grads: tf.Tensor[] } {
  const y = f(...inputs);
  const grads = tf.grads((...xs: tf.Tensor[]) => f(...xs).mul(r).sum())(inputs);
  return { y, grads };
}

/** The shader keys tfjs has compiled pipelines for (proof that our WGSL ran, not the reference). */
export function compiledKeys(): string[] {
  const backend = tf.backend() as unknown as { pipelineCache?: Record<string, unknown> }; // private in WebGPUBackend
  return Object.keys(backend.pipelineCache ?? {});
}
