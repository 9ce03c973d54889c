/** Live-change marker labels never share a row where they would overprint. */
import { describe, expect, it } from 'vitest';
import type { LiveChange } from '../../worker/protocol';
import { layoutMarkerLabels } from './markerLabels';

const ch = (step: number, param: 'alpha' | 'lambda', value: number): LiveChange => ({ step, param, value });

describe('layoutMarkerLabels', () => {
  it('joins changes at one step into one label', () => {
    expect(layoutMarkerLabels([ch(10, 'alpha', 0.002), ch(10, 'lambda', 0.25)], 100)).toEqual([{ step: 10, text: 'α→0.002 λ→0.25', row: 0 }]);
  });

  it('moves a label that would overlap an earlier one down a row; far-apart labels share the top row', () => {
    const rows = layoutMarkerLabels([ch(50, 'alpha', 0.002), ch(51, 'alpha', 0.003), ch(52, 'lambda', 0.7), ch(290, 'alpha', 0.01)], 300);
    expect(rows.map((r) => [r.step, r.row])).toEqual([[50, 0], [51, 1], [52, 2], [290, 0]]);
  });

  it('drops labels beyond the last row rather than overprint', () => {
    const many = Array.from({ length: 8 }, (_, i) => ch(100 + i, 'alpha', i / 100));
    const rows = layoutMarkerLabels(many, 200);
    expect(rows.length).toBeLessThan(8);
    expect(new Set(rows.map((r) => r.row)).size).toBe(rows.length);
  });
});
