/**
 * Teacher outputs per training image. Without augmentation the frozen teacher gives the same
 * output for an image every epoch, so when the train subset is small enough its hooked features
 * and logits are computed once and kept in memory; each step then costs a student pass only.
 * Above the memory budget the teacher runs on every batch.
 */
import * as tf from '@tensorflow/tfjs';
import type { Net } from '../models/net';

export interface TeacherBatch {
  logits: tf.Tensor2D; // [B, K]
  features: tf.Tensor4D[]; // per hooked stage [B, H, W, Ct]
  pooled: tf.Tensor2D; // penultimate [B, Ct_last]
}

export const TEACHER_CACHE_BUDGET_BYTES = 256 * 1024 * 1024;

export class TeacherOutputs {
  private cache: { rows: Map<number, number>; logits: Float32Array; features: Float32Array[]; pooled: Float32Array } | null = null;

  constructor(
    private readonly teacher: Net,
    private readonly stages: number[],
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

  /** Precomputes outputs for `indices` when they fit the budget; returns whether it cached. */
  async precompute(indices: ArrayLike<number>, images: (idx: ArrayLike<number>) => Float32Array, batchSize = 256): Promise<boolean> {
    if (indices.length * this.floatsPerImage() * 4 > TEACHER_CACHE_BUDGET_BYTES) return false;
    const n = indices.length;
    const rows = new Map<number, number>();
    const logits = new Float32Array(n * this.classes);
    const features = this.featureSizes.map((f) => new Float32Array(n * f));
    const pooled = new Float32Array(n * this.pooledWidth);
    const [h, w, c] = [this.teacher.options.inputSize, this.teacher.options.inputSize, this.teacher.options.inChannels];
    for (let start = 0; start < n; start += batchSize) {
      const idx = Array.from({ length: Math.min(batchSize, n - start) }, (_, k) => indices[start + k]);
      idx.forEach((d, k) => rows.set(d, start + k));
      const out = this.run(tf.tensor4d(images(idx), [idx.length, h, w, c]));
      logits.set(await out.logits.data(), start * this.classes);
      for (let s = 0; s < features.length; s++) features[s].set(await out.features[s].data(), start * this.featureSizes[s]);
      pooled.set(await out.pooled.data(), start * this.pooledWidth);
      tf.dispose([out.logits, out.pooled, ...out.features]);
    }
    this.cache = { rows, logits, features, pooled };
    return true;
  }

  get cached(): boolean {
    return this.cache !== null;
  }

  /** Inference-mode teacher pass, no gradient. x is disposed. */
  run(x: tf.Tensor4D): TeacherBatch {
    return tf.tidy(() => {
      const out = this.teacher.apply(x, false);
      x.dispose();
      return { logits: out.logits, features: this.stages.map((s) => out.features[s]), pooled: out.pooled };
    });
  }

  /** Outputs for a batch: from the cache when every index is in it, else by a teacher pass on x. */
  forBatch(indices: ArrayLike<number>, x: tf.Tensor4D): TeacherBatch {
    const cache = this.cache;
    const rows = cache ? Array.from(indices, (i) => cache.rows.get(i)) : [];
    if (!cache || rows.some((r) => r === undefined)) return this.run(x.clone());
    const b = rows.length;
    const gather = (src: Float32Array, size: number) => {
      const out = new Float32Array(b * size);
      rows.forEach((r, k) => out.set(src.subarray(r! * size, (r! + 1) * size), k * size));
      return out;
    };
    return {
      logits: tf.tensor2d(gather(cache.logits, this.classes), [b, this.classes]),
      pooled: tf.tensor2d(gather(cache.pooled, this.pooledWidth), [b, this.pooledWidth]),
      features: this.stages.map((s, k) => {
        const [hh, ww, cc] = this.teacher.stageShapes[s];
        return tf.tensor4d(gather(cache.features[k], this.featureSizes[k]), [b, hh, ww, cc]);
      }),
    };
  }
}
