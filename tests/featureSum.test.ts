/**
 * The feature losses sum ~200k float32 terms (64 × 7×7×64). On wasm a single flat tf.sum
 * accumulates them one by one in float32 and drifted ~7e-5 relative from the exact sum, more
 * than the PyTorch export's parity bar (1e-4 on the step-1 losses, tests/pytorchParity.test.ts);
 * sumSquaredPerSample reduces axis by axis instead. Checked against a float64 sum on wasm.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { sumSquaredPerSample } from '../src/core/methods/mgd/losses';
import { initNodeBackend } from '../src/node/backend';
import { Rng } from '../src/core/random';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

describe('sumSquaredPerSample on wasm', () => {
  it('matches the float64 sum over a 64×7×7×64 feature to 1e-6 relative', async () => {
    const shape: [number, number, number, number] = [64, 7, 7, 64];
    const n = shape.reduce((p, q) => p * q, 1);
    const rng = new Rng(5);
    const a = new Float32Array(n).map(() => Math.abs(rng.normal()) * 2);
    const b = new Float32Array(n).map(() => rng.normal());
    let exact = 0;
    for (let i = 0; i < n; i++) exact += (a[i] - b[i]) ** 2; // float64 of the float32 inputs
    exact /= shape[0];
    const got = tf.tidy(() => sumSquaredPerSample(tf.tensor4d(a, shape), tf.tensor4d(b, shape)));
    const value = (await got.data())[0];
    got.dispose();
    expect(Math.abs(value - exact) / exact).toBeLessThan(1e-6);
  });
});
