/**
 * Pieces every line chart of the page shares (the MGD charts and the H-GKD charts): the series
 * description, the grid and axes, the current run's lines and the value tooltip. Called as
 * functions, not used as components, so the chart's children stay recharts' own elements.
 *
 * Every object or function prop here is built once. recharts 3 registers axes, lines and
 * reference lines in its Redux store from effects, comparing props by identity: a fresh
 * `tick={{…}}`, `domain={[…]}` or `dot={{…}}` on each redraw re-registered the item, and every
 * registration re-ran the selectors of the whole chart in another synchronous re-render (most of
 * a redraw's cost). With stable props a new `data` array is the one thing a redraw changes.
 */
import { CartesianGrid, Line, Tooltip, XAxis, YAxis } from 'recharts';
import { fmt, tick } from '../format';

export interface ChartSeries<K extends string = string> {
  key: K;
  name: string;
  color: string; // a CSS colour, usually var(--…)
  dots?: boolean; // sparse series (test accuracy): dots joined across gaps
  dashed?: boolean;
}

const TICK = { fontSize: 11 };
const X_DOMAIN = ['dataMin', 'dataMax'];
const AUTO_DOMAIN = ['auto', 'auto'];
const UNIT_DOMAIN = [0, 1];
const DOT = { r: 3 };
/** Kept runs' dots, smaller than the current run's. */
export const OVERLAY_DOT = { r: 2 };
const percentTick = (v: number) => `${Math.round(v * 100)}%`;
/** The grid has no vertical lines, but recharts would still lay out (and measure) the x ticks for them. */
const noVerticalLines = () => [];

/**
 * Grid, x axis (`x`, numeric) and y axis. The y axis draws every tick its scale proposes (5 round
 * values: they never collide) with `interval={0}`, skipping recharts' collision check, which sets
 * each label in a hidden span and reads its size back (a forced layout per new label), for the
 * axis and again for the grid. The x axis keeps the check: its last tick is the newest step,
 * which would overlap the round tick before it.
 */
export function gridAndAxes(x: string, percent: boolean | undefined, allowDuplicatedCategory?: boolean, yDomain?: YDomain | null) {
  return [
    <CartesianGrid key="grid" strokeDasharray="3 3" stroke="var(--chart-grid)" vertical={false} verticalCoordinatesGenerator={noVerticalLines} />,
    <XAxis key="x" dataKey={x} type="number" domain={X_DOMAIN} allowDecimals={false} allowDuplicatedCategory={allowDuplicatedCategory} tick={TICK} />,
    <YAxis key="y" width={44} tick={TICK} tickFormatter={percent ? percentTick : tick} domain={percent ? UNIT_DOMAIN : (yDomain ?? AUTO_DOMAIN)} interval={0} />,
  ];
}

export type YDomain = readonly [number, number];

/**
 * The y range that holds every drawn value: the current run's series and every overlay (recharts
 * took the range from the lines with their own `data`, the overlays, alone, so the current run's
 * curve could leave the chart) and any horizontal reference. Null when nothing finite is drawn.
 */
export function yDomainOf(sets: readonly (readonly Record<string, unknown>[])[], keys: readonly string[], extra: readonly number[] = []): YDomain | null {
  let lo = Infinity;
  let hi = -Infinity;
  const see = (v: unknown) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  };
  for (const set of sets) for (const p of set) for (const k of keys) see(p[k]);
  extra.forEach(see);
  if (lo > hi) return null;
  if (lo === hi) [lo, hi] = [lo - (Math.abs(lo) || 1) * 0.05, hi + (Math.abs(hi) || 1) * 0.05];
  // Widened to multiples of a round step (1, 2 or 5 × 10^k, about 4 per range): round tick values.
  const raw = (hi - lo) / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((x) => x >= raw)!;
  return [Math.floor(lo / step) * step, Math.ceil(hi / step) * step];
}

/** The current run's lines, one per series, no animation (redraws are throttled instead). */
export function seriesLines(series: readonly ChartSeries[]) {
  return series.map((s) => (
    <Line
      key={s.key}
      dataKey={s.key}
      name={s.name}
      stroke={s.color}
      strokeDasharray={s.dashed ? '4 3' : undefined}
      dot={s.dots ? DOT : false}
      strokeWidth={1.5}
      connectNulls={s.dots}
      isAnimationActive={false}
      type="linear"
    />
  ));
}

const percentValue = (v: unknown) => (typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : String(v));
const plainValue = (v: unknown) => (typeof v === 'number' ? fmt(v) : String(v));
const labelFormatters = new Map<string, (x: unknown) => string>();

/** Values as percentages on accuracy charts, compact numbers elsewhere; `xLabel` names the x value. */
export function valueTooltip(percent: boolean | undefined, xLabel: string) {
  if (!labelFormatters.has(xLabel)) labelFormatters.set(xLabel, (x) => `${xLabel} ${x}`);
  return <Tooltip formatter={percent ? percentValue : plainValue} labelFormatter={labelFormatters.get(xLabel)} />;
}
