/** WebGPU-only test helpers. */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { compiledKeys } from '../../src/bench/parityMath';

export function expectCompiled(prefix: string): void {
  if (!compiledKeys().some((k) => k.startsWith(prefix))) throw new Error(`no pipeline compiled for ${prefix}; keys: ${compiledKeys().join(' ')}`);
}

/** Tensors and GPU bytes held now (the webgpu backend reports numBytesInGPU). */
export function held(): { tensors: number; gpuBytes: number } {
  const m = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number };
  return { tensors: m.numTensors, gpuBytes: m.numBytesInGPU ?? 0 };
}

/** Runs `step` once to warm up (pipelines, pooled buffers), then 3 more times: nothing may stay held. */
export async function expectNoLeak(step: () => tf.Tensor): Promise<void> {
  const run = async () => {
    const t = step();
    await t.data();
    t.dispose();
  };
  await run();
  const before = held();
  for (let i = 0; i < 3; i++) await run();
  expect(held()).toEqual(before);
}
