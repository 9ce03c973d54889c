/**
 * What H-GKD's student sees of one test image, as plain arrays for the playground's mask view
 * and queue inspector: the image, its patch mask and the masked image, the student encoder's
 * feature at every scale with that scale's active mask, and the last step's similarity
 * distributions over the memory queue (teacher vs student, first sample of the batch).
 *
 * With sparse conv on, the features are exactly zero wherever the scale's mask is 0: the
 * holes survive every layer. With sparse off (dense conv on the masked image), the holes fill
 * in layer by layer — the paper's Fig. 3 point, visible side by side.
 *
 * The mask comes from its own seeded stream, drawn afresh per snapshot (the training masks'
 * stream is never advanced), so successive snapshots of a run share it; features are taken in
 * inference mode (running BN statistics, nothing updated). One GPU→CPU read.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random';
import { spatialAttention } from '../distill/featureSnapshot';
import type { TestSource } from '../loop/sources';
import type { HgkdTrainer } from './hgkdTrainer';
import { drawVisible, patchImageMask, scaleMasks } from './patchMask';

export interface HgkdScaleMap {
  scale: number; // 0 = input resolution, each next halves it
  shape: [number, number, number]; // [H, W, C]
  values: Float32Array; // [H, W, C] row-major: the student encoder's stage output
  attention: Float32Array; // [H, W]: mean over C of |values|
  active: Float32Array; // [H, W]: the mask at this scale (1 = visible)
}

export interface HgkdSnapshot {
  index: number; // test-set index of the image
  label: number;
  sparse: boolean; // whether the features were computed sparsely
  maskRatio: number;
  size: number; // image side
  image: Float32Array; // [H, W] first channel of the (normalised) input
  mask: Float32Array; // [H, W] the patch mask, 1 = visible
  masked: Float32Array; // [H, W] image ⊙ mask: what the student gets
  scales: HgkdScaleMap[]; // one per encoder stage
  queue: HgkdQueueView;
}

/** The memory queue as the inspector shows it: fill level and the last step's distributions (length = fill). */
export interface HgkdQueueView {
  fill: number;
  capacity: number;
  teacher: Float32Array | null; // [fill] null before the first step
  student: Float32Array | null; // [fill]
}

/** Stream of the snapshot's patch mask (random.ts: streams are per purpose). */
const SNAPSHOT_STREAM = 0x49a5c3;

/** The snapshot of test image `index` at the trainer's current weights. */
export async function hgkdSnapshot(trainer: HgkdTrainer, test: TestSource, index: number): Promise<HgkdSnapshot> {
  if (!Number.isInteger(index) || index < 0 || index >= test.count) {
    throw new RangeError(`test image ${index} does not exist: the test set has images 0…${test.count - 1}`);
  }
  const { settings, teacher, encoder } = trainer;
  const { inputSize: size, inChannels, patch } = teacher.options;
  const g = teacher.grid;
  const image = test.batch(index, 1);
  const visible = drawVisible(1, g * g, settings.maskRatio, Rng.derive(settings.seed, SNAPSHOT_STREAM));

  const { flat, shapes } = tf.tidy(() => {
    const x = tf.tensor4d(image.x, [1, size, size, inChannels]); // [1, S, S, Cin]
    const masks = scaleMasks(patchImageMask(visible, 1, g, patch), encoder.scales); // [1, S/2^s, S/2^s, 1] each
    const features = trainer.studentFeatures({ x, masks }, false); // [1, H_s, W_s, C_s] each
    const first = x.slice([0, 0, 0, 0], [1, size, size, 1]); // [1, S, S, 1]
    const parts: tf.Tensor[] = [first, masks[0], tf.mul(first, masks[0]), ...masks, ...features];
    return {
      flat: tf.concat(parts.map((p) => tf.reshape(p, [-1]))),
      shapes: features.map((f) => [f.shape[1], f.shape[2], f.shape[3]] as [number, number, number]),
    };
  });
  const all = (await flat.data()) as Float32Array;
  flat.dispose();

  let offset = 0;
  const take = (n: number) => all.slice(offset, (offset += n)); // a buffer of its own: transferable
  const pixels = size * size;
  const [img, mask, masked] = [take(pixels), take(pixels), take(pixels)];
  const actives = shapes.map(([h, w]) => take(h * w));
  const scales = shapes.map((shape, scale): HgkdScaleMap => {
    const values = take(shape[0] * shape[1] * shape[2]);
    return { scale, shape, values, attention: spatialAttention(values, shape), active: actives[scale] };
  });
  const sim = trainer.lastSimilarity;
  return {
    index,
    label: image.y[0],
    sparse: settings.sparse,
    maskRatio: settings.maskRatio,
    size,
    image: img,
    mask,
    masked,
    scales,
    queue: {
      fill: trainer.queue.fill,
      capacity: trainer.queue.capacity,
      teacher: sim ? sim.teacher.slice() : null, // copies: the trainer keeps its own
      student: sim ? sim.student.slice() : null,
    },
  };
}

/** The ArrayBuffers of a snapshot, for postMessage's transfer list. */
export function hgkdSnapshotBuffers(s: HgkdSnapshot): ArrayBuffer[] {
  const arrays = [s.image, s.mask, s.masked, ...s.scales.flatMap((m) => [m.values, m.attention, m.active]), s.queue.teacher, s.queue.student];
  return arrays.filter((a): a is Float32Array => a !== null).map((a) => a.buffer as ArrayBuffer);
}
