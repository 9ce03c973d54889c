/** Test data and comparisons for the kernel tests. */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { TOL, relErr } from '../../src/bench/parityMath';

export { TOL, bernoulli, relErr, rng, uniform, valueAndGrads } from '../../src/bench/parityMath';

/** Asserts every pair of tensors agrees within TOL (relative to the reference's magnitude). */
export async function expectClose(label: string, got: tf.Tensor[], want: tf.Tensor[]): Promise<void> {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++) {
    expect(got[i].shape, `${label} #${i} shape`).toEqual(want[i].shape);
    const err = relErr(await got[i].data(), await want[i].data());
    expect(err, `${label} #${i}: relative error ${err.toExponential(2)}`).toBeLessThanOrEqual(TOL);
  }
}

/** Indices where the 0/1 array is 0. */
export function zerosOf(mask: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i] === 0) out.push(i);
  return out;
}
