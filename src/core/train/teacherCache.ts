/**
 * Teacher outputs per training image. Without augmentation the frozen teacher gives the same
 * output for an image every epoch, so when the train subset is small enough its hooked features
 * and logits are kept in memory: each is computed by the teacher pass of the first batch that
 * holds its image (filled as the first epoch goes, so Train reaches its first step without a
 * pass over the whole subset first) and read back from then on, a student pass only.
 * Above the memory budget the teacher runs on every batch. For a method that reads the stages
 * before their last ReLU (OFD) the cache holds those instead, and the features are their ReLU.
 */
import * as tf from '@tensorflow/tfjs';
import type { Net } from '../models/net';

export interface TeacherBatch {
  logits: tf.Tensor2D; // [B, K]
  features: tf.Tensor4D[]; // per hooked stage [B, H, W, Ct]
  preRelu: tf.Tensor4D[] | null; // the same stages before their last ReLU, when asked for [B, H, W, Ct]
  pooled: tf.Tensor2D; // penultimate [B, Ct_last]
}

export const TEACHER_CACHE_BUDGET_BYTES = 256 * 1024 * 1024;

export class TeacherOutputs {
  /** rows: image index → its row; filled[row]: whether the row holds the teacher's outputs yet. */
  private cache: { rows: Map<number, number>; filled: Uint8Array; logits: Float32Array; features: Float32Array[]; pooled: Float32Array } | null = null;

  constructor(
    private readonly teacher: Net,
    private readonly stages: number[],
    private readonly withPreRelu = false,
  ) {}

  private get featureSizes(): number[] {
    return this.stages.map((s) => this.teacher.stageShapes[s].reduce((a, b) => a * b, 1));
  }

  private get classes(): number {
    return this.teacher.options.classes;
  }

  private get pooledWidth(): number {
    return this.teacher.pooledWidth;
  }

  /** Floats one image's cached outputs take. */
  floatsPerImage(): number {
    return this.classes + this.pooledWidth + this.featureSizes.reduce((a, b) => a + b, 0);
  }

  /** Keeps outputs for `indices` as their batches come, when they fit the budget; returns whether it will. */
  prepare(indices: ArrayLike<number>): boolean {
    const n = indices.length;
    if (n * this.floatsPerImage() * 4 > TEACHER_CACHE_BUDGET_BYTES) return false;
    const rows = new Map<number, number>();
    for (let k = 0; k < n; k++) rows.set(indices[k], k);
    this.cache = {
      rows,
      filled: new Uint8Array(n),
      logits: new Float32Array(n * this.classes),
      features: this.featureSizes.map((f) => new Float32Array(n * f)),
      pooled: new Float32Array(n * this.pooledWidth),
    };
    return true;
  }

  /** Fills every row now, in passes of `batchSize` (benchmarks time cached steps from the first one). */
  async fillAll(images: (idx: ArrayLike<number>) => Float32Array, batchSize = 256): Promise<void> {
    const cache = this.cache;
    if (!cache) return;
    const indices = [...cache.rows.keys()];
    const [h, w, c] = [this.teacher.options.inputSize, this.teacher.options.inputSize, this.teacher.options.inChannels];
    for (let start = 0; start < indices.length; start += batchSize) {
      const idx = indices.slice(start, start + batchSize);
      const out = this.run(tf.tensor4d(images(idx), [idx.length, h, w, c]));
      await this.keep(idx.map((i) => cache.rows.get(i)!), out);
      disposeTeacherBatch(out);
    }
  }

  /** Copies a teacher pass's outputs (image k of the batch) into cache row rows[k]. */
  private async keep(rows: number[], out: TeacherBatch): Promise<void> {
    const cache = this.cache!;
    const kept = out.preRelu ?? out.features;
    const [logits, pooled, ...features] = await Promise.all([out.logits.data(), out.pooled.data(), ...kept.map((f) => f.data())]);
    rows.forEach((r, k) => {
      cache.logits.set(logits.subarray(k * this.classes, (k + 1) * this.classes), r * this.classes);
      cache.pooled.set(pooled.subarray(k * this.pooledWidth, (k + 1) * this.pooledWidth), r * this.pooledWidth);
      this.featureSizes.forEach((size, s) => cache.features[s].set(features[s].subarray(k * size, (k + 1) * size), r * size));
      cache.filled[r] = 1;
    });
  }

  get cached(): boolean {
    return this.cache !== null;
  }

  /** Inference-mode teacher pass, no gradient. x is disposed. */
  run(x: tf.Tensor4D): TeacherBatch {
    const kept = tf.tidy(() => {
      const out = this.teacher.apply(x, false);
      x.dispose();
      const preRelu = this.withPreRelu ? this.stages.map((s) => out.preRelu[s]) : [];
      return { logits: out.logits, features: this.stages.map((s) => out.features[s]), preRelu, pooled: out.pooled };
    });
    return { ...kept, preRelu: this.withPreRelu ? kept.preRelu : null };
  }

  /**
   * Outputs for a batch: from the cache when every image's row is filled, else by a teacher pass
   * on x whose outputs then fill the rows of the batch's images. x is not disposed.
   */
  async forBatch(indices: ArrayLike<number>, x: tf.Tensor4D): Promise<TeacherBatch> {
    const cache = this.cache;
    const rows = cache ? Array.from(indices, (i) => cache.rows.get(i)) : [];
    if (!cache || rows.some((r) => r === undefined)) return this.run(x.clone());
    if (rows.some((r) => !cache.filled[r!])) {
      const out = this.run(x.clone());
      await this.keep(rows as number[], out);
      return out;
    }
    const b = rows.length;
    const gather = (src: Float32Array, size: number) => {
      const out = new Float32Array(b * size);
      rows.forEach((r, k) => out.set(src.subarray(r! * size, (r! + 1) * size), k * size));
      return out;
    };
    const kept = this.stages.map((s, k) => {
      const [hh, ww, cc] = this.teacher.stageShapes[s];
      return tf.tensor4d(gather(cache.features[k], this.featureSizes[k]), [b, hh, ww, cc]);
    });
    return {
      logits: tf.tensor2d(gather(cache.logits, this.classes), [b, this.classes]),
      pooled: tf.tensor2d(gather(cache.pooled, this.pooledWidth), [b, this.pooledWidth]),
      features: this.withPreRelu ? kept.map((f) => tf.relu(f)) : kept,
      preRelu: this.withPreRelu ? kept : null,
    };
  }
}

/** Releases every tensor of a teacher batch. */
export function disposeTeacherBatch(t: TeacherBatch): void {
  tf.dispose([t.logits, t.pooled, ...t.features, ...(t.preRelu ?? [])]);
}
