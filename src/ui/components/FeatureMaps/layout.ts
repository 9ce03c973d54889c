/**
 * Feature arrays → RGBA pixels at their native resolution (the canvas is scaled up by CSS with
 * `image-rendering: pixelated`, so one feature value is one crisp square). Pure, so the layout
 * is tested in Node and drawing stays a single putImageData.
 */
import { type ColorScale, paint } from '../../colormap';

export interface Pixels {
  width: number;
  height: number;
  data: Uint8ClampedArray; // RGBA, row-major; gaps between tiles are transparent
}

/** Tile columns of a channel grid: as square as possible. */
export const gridColumns = (channels: number): number => Math.ceil(Math.sqrt(channels));

/**
 * One h×w tile per channel of a [H, W, C] array, `gridColumns(C)` tiles a row, 1-px gaps:
 * channel k sits at row ⌊k / cols⌋, column k mod cols.
 */
export function channelGrid(values: Float32Array, [h, w, c]: readonly [number, number, number], scale: ColorScale): Pixels {
  const cols = gridColumns(c);
  const rows = Math.ceil(c / cols);
  const width = cols * (w + 1) - 1;
  const height = rows * (h + 1) - 1;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let k = 0; k < c; k++) {
    const x0 = (k % cols) * (w + 1);
    const y0 = Math.floor(k / cols) * (h + 1);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) paint(data, ((y0 + y) * width + x0 + x) * 4, values[(y * w + x) * c + k], scale);
    }
  }
  return { width, height, data };
}

/** A [H, W] map (the spatial attention) as one image. */
export function heatmap(values: Float32Array, h: number, w: number, scale: ColorScale): Pixels {
  const data = new Uint8ClampedArray(h * w * 4);
  for (let p = 0; p < h * w; p++) paint(data, p * 4, values[p], scale);
  return { width: w, height: h, data };
}
