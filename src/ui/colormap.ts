/**
 * Colour maps for feature maps: viridis (perceptually uniform, readable in grey and by most
 * colour-blind viewers) for values ≥ 0, and a blue–white–red diverging map (ColorBrewer RdBu)
 * centred on 0 for signed values, so the sign is never confused with magnitude.
 */

export type ColorMapName = 'viridis' | 'diverging';

/** Evenly spaced stops of each map (matplotlib's viridis; RdBu reversed: negative blue). */
const STOPS: Record<ColorMapName, readonly string[]> = {
  viridis: ['#440154', '#482475', '#414487', '#355f8d', '#2a788e', '#21918c', '#22a884', '#44bf70', '#7ad151', '#bddf26', '#fde725'],
  diverging: ['#053061', '#2166ac', '#4393c3', '#92c5de', '#d1e5f0', '#f7f7f7', '#fddbc7', '#f4a582', '#d6604d', '#b2182b', '#67001f'],
};

const LUT_SIZE = 256;

const rgb = (hex: string): [number, number, number] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];

function buildLut(stops: readonly string[]): Uint8ClampedArray {
  const colors = stops.map(rgb);
  const lut = new Uint8ClampedArray(LUT_SIZE * 3);
  for (let i = 0; i < LUT_SIZE; i++) {
    const t = (i / (LUT_SIZE - 1)) * (colors.length - 1);
    const k = Math.min(Math.floor(t), colors.length - 2);
    const f = t - k;
    for (let ch = 0; ch < 3; ch++) lut[i * 3 + ch] = Math.round(colors[k][ch] * (1 - f) + colors[k + 1][ch] * f);
  }
  return lut;
}

const LUTS: Record<ColorMapName, Uint8ClampedArray> = { viridis: buildLut(STOPS.viridis), diverging: buildLut(STOPS.diverging) };

/** How values become colours: the map and the value range its two ends stand for. */
export interface ColorScale {
  map: ColorMapName;
  min: number;
  max: number;
}

/**
 * The scale for a set of arrays drawn side by side: viridis over [min, max] when nothing is
 * negative (or `diverge` is off: an image's sign means nothing), else the diverging map over
 * ±max|v| (white = 0). A constant array gets a range of 1: one flat colour, no 0/0.
 */
export function scaleFor(arrays: readonly Float32Array[], diverge = true): ColorScale {
  let min = Infinity;
  let max = -Infinity;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { map: 'viridis', min: 0, max: 1 };
  if (min < 0 && diverge) {
    const m = Math.max(-min, max);
    return { map: 'diverging', min: -m, max: m };
  }
  return { map: 'viridis', min, max: max > min ? max : min + 1 };
}

/** Writes the RGBA colour of `value` at byte offset `at` of `out`. Non-finite values draw magenta. */
export function paint(out: Uint8ClampedArray, at: number, value: number, scale: ColorScale): void {
  if (!Number.isFinite(value)) {
    out.set([255, 0, 255, 255], at);
    return;
  }
  const t = (value - scale.min) / (scale.max - scale.min);
  const i = Math.max(0, Math.min(LUT_SIZE - 1, Math.round(t * (LUT_SIZE - 1)))) * 3;
  const lut = LUTS[scale.map];
  out[at] = lut[i];
  out[at + 1] = lut[i + 1];
  out[at + 2] = lut[i + 2];
  out[at + 3] = 255;
}

/** A CSS gradient of the map, low to high, for legends. */
export function gradientCss(map: ColorMapName): string {
  return `linear-gradient(to right, ${STOPS[map].join(', ')})`;
}

/** The CSS colour `value` is drawn in, for swatches that must match the canvas exactly. */
export function colourCss(value: number, scale: ColorScale): string {
  const px = new Uint8ClampedArray(4);
  paint(px, 0, value, scale);
  return `rgb(${px[0]}, ${px[1]}, ${px[2]})`;
}
