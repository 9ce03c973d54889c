/**
 * MGD's random masks, drawn afresh every step from a seeded Rng, exactly as the official code:
 * kept values are 1 and are NOT rescaled (unlike dropout).
 *  - pixel: `rand(N,1,H,W) > 1-λ → 0`, one mask per sample shared by all channels;
 *  - channel: `rand(N,C,1,1) < λ → 0`, one mask per sample per channel.
 */
import type { Rng } from '../../random';

export type MaskKind = 'pixel' | 'channel';

/** Returns the mask values and the NHWC shape they broadcast from: [N,H,W,1] or [N,1,1,C]. */
export function drawMask(rng: Rng, kind: MaskKind, n: number, h: number, w: number, c: number, lambda: number): { values: Float32Array; shape: [number, number, number, number] } {
  if (kind === 'pixel') {
    const values = new Float32Array(n * h * w);
    for (let i = 0; i < values.length; i++) values[i] = rng.uniform() > 1 - lambda ? 0 : 1;
    return { values, shape: [n, h, w, 1] };
  }
  const values = new Float32Array(n * c);
  for (let i = 0; i < values.length; i++) values[i] = rng.uniform() < lambda ? 0 : 1;
  return { values, shape: [n, 1, 1, c] };
}
