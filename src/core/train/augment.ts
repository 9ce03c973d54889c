/**
 * Random-translation augmentation for teacher training: each image is shifted by up to `max`
 * pixels in x and y (zero fill, i.e. the normalised background value `fill`). Seeded.
 */
import type { Rng } from '../random';

/** x [B, S, S, 1] → a shifted copy. */
export function randomShift(x: Float32Array, b: number, size: number, max: number, fill: number, rng: Rng): Float32Array {
  const out = new Float32Array(x.length).fill(fill);
  const plane = size * size;
  for (let i = 0; i < b; i++) {
    const dy = rng.int(2 * max + 1) - max;
    const dx = rng.int(2 * max + 1) - max;
    for (let r = Math.max(0, dy); r < Math.min(size, size + dy); r++) {
      const src = i * plane + (r - dy) * size;
      const dst = i * plane + r * size;
      for (let c = Math.max(0, dx); c < Math.min(size, size + dx); c++) out[dst + c] = x[src + c - dx];
    }
  }
  return out;
}
