/** Top-1 accuracy over a test source, in batches: every trainer's evaluation (CNNs, H-GKD's backbone + head). */
import * as tf from '@tensorflow/tfjs';
import type { TestSource } from './sources';

const EVAL_BATCH = 500;

/** Top-1 accuracy of `logitsOf` (x [B, H, W, C] → [B, K], inference mode) over the first `limit` test images. */
export async function evaluateClassifier(logitsOf: (x: tf.Tensor4D) => tf.Tensor2D, imageShape: [number, number, number], test: TestSource, limit = test.count): Promise<number> {
  const n = Math.min(limit, test.count);
  let correct = 0;
  for (let start = 0; start < n; start += EVAL_BATCH) {
    const b = test.batch(start, Math.min(EVAL_BATCH, n - start));
    const hits = tf.tidy(() => {
      const logits = logitsOf(tf.tensor4d(b.x, [b.y.length, ...imageShape]));
      return tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), tf.tensor1d(b.y, 'int32')), 'int32'));
    });
    correct += (await hits.data())[0];
    hits.dispose();
  }
  return correct / n;
}
