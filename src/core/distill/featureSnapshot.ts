/**
 * What distillation does to one test image, as plain arrays for the feature-map panel: the
 * input, the teacher's feature T, the student's aligned feature align(S), a random mask M, the
 * masked feature align(S) ⊙ M and, for MGD methods, the generator's output G(align(S) ⊙ M) and
 * |G(…) − T| — each [H, W, C] row-major with its spatial attention map (mean |value| over
 * channels, MGD paper Fig. 1). Features are those of the first hooked stage, in inference mode.
 *
 * The mask is drawn from its own seeded stream (not the training masks' stream, which it must
 * not advance) and afresh for every snapshot, so successive snapshots of a run share it: what
 * changes between them is the networks, not the mask. Everything is read in one GPU→CPU read.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random';
import type { Net } from '../models/net';
import type { TestSource } from '../loop/sources';
import type { DistillSettings, Distiller } from './distiller';
import { drawMask } from '../methods/mgd/masks';

/** What a snapshot reads of a run (the train/ Trainer is one): its nets, distiller and settings. */
export interface SnapshotSource {
  settings: Pick<DistillSettings, 'method' | 'mask' | 'lambda'> & { stages: readonly number[]; seed: number };
  student: Net;
  teacher: Net;
  distiller: Distiller;
}

export type FeatureKind = 'input' | 'teacher' | 'student' | 'mask' | 'masked' | 'generated' | 'error';

export interface FeatureMapData {
  kind: FeatureKind;
  shape: [number, number, number]; // [H, W, C]
  values: Float32Array; // [H, W, C] row-major
  attention: Float32Array; // [H, W]: mean over C of |values|
}

export interface FeatureSnapshot {
  index: number; // test-set index of the image
  label: number; // its class
  stage: number; // 1-based backbone stage the features come from
  maps: FeatureMapData[]; // in FeatureKind order; generated and error only for MGD methods
}

/** Stream of the snapshot's mask (random.ts: streams are per purpose). */
const SNAPSHOT_STREAM = 0x5a9507;

/** Mean |v| over the last axis of a [H, W, C] array: [H, W]. */
export function spatialAttention(values: Float32Array, [h, w, c]: readonly [number, number, number]): Float32Array {
  const out = new Float32Array(h * w);
  for (let p = 0; p < h * w; p++) {
    let sum = 0;
    for (let k = 0; k < c; k++) sum += Math.abs(values[p * c + k]);
    out[p] = sum / c;
  }
  return out;
}

/** The snapshot for test image `index` at the trainer's current weights and settings (α, λ, mask kind). */
export async function featureSnapshot(trainer: SnapshotSource, test: TestSource, index: number): Promise<FeatureSnapshot> {
  if (!Number.isInteger(index) || index < 0 || index >= test.count) {
    throw new RangeError(`test image ${index} does not exist: the test set has images 0…${test.count - 1}`);
  }
  const { settings, student, teacher, distiller } = trainer;
  const stage = settings.stages[0];
  const { inputSize: size, inChannels } = student.options;
  const [h, w, ct] = teacher.stageShapes[stage];
  const image = test.batch(index, 1);
  const mask = drawMask(Rng.derive(settings.seed, SNAPSHOT_STREAM), settings.mask, 1, h, w, ct, settings.lambda);
  const mgd = distiller.generates;

  const kinds: FeatureKind[] = ['input', 'teacher', 'student', 'mask', 'masked', ...(mgd ? (['generated', 'error'] as const) : [])];
  const shapes: [number, number, number][] = [[size, size, inChannels], [h, w, ct], [h, w, ct], [mask.shape[1], mask.shape[2], mask.shape[3]], [h, w, ct]];
  if (mgd) shapes.push([h, w, ct], [h, w, ct]);

  const flat = tf.tidy(() => {
    const x = tf.tensor4d(image.x, [1, size, size, inChannels]); // [1, S, S, Cin]
    const t = teacher.apply(x, false).features[stage]; // [1, H, W, Ct]
    const aligned = distiller.align(0, student.apply(x, false).features[stage]); // [1, H, W, Ct]
    const m = tf.tensor4d(mask.values, mask.shape); // [1, H, W, 1] or [1, 1, 1, Ct]
    const parts: tf.Tensor[] = [x, t, aligned, m, tf.mul(aligned, m)];
    if (mgd) {
      const generated = distiller.generate(0, aligned, m); // [1, H, W, Ct]
      parts.push(generated, tf.abs(tf.sub(generated, t)));
    }
    return tf.concat(parts.map((p) => tf.reshape(p, [-1])));
  });
  const all = (await flat.data()) as Float32Array;
  flat.dispose();

  let offset = 0;
  const maps = kinds.map((kind, i): FeatureMapData => {
    const shape = shapes[i];
    const n = shape[0] * shape[1] * shape[2];
    const values = all.slice(offset, offset + n); // a buffer of its own: each map can be transferred
    offset += n;
    return { kind, shape, values, attention: spatialAttention(values, shape) };
  });
  return { index, label: image.y[0], stage: stage + 1, maps };
}

/** The ArrayBuffers of a snapshot, for postMessage's transfer list. */
export function snapshotBuffers(s: FeatureSnapshot): ArrayBuffer[] {
  return s.maps.flatMap((m) => [m.values.buffer as ArrayBuffer, m.attention.buffer as ArrayBuffer]);
}
