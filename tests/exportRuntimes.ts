/**
 * The exported formats in real runtimes, for the Vitest checks and the e2e's Node side:
 * onnxruntime-web (its wasm build, in Node) for .onnx files, tf.loadLayersModel through an
 * IOHandler that reads model.json + weights files as the http / browserFiles loaders do, and
 * the comparison of their logits with the engine's.
 */
import * as ort from 'onnxruntime-web';
import * as tf from '@tensorflow/tfjs';
import type { Net } from '../src/core/models/net';
import { nodeDataset } from '../src/node/dataSource';

/** `count` real test images: raw pixels in [0, 1] (the exports' input) and as the engine normalises them, both [N, H, W, 1]. */
export async function testImages(dataset: string, count: number): Promise<{ pixels: Float32Array; normalised: Float32Array; labels: Int32Array; count: number }> {
  const test = (await nodeDataset(dataset)).test;
  const indices = Int32Array.from({ length: count }, (_, i) => i);
  const { x, y } = test.gather(indices);
  const n = test.rows * test.cols;
  const pixels = new Float32Array(count * n);
  for (let i = 0; i < count; i++) pixels.set(Float32Array.from(test.pixels(i), (p) => p / 255), i * n);
  return { pixels, normalised: x, labels: y, count };
}

/** NHWC → NCHW (the ONNX input layout). */
export function nhwcToNchw(x: Float32Array, [n, h, w, c]: number[]): Float32Array {
  const out = new Float32Array(x.length);
  for (let b = 0; b < n; b++) for (let y = 0; y < h; y++) for (let i = 0; i < w; i++) for (let k = 0; k < c; k++) out[((b * c + k) * h + y) * w + i] = x[((b * h + y) * w + i) * c + k];
  return out;
}

/** The engine's inference logits, [N · classes]. */
export async function engineLogits(net: Net, normalised: Float32Array, count: number): Promise<Float32Array> {
  const { inputSize: s, inChannels: c } = net.options;
  const x = tf.tensor4d(normalised, [count, s, s, c]);
  const out = net.apply(x, false);
  const logits = (await out.logits.data()) as Float32Array;
  tf.dispose([x, out.logits, ...out.features]);
  return logits;
}

export async function onnxSession(bytes: Uint8Array): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes);
}

/** ONNX logits for NHWC pixels in [0, 1]; `shape` [N, H, W, C]. */
export async function onnxLogits(session: ort.InferenceSession, pixels: Float32Array, shape: [number, number, number, number]): Promise<Float32Array> {
  const [n, h, w, c] = shape;
  const input = new ort.Tensor('float32', nhwcToNchw(pixels, shape), [n, c, h, w]);
  const out = await session.run({ [session.inputNames[0]]: input });
  return out[session.outputNames[0]].data as Float32Array;
}

/** tf.loadLayersModel from a model.json and its weights files (by the paths the manifest gives). */
export function loadLayersFromFiles(modelJson: unknown, files: Record<string, Uint8Array | ArrayBuffer>): Promise<tf.LayersModel> {
  const handler: tf.io.IOHandler = {
    load: () =>
      tf.io.getModelArtifactsForJSON(modelJson as tf.io.ModelJSON, async (manifest) => {
        const buffers = manifest.flatMap((g) =>
          g.paths.map((p) => {
            const f = files[p];
            if (!f) throw new Error(`weights file ${p} missing`);
            const u = f instanceof Uint8Array ? f : new Uint8Array(f);
            return u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength) as ArrayBuffer;
          }),
        );
        return [manifest.flatMap((g) => g.weights), tf.io.concatenateArrayBuffers(buffers)];
      }),
  };
  return tf.loadLayersModel(handler);
}

export async function layersLogits(model: tf.LayersModel, pixels: Float32Array, shape: [number, number, number, number]): Promise<Float32Array> {
  const x = tf.tensor4d(pixels, shape);
  const y = model.predict(x) as tf.Tensor;
  const out = (await y.data()) as Float32Array;
  tf.dispose([x, y]);
  return out;
}

/** Worst |a − b| relative to the logit scale (max |a|), and the images whose top-1 class differs. */
export function compareLogits(reference: Float32Array, other: Float32Array, classes: number): { relErr: number; top1Differs: number[] } {
  if (reference.length !== other.length) throw new Error(`${other.length} logits, expected ${reference.length}`);
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < reference.length; i++) {
    worst = Math.max(worst, Math.abs(reference[i] - other[i]));
    scale = Math.max(scale, Math.abs(reference[i]));
  }
  const argmax = (v: Float32Array, r: number) => {
    let best = 0;
    for (let k = 1; k < classes; k++) if (v[r * classes + k] > v[r * classes + best]) best = k;
    return best;
  };
  const top1Differs: number[] = [];
  for (let r = 0; r < reference.length / classes; r++) if (argmax(reference, r) !== argmax(other, r)) top1Differs.push(r);
  return { relErr: worst / scale, top1Differs };
}
