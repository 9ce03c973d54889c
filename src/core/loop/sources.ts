/**
 * Where a run's images come from: a training source (seeded batches of the (sub)set trained on)
 * and a test source (fixed batches in order). The loop, the trainers and the evaluations read
 * only these; src/core/train/sources.ts makes them from a dataset.
 */
import type { DatasetInfo } from '../data/datasets';

export interface Batch {
  x: Float32Array; // [B, H, W, C] normalised
  y: Int32Array; // [B]
  indices: ArrayLike<number>; // dataset indices of the batch rows
}

export interface TrainSource {
  /** Dataset indices of the (sub)set being trained on. */
  readonly indices: ArrayLike<number>;
  nextBatch(size: number): Batch;
  /** The rows for given dataset indices, in that order. */
  batchOf(indices: ArrayLike<number>): Batch;
}

export interface TestSource {
  readonly count: number;
  batch(start: number, size: number): Batch;
}

/** A run's data: its sources and the dataset they come from, whose description sizes every net (side, channels, classes). */
export interface RunData {
  train: TrainSource;
  test: TestSource;
  info: DatasetInfo;
  background: readonly number[]; // per channel, the normalised value of a black pixel (fills the borders of shifted images)
}
