/** Adapts a loaded dataset to what the trainer consumes: a seeded train sampler and the fixed test set. */
import type { Dataset } from '../data/loader';
import type { RunData, TestSource, TrainSource } from '../loop/sources';

export function trainerSources(ds: Dataset, subset: number, seed: number): RunData {
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
  const mean = ds.info.channelMean ?? [ds.info.mean];
  const std = ds.info.channelStd ?? [ds.info.std];
  return { train, test, info: ds.info, background: mean.map((m, c) => -m / std[c]) };
}
