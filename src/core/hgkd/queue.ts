/**
 * FIFO memory queue of teacher embeddings (H-GKD's similarity-distribution loss). Entries are
 * kept newest first on the device; a full queue drops its oldest. The trainer enqueues the
 * batch's teacher embeddings BEFORE computing similarities, as the paper prescribes, so every
 * sample's own teacher embedding is among the entries it is compared with.
 */
import * as tf from '@tensorflow/tfjs';

export class EmbeddingQueue {
  private entries: tf.Tensor2D | null = null; // [fill, D], newest first

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`queue size must be a whole number ≥ 1, got ${capacity}`);
  }

  get fill(): number {
    return this.entries?.shape[0] ?? 0;
  }

  /** Adds embeddings [N, D] (row 0 counted oldest of the batch); does not take ownership of `e`. */
  enqueue(e: tf.Tensor2D): void {
    const next = tf.tidy(() => {
      const rows = tf.reverse(e, 0); // the batch's last row becomes the newest
      const all = this.entries ? tf.concat([rows, this.entries]) : rows;
      return all.shape[0] > this.capacity ? all.slice([0, 0], [this.capacity, -1]) : all.clone();
    }) as tf.Tensor2D;
    this.entries?.dispose();
    this.entries = next;
  }

  /** The entries [fill, D], newest first (owned by the queue: do not dispose). */
  view(): tf.Tensor2D {
    if (!this.entries) throw new Error('the queue is empty: enqueue the teacher embeddings first');
    return this.entries;
  }

  dispose(): void {
    this.entries?.dispose();
    this.entries = null;
  }
}
