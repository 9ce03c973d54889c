/**
 * The two numbers a MIM teacher is shipped with, measured the same way by the training script
 * and by the test that re-checks the shipped weights: masked-patch reconstruction loss on the
 * test set (fixed mask seed) and linear-probe accuracy of the pooled embeddings.
 */
import * as tf from '@tensorflow/tfjs';
import type { TestSource, TrainSource } from '../loop/sources';
import type { MimTeacher } from './mimTeacher';
import { reconstructionLoss } from './mim';
import { linearProbe, PROBE_DEFAULTS, type Features } from './probe';
import type { Vit } from './vit';

const CHUNK = 500;
/** The probe trains on a class-balanced subset of the train split (embedding 60k images is minutes on wasm). */
export const PROBE_TRAIN_SUBSET = 5000;
export const RECON_SEED = 1;
export const RECON_MASK_RATIO = 0.75;

/** Batches of up to CHUNK rows from a row getter over `count` rows. */
function* chunks(count: number, rows: (start: number, size: number) => { x: Float32Array; y: Int32Array }) {
  for (let start = 0; start < count; start += CHUNK) {
    const b = rows(start, Math.min(CHUNK, count - start));
    yield { x: b.x, y: b.y, n: b.y.length };
  }
}

const trainRows = (train: TrainSource) => (start: number, size: number) =>
  train.batchOf(Array.from({ length: size }, (_, k) => train.indices[start + k]));

/** Pooled embeddings [M, D] and labels of a set of images. */
async function pooledFeatures(vit: Vit, batches: Iterable<{ x: Float32Array; y: Int32Array; n: number }>): Promise<Features> {
  const xs: Float32Array[] = [];
  const ys: Int32Array[] = [];
  const { inputSize: s, inChannels: c } = vit.options;
  for (const b of batches) {
    const pooled = tf.tidy(() => vit.encode(tf.tensor4d(b.x, [b.n, s, s, c])).pooled);
    xs.push((await pooled.data()) as Float32Array);
    ys.push(b.y);
    pooled.dispose();
  }
  const concat = <T extends Float32Array | Int32Array>(parts: T[], make: (n: number) => T): T => {
    const out = make(parts.reduce((a, p) => a + p.length, 0));
    let off = 0;
    for (const p of parts) {
      out.set(p, off);
      off += p.length;
    }
    return out;
  };
  return { x: concat(xs, (n) => new Float32Array(n)), y: concat(ys, (n) => new Int32Array(n)) };
}

/** `probeTrain`: the PROBE_TRAIN_SUBSET train images; `test`: the full test split; `classes`: the dataset's. */
export async function measureMimTeacher(t: MimTeacher, data: { probeTrain: TrainSource; test: TestSource; classes: number }): Promise<{ reconLoss: number; probeAcc: number }> {
  const testRows = (start: number, size: number) => data.test.batch(start, size);
  const reconLoss = await reconstructionLoss(t.vit, t.decoder, chunks(data.test.count, testRows), RECON_MASK_RATIO, RECON_SEED);
  const train = await pooledFeatures(t.vit, chunks(data.probeTrain.indices.length, trainRows(data.probeTrain)));
  const test = await pooledFeatures(t.vit, chunks(data.test.count, testRows));
  const probeAcc = await linearProbe(train, test, t.vit.options.dim, { ...PROBE_DEFAULTS, classes: data.classes });
  return { reconLoss, probeAcc };
}
