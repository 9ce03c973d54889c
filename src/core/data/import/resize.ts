/**
 * Brings one decoded image to the dataset's square: the centred square of side min(w, h) is cut
 * out, then resampled to side×side with a triangle (bilinear) filter widened by the scale factor
 * when shrinking (antialiased, like PIL's ImageOps.fit with BILINEAR), then converted to the
 * output channels (grey = ITU-R 601 luma 0.299 R + 0.587 G + 0.114 B; grey → RGB repeats it;
 * alpha is dropped).
 */
import type { RawImage } from './sources';

/** Writes img as [side, side, outChannels] uint8 into out at offset. */
export function fitSquare(img: RawImage, side: number, outChannels: 1 | 3, out: Uint8Array, offset: number): void {
  const { width: w, height: h, channels: k, data } = img;
  const colour = k >= 3 ? 3 : 1; // channels that carry colour; 2 and 4 have alpha last
  if (w === side && h === side) {
    if (k === outChannels) return out.set(data.subarray(0, side * side * k), offset); // CIFAR, IDX: a copy
    for (let p = 0; p < side * side; p++) writePixel(data, p * k, colour, outChannels, out, offset + p * outChannels);
    return;
  }
  const s = Math.min(w, h);
  const wx = weights(side, s, (w - s) / 2, w);
  const wy = weights(side, s, (h - s) / 2, h);
  // Horizontal pass over every source row: [h, side, colour].
  const rows = new Float32Array(h * side * colour);
  for (let y = 0; y < h; y++) {
    for (let o = 0; o < side; o++) {
      const { first, w: ws } = wx[o];
      for (let c = 0; c < colour; c++) {
        let acc = 0;
        for (let t = 0; t < ws.length; t++) acc += ws[t] * data[(y * w + first + t) * k + c];
        rows[(y * side + o) * colour + c] = acc;
      }
    }
  }
  // Vertical pass: [side, side, colour].
  const px = new Uint8Array(colour);
  for (let oy = 0; oy < side; oy++) {
    const { first, w: ws } = wy[oy];
    for (let ox = 0; ox < side; ox++) {
      for (let c = 0; c < colour; c++) {
        let acc = 0;
        for (let t = 0; t < ws.length; t++) acc += ws[t] * rows[((first + t) * side + ox) * colour + c];
        px[c] = Math.min(255, Math.max(0, Math.round(acc)));
      }
      writePixel(px, 0, colour, outChannels, out, offset + (oy * side + ox) * outChannels);
    }
  }
}

function writePixel(src: Uint8Array, at: number, colour: number, outChannels: 1 | 3, out: Uint8Array, to: number): void {
  if (colour === 1) {
    out[to] = src[at];
    if (outChannels === 3) out[to + 1] = out[to + 2] = src[at];
  } else if (outChannels === 3) {
    out[to] = src[at];
    out[to + 1] = src[at + 1];
    out[to + 2] = src[at + 2];
  } else {
    out[to] = Math.round(0.299 * src[at] + 0.587 * src[at + 1] + 0.114 * src[at + 2]);
  }
}

/** Per output index: the first source index and normalised filter weights over a crop [start, start+span) of an axis of length n. */
function weights(side: number, span: number, start: number, n: number): { first: number; w: Float32Array }[] {
  const scale = span / side;
  const support = Math.max(1, scale);
  return Array.from({ length: side }, (_, o) => {
    const centre = start + (o + 0.5) * scale - 0.5;
    const first = Math.max(0, Math.ceil(centre - support));
    const last = Math.min(n - 1, Math.floor(centre + support));
    const w = new Float32Array(last - first + 1);
    let sum = 0;
    for (let i = first; i <= last; i++) sum += w[i - first] = Math.max(0, 1 - Math.abs(i - centre) / support);
    if (sum === 0) w[Math.min(w.length - 1, Math.max(0, Math.round(centre) - first))] = sum = 1;
    for (let t = 0; t < w.length; t++) w[t] /= sum;
    return { first, w };
  });
}
