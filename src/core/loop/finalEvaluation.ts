/**
 * A phase's final test accuracy on the first `images` test images (the run's finalEvaluation),
 * in chunks with a yield and a stop check between them: the full test set takes minutes on a
 * software GPU, and a stop (or a newer start) must end it early.
 */
import type { TestSource } from './sources';

/** Test images per piece of the final evaluation (one stop check per piece). */
export const EVAL_CHUNK = 500;

export interface ChunkedEvaluation {
  /** Top-1 accuracy over all of `chunk`. */
  accuracy(chunk: TestSource): Promise<number>;
  /** Checked before each chunk; true ends the evaluation with null. */
  stopped?: () => boolean;
  /** Before each chunk (the worker answers pending exports here). */
  between?: () => Promise<void>;
  yieldToEvents?: () => Promise<void>;
  guard?: <T>(p: Promise<T>) => Promise<T>;
}

export async function evaluateInChunks(test: TestSource, images: number, o: ChunkedEvaluation): Promise<number | null> {
  const guard = o.guard ?? (<T>(p: Promise<T>) => p);
  const count = Math.min(images, test.count);
  let correct = 0;
  for (let start = 0; start < count; start += EVAL_CHUNK) {
    await o.yieldToEvents?.();
    if (o.stopped?.()) return null;
    if (o.between) await guard(o.between());
    const n = Math.min(EVAL_CHUNK, count - start);
    const chunk: TestSource = { count: n, batch: (from, size) => test.batch(start + from, Math.min(size, n - from)) };
    correct += (await guard(o.accuracy(chunk))) * n;
  }
  return correct / count;
}
