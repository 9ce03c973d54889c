/** Adapts a loaded dataset to what the trainer consumes: a seeded train sampler and the fixed test set. */
import type { Dataset } from '../data/loader';
import type { TestSource, TrainSource } from '../loop/sources';

export function trainerSources(ds: Dataset, subset: number, seed: number): { train: TrainSource; test: TestSource; background: number } {
  const sampler = ds.train.sampler({ seed, subset });
  const train: TrainSource = {
    indices: sampler.indices,
    nextBatch: (size) => sampler.nextBatch(size),
    batchOf: (indices) => ds.train.gather(Int32Array.from(indices)),
  };
  const test: TestSource = {
    count: ds.test.count,
    batch: (start, size) => ds.test.gather(Int32Array.from({ length: Math.min(size, ds.test.count - start) }, (_, k) => start + k)),
  };
  // Normalised value of a black pixel, used to fill borders of shifted images.
  return { train, test, background: -ds.info.mean / ds.info.std };
}
