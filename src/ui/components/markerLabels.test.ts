/** Live-change marker labels never overprint: laid out in the plot's pixels, rows and sides. */
import { describe, expect, it } from 'vitest';
import type { LiveChange } from '../../worker/protocol';
import { type MarkerLabel, type PlotX, labelWidth, layoutMarkerLabels, MAX_LABEL_ROWS } from './markerLabels';

const ch = (step: number, param: 'alpha' | 'lambda', value: number): LiveChange => ({ step, param, value });

/** A plot from x = 44 to 234 px (a 250 px chart, the narrowest grid cell) over steps lo…hi. */
const plot = (lo: number, hi: number, left = 44, right = 234): PlotX => ({ left, right, xOf: (s) => left + ((s - lo) / (hi - lo)) * (right - left) });

/** Each label's [from, to] px. */
const extent = (l: MarkerLabel) => (l.anchor === 'end' ? [l.x - labelWidth(l.text), l.x] : [l.x, l.x + labelWidth(l.text)]);

function expectDisjoint(labels: readonly MarkerLabel[]) {
  for (const [i, a] of labels.entries()) {
    for (const b of labels.slice(i + 1)) {
      if (a.row !== b.row) continue;
      const [[a0, a1], [b0, b1]] = [extent(a), extent(b)];
      expect(a1 <= b0 || b1 <= a0, `${a.text} and ${b.text} share row ${a.row}`).toBe(true);
    }
  }
}

describe('layoutMarkerLabels', () => {
  it('joins changes at one step into one label, left of its line', () => {
    const p = plot(0, 100);
    expect(layoutMarkerLabels([ch(90, 'alpha', 0.002), ch(90, 'lambda', 0.25)], p)).toEqual([{ step: 90, text: 'α→0.002 λ→0.25', row: 0, x: p.xOf(90) - 4, anchor: 'end' }]);
  });

  it('shifts a label too long for either side into the plot', () => {
    const [l] = layoutMarkerLabels([ch(50, 'alpha', 0.002), ch(50, 'lambda', 0.25)], plot(0, 100));
    const [from, to] = extent(l);
    expect(from).toBeGreaterThanOrEqual(44);
    expect(to).toBeLessThanOrEqual(234);
  });

  it('puts a label right of its line where the left side would cross the y axis', () => {
    const [l] = layoutMarkerLabels([ch(2, 'alpha', 0.002)], plot(1, 100));
    expect(l.anchor).toBe('start');
    expect(l.x).toBeGreaterThan(plot(1, 100).xOf(2));
  });

  it('the defect: changes at steps 5, 6, 7 of 1…7 on a 190 px plot — the first, pushed right, no longer runs into the third', () => {
    // Before: widths from a 260 px plot over a span rounded down to 4 steps, and the first label
    // moved right of its line after the layout, into the third one's place in the same row.
    const labels = layoutMarkerLabels([ch(5, 'alpha', 0.002), ch(6, 'lambda', 0.25), ch(7, 'alpha', 0.003)], plot(1, 7));
    expect(labels).toHaveLength(3);
    expectDisjoint(labels);
    for (const l of labels) {
      const [from, to] = extent(l);
      expect(from).toBeGreaterThanOrEqual(44);
      expect(to).toBeLessThanOrEqual(234);
    }
  });

  it('far-apart labels share the top row; close ones take the next rows', () => {
    const labels = layoutMarkerLabels([ch(50, 'alpha', 0.002), ch(51, 'alpha', 0.003), ch(52, 'lambda', 0.7), ch(290, 'alpha', 0.01)], plot(0, 300));
    expect(labels.map((r) => [r.step, r.row])).toEqual([[50, 0], [51, 1], [52, 2], [290, 0]]);
    expectDisjoint(labels);
  });

  it('drops labels that find no free place rather than overprint', () => {
    const many = Array.from({ length: 12 }, (_, i) => ch(100 + i, 'alpha', i / 100));
    const labels = layoutMarkerLabels(many, plot(0, 200));
    expect(labels.length).toBeLessThan(12);
    expect(labels.length).toBeGreaterThanOrEqual(MAX_LABEL_ROWS);
    expect(Math.max(...labels.map((l) => l.row))).toBeLessThan(MAX_LABEL_ROWS);
    expectDisjoint(labels);
  });
});
