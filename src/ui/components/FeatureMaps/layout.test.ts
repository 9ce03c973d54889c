/** Colour scales and the channel-grid layout, in Node. */
import { describe, expect, it } from 'vitest';
import { paint, scaleFor } from '../../colormap';
import { channelGrid, gridColumns, heatmap } from './layout';

const colorAt = (px: { width: number; data: Uint8ClampedArray }, x: number, y: number) => Array.from(px.data.slice((y * px.width + x) * 4, (y * px.width + x) * 4 + 4));

describe('colour scales', () => {
  it('viridis over [min, max] for non-negative values, diverging over ±max|v| for signed ones', () => {
    expect(scaleFor([new Float32Array([0.5, 2]), new Float32Array([1])])).toEqual({ map: 'viridis', min: 0.5, max: 2 });
    expect(scaleFor([new Float32Array([-1, 3])])).toEqual({ map: 'diverging', min: -3, max: 3 });
    expect(scaleFor([new Float32Array([-1, 3])], false)).toEqual({ map: 'viridis', min: -1, max: 3 }); // an image: sign means nothing
    expect(scaleFor([new Float32Array([4, 4])])).toEqual({ map: 'viridis', min: 4, max: 5 }); // flat, no 0/0
    expect(scaleFor([new Float32Array(0)])).toEqual({ map: 'viridis', min: 0, max: 1 });
  });

  it('ends of viridis, white at 0 of the diverging map, magenta for NaN', () => {
    const out = new Uint8ClampedArray(4);
    paint(out, 0, 0, { map: 'viridis', min: 0, max: 1 });
    expect(Array.from(out)).toEqual([0x44, 0x01, 0x54, 255]);
    paint(out, 0, 7, { map: 'viridis', min: 0, max: 1 }); // clamped
    expect(Array.from(out)).toEqual([0xfd, 0xe7, 0x25, 255]);
    paint(out, 0, 0, { map: 'diverging', min: -2, max: 2 });
    expect(Array.from(out).slice(0, 3).every((v) => v > 240)).toBe(true);
    paint(out, 0, Number.NaN, { map: 'viridis', min: 0, max: 1 });
    expect(Array.from(out)).toEqual([255, 0, 255, 255]);
  });
});

describe('channel grid', () => {
  it('puts channel k at row ⌊k/cols⌋, column k mod cols, with transparent 1-px gaps', () => {
    expect(gridColumns(64)).toBe(8);
    expect(gridColumns(3)).toBe(2);
    // [H=2, W=2, C=3]: channel k holds the value k everywhere.
    const values = new Float32Array(12).map((_, i) => i % 3);
    const scale = { map: 'viridis' as const, min: 0, max: 2 };
    const px = channelGrid(values, [2, 2, 3], scale);
    expect([px.width, px.height]).toEqual([5, 5]); // 2 columns, 2 rows of 2×2 tiles
    expect(colorAt(px, 0, 0)).toEqual([0x44, 0x01, 0x54, 255]); // channel 0: lowest colour
    expect(colorAt(px, 4, 1)).toEqual(colorAt(px, 3, 0)); // channel 1, top-right tile
    expect(colorAt(px, 0, 4)).toEqual([0xfd, 0xe7, 0x25, 255]); // channel 2: highest colour
    expect(colorAt(px, 2, 0)[3]).toBe(0); // gap
    expect(colorAt(px, 4, 4)[3]).toBe(0); // no 4th channel
  });

  it('heatmap is one pixel per position', () => {
    const px = heatmap(new Float32Array([0, 1, 2, 3, 4, 5]), 2, 3, { map: 'viridis', min: 0, max: 5 });
    expect([px.width, px.height]).toEqual([3, 2]);
    expect(colorAt(px, 2, 1)).toEqual([0xfd, 0xe7, 0x25, 255]);
  });
});
