/**
 * The y axis of a chart, chosen here rather than by recharts: a range widened to round steps,
 * ticks at those steps, a label format that tells every tick apart (recharts' ticks went through
 * a fixed format, so 10.1 % and 10.3 % both read "10%") and an axis width that holds the longest
 * label (similarities of order 1e-4 read "5.00e-4", wider than a fixed 44 px, and were cut).
 * Pure, so it is tested in Node.
 */
import { tick } from '../format';

export interface YAxisSpec {
  domain: [number, number];
  ticks: number[];
  format: (v: number) => string;
  width: number; // px
}

/** The smallest of 1, 2, 5 × 10^k at least `raw`. */
export function niceStep(raw: number): number {
  const mag = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * mag).find((x) => x >= raw * (1 - 1e-9))!;
}

const AXIS_FONT_CHAR_PX = 6.6; // an 11 px digit, a little wide: a label never touches the edge
const AXIS_PAD_PX = 14; // the tick line and the gap to the plot
const MIN_WIDTH_PX = 44;

/** Decimals that write every multiple of `step` exactly (step is 1, 2 or 5 × 10^k). */
const decimalsOf = (step: number) => Math.max(0, -Math.floor(Math.log10(step) + 1e-9));

/** Candidate label formats, shortest-looking first; the first that keeps the ticks apart wins among the shortest. */
function formats(step: number, percent: boolean): ((v: number) => string)[] {
  if (percent) {
    const d = decimalsOf(step * 100);
    return [(v) => `${Math.round(v * 100)}%`, (v) => `${(v * 100).toFixed(d)}%`];
  }
  const d = decimalsOf(step);
  return [tick, (v) => v.toFixed(d), ...[2, 3, 4].map((k) => (v: number) => v.toExponential(k))];
}

/**
 * The axis for values in [lo, hi] (lo ≤ hi, finite): about `count` steps of 1, 2 or 5 × 10^k,
 * the range widened to whole steps, and the shortest format whose tick labels all differ.
 */
export function yAxisSpec(lo: number, hi: number, percent = false, count = 4): YAxisSpec {
  if (lo === hi) [lo, hi] = [lo - (Math.abs(lo) || 1) * 0.05, hi + (Math.abs(hi) || 1) * 0.05];
  const step = niceStep((hi - lo) / count);
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  // Whole multiples of the step, rounded back onto it (0.1 + 0.2 is not 0.3).
  const ticks = Array.from({ length: last - first + 1 }, (_, i) => Number(((first + i) * step).toPrecision(12)));
  const domain: [number, number] = [ticks[0], ticks.at(-1)!];
  const candidates = formats(step, percent)
    .map((format) => ({ format, labels: ticks.map(format) }))
    .filter(({ labels }) => new Set(labels).size === labels.length);
  const longest = (labels: string[]) => Math.max(...labels.map((l) => l.length));
  // Multiples of a 1-2-5 step in the fixed-decimals format always differ, so candidates is never empty.
  const best = candidates.reduce((a, b) => (longest(b.labels) < longest(a.labels) ? b : a));
  return { domain, ticks, format: best.format, width: Math.max(MIN_WIDTH_PX, Math.ceil(longest(best.labels) * AXIS_FONT_CHAR_PX) + AXIS_PAD_PX) };
}

/**
 * The axis that holds every drawn value: the current run's series and every overlay (recharts
 * took the range from the lines with their own `data`, the overlays, alone, so the current run's
 * curve could leave the chart) and any extra value (a reference line, an error bar's ends).
 * Null when nothing finite is drawn.
 */
export function yAxisOf(sets: readonly (readonly object[])[], keys: readonly string[], percent = false, extra: readonly number[] = []): YAxisSpec | null {
  let lo = Infinity;
  let hi = -Infinity;
  const see = (v: unknown) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  };
  for (const set of sets) for (const p of set) for (const k of keys) see((p as Record<string, unknown>)[k]);
  extra.forEach(see);
  return lo > hi ? null : yAxisSpec(lo, hi, percent);
}
