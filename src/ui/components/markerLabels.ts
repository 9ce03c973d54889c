/**
 * Where the live-change markers' labels go so that none overprints another: changes at the same
 * step share one label (`α→0.002 λ→0.25`), and a label that would run into an earlier one moves
 * down a row. Label widths are estimated from their length at the charts' 10 px font against the
 * narrowest plot we draw (the phone layout), over a span rounded down to a power of two: an
 * estimate on the safe side, and the layout changes only when the span doubles.
 */
import type { LiveChange } from '../../worker/protocol';
import { fmt } from '../format';

export interface MarkerLabel {
  step: number;
  text: string;
  row: number; // 0 = the top line of the plot; null rows are not drawn
}

const CHAR_PX = 6; // 10 px font, a little wide on purpose
const GAP_PX = 6;
const MIN_PLOT_PX = 260;
export const MAX_LABEL_ROWS = 4;

const one = (c: LiveChange) => `${c.param === 'alpha' ? 'α' : 'λ'}→${fmt(c.value)}`;

/** Largest power of two ≤ x (≥ 1). */
export const spanBucket = (x: number) => 2 ** Math.floor(Math.log2(Math.max(1, x)));

/**
 * Labels for the markers on an x axis spanning `span` steps. Each is drawn left of its line
 * (ending there); a label overlaps an earlier one in its row if it starts before that one ends.
 * Labels that find no free row among MAX_LABEL_ROWS are dropped (their lines stay).
 */
export function layoutMarkerLabels(changes: readonly LiveChange[], span: number): MarkerLabel[] {
  const byStep = new Map<number, string[]>();
  for (const c of changes) byStep.set(c.step, [...(byStep.get(c.step) ?? []), one(c)]);
  const pxPerStep = MIN_PLOT_PX / spanBucket(span);
  const rowEnds: number[] = []; // per row: x (px) where its last label ends
  const out: MarkerLabel[] = [];
  for (const [step, parts] of [...byStep].sort((a, b) => a[0] - b[0])) {
    const text = parts.join(' ');
    const end = step * pxPerStep; // the label ends at its line
    const start = end - text.length * CHAR_PX;
    const row = rowEnds.findIndex((e) => start >= e + GAP_PX);
    const free = row >= 0 ? row : rowEnds.length < MAX_LABEL_ROWS ? rowEnds.length : -1;
    if (free < 0) continue;
    rowEnds[free] = end;
    out.push({ step, text, row: free });
  }
  return out;
}
