/**
 * Teacher-training augmentation, seeded: each image shifted by up to `shift` pixels in x and y
 * (the uncovered border filled with each channel's normalised black) and, with `flip`, mirrored
 * left–right with probability ½. Per image it draws dy and dx (when shifting), then the flip (when
 * flipping), so grey teachers, which never flip, draw as they did before flips existed.
 */
import type { Rng } from '../random';

export interface Augment {
  shift: number; // max shift in pixels (0 = none)
  flip: boolean;
}

/** x [B, S, S, C] → an augmented copy; `fill[c]`: channel c's value of a black pixel. */
export function augmentBatch(x: Float32Array, b: number, size: number, channels: number, o: Augment, fill: readonly number[], rng: Rng): Float32Array {
  const out = new Float32Array(x.length);
  const image = size * size * channels;
  for (let i = 0; i < b; i++) {
    const dy = o.shift > 0 ? rng.int(2 * o.shift + 1) - o.shift : 0;
    const dx = o.shift > 0 ? rng.int(2 * o.shift + 1) - o.shift : 0;
    const mirror = o.flip && rng.uniform() < 0.5;
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        const dst = i * image + (r * size + c) * channels;
        const sr = r - dy;
        const sc = c - dx;
        if (sr < 0 || sr >= size || sc < 0 || sc >= size) {
          for (let ch = 0; ch < channels; ch++) out[dst + ch] = fill[ch];
          continue;
        }
        const src = i * image + (sr * size + (mirror ? size - 1 - sc : sc)) * channels;
        for (let ch = 0; ch < channels; ch++) out[dst + ch] = x[src + ch];
      }
    }
  }
  return out;
}
