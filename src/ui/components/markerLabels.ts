/**
 * Where the live-change markers' labels go so that none overprints another: changes at the same
 * step share one label (`α→0.002 λ→0.25`); a label sits left of its line (right of it where the
 * left side would cross the y axis, shifted into the plot where neither side has room) in the
 * first row where it meets no other label, and further rows go down the plot. The layout is in the chart's own pixels: the plot's left and right edge
 * and the x of each step, as the drawn chart has them (an estimate from the step span alone put
 * labels that were 60 px apart on screen in one row).
 */
import type { LiveChange } from '../../worker/protocol';
import { fmt } from '../format';

export interface MarkerLabel {
  step: number;
  text: string;
  row: number; // 0 = the top line of the plot
  x: number; // px: where the text is anchored (beside its line)
  anchor: 'start' | 'end';
}

/** The plot as drawn: its horizontal extent (px) and the x (px) of a step. */
export interface PlotX {
  left: number;
  right: number;
  xOf(step: number): number;
}

export const LABEL_FONT_PX = 10;
export const LABEL_ROW_PX = 13; // one text line (11.6 px in DejaVu Sans at 10 px) and a little air
const CHAR_PX = 7;
const GAP_PX = 4; // between a label and its line, and between two labels in a row
export const MAX_LABEL_ROWS = 4;

/**
 * Estimated width (px) of a label at 10 px: on the wide side (digits and Greek letters are about
 * 6.4 px in DejaVu Sans, the arrow 8.4), so that labels estimated apart are apart on screen.
 */
export const labelWidth = (text: string) => [...text].reduce((w, c) => w + (c === '→' ? 9 : CHAR_PX), 0);

const one = (c: LiveChange) => `${c.param === 'alpha' ? 'α' : 'λ'}→${fmt(c.value)}`;

/**
 * Labels for the markers of `changes` on the plot `plot`. A label that finds no free place in
 * MAX_LABEL_ROWS rows, on either side of its line, is dropped (its line stays).
 */
export function layoutMarkerLabels(changes: readonly LiveChange[], plot: PlotX, widthOf: (text: string) => number = labelWidth): MarkerLabel[] {
  const byStep = new Map<number, string[]>();
  for (const c of changes) byStep.set(c.step, [...(byStep.get(c.step) ?? []), one(c)]);
  const rows: [number, number][][] = Array.from({ length: MAX_LABEL_ROWS }, () => []); // per row: taken [from, to] px
  const free = (row: number, from: number, to: number) => rows[row].every(([a, b]) => to + GAP_PX <= a || from >= b + GAP_PX);
  const out: MarkerLabel[] = [];
  for (const [step, parts] of [...byStep].sort((a, b) => a[0] - b[0])) {
    const text = parts.join(' ');
    const x = plot.xOf(step);
    const w = widthOf(text);
    const leftSide = { anchor: 'end' as const, x: x - GAP_PX, from: x - GAP_PX - w, to: x - GAP_PX };
    const rightSide = { anchor: 'start' as const, x: x + GAP_PX, from: x + GAP_PX, to: x + GAP_PX + w };
    const fitting = [leftSide, rightSide].filter((s) => s.from >= plot.left && s.to <= plot.right);
    // Too long for either side (a narrow plot): shifted into the plot, starting as far right as it fits.
    const from = Math.max(plot.left, Math.min(x + GAP_PX, plot.right - w));
    const sides = fitting.length > 0 ? fitting : [{ anchor: 'start' as const, x: from, from, to: from + w }];
    const place = rows.map((_, row) => sides.map((s) => ({ row, s }))).flat().find(({ row, s }) => free(row, s.from, s.to));
    if (!place) continue;
    rows[place.row].push([place.s.from, place.s.to]);
    out.push({ step, text, row: place.row, x: place.s.x, anchor: place.s.anchor });
  }
  return out;
}
