/**
 * Patch-wise masks shared by H-GKD's two halves: the MIM teacher's token mask (MAE) and the
 * student's image mask (SparK). A mask keeps exactly round(T·(1 − ratio)) patches per sample
 * (at least one), drawn by a seeded shuffle, so every sample has the same visible count.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random';
import { downsampleMask } from '../kernels';

/** Visible patches per sample for T patches at a mask ratio. */
export function visibleCount(tokens: number, ratio: number): number {
  return Math.min(tokens, Math.max(1, Math.round(tokens * (1 - ratio))));
}

/** Uint8Array [N, T]: 1 where a patch stays visible. */
export function drawVisible(n: number, tokens: number, ratio: number, rng: Rng): Uint8Array {
  const keep = visibleCount(tokens, ratio);
  const out = new Uint8Array(n * tokens);
  const order = new Int32Array(tokens);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < tokens; t++) order[t] = t;
    rng.shuffle(order);
    for (let k = 0; k < keep; k++) out[i * tokens + order[k]] = 1;
  }
  return out;
}

/** One-hot rows picking each sample's visible tokens in increasing order: [N, V, T]. */
export function selectionMatrix(visible: Uint8Array, n: number, tokens: number): tf.Tensor3D {
  const v = visible.subarray(0, tokens).reduce((a, b) => a + b, 0);
  const out = new Float32Array(n * v * tokens);
  for (let i = 0; i < n; i++) {
    let row = 0;
    for (let t = 0; t < tokens; t++) {
      if (!visible[i * tokens + t]) continue;
      if (row === v) break;
      out[(i * v + row++) * tokens + t] = 1;
    }
    if (row !== v || visible.subarray(i * tokens, (i + 1) * tokens).reduce((a, b) => a + b, 0) !== v) {
      throw new Error('every sample must keep the same number of visible patches');
    }
  }
  return tf.tensor3d(out, [n, v, tokens]);
}

/** The token mask as an image mask [N, g·p, g·p, 1] (0/1): each patch of p×p pixels takes its token's value. */
export function patchImageMask(visible: Uint8Array, n: number, grid: number, patch: number): tf.Tensor4D {
  const side = grid * patch;
  const out = new Float32Array(n * side * side);
  for (let i = 0; i < n; i++) {
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        out[(i * side + y) * side + x] = visible[i * grid * grid + Math.floor(y / patch) * grid + Math.floor(x / patch)];
      }
    }
  }
  return tf.tensor4d(out, [n, side, side, 1]);
}

/**
 * The image mask at each encoder scale: scale 0 is the input resolution, each next one halves it
 * (stride-2 'same' rule of downsampleMask). With patches aligned to the total stride the
 * downsampled masks are again patch masks. [N, H, W, 1] → [[N, H, W, 1], [N, H/2, W/2, 1], …].
 */
export function scaleMasks(imageMask: tf.Tensor4D, scales: number): tf.Tensor4D[] {
  const out = [imageMask.clone()];
  for (let s = 1; s < scales; s++) out.push(downsampleMask(out[s - 1], 2));
  return out;
}
