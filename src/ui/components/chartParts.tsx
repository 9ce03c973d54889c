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
import { useMemo } from 'react';
import { CartesianGrid, Line, Tooltip, XAxis, YAxis } from 'recharts';
import { fmt, tick } from '../format';
import { type YAxisSpec, yAxisOf } from './yAxis';

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
 * Grid, x axis (`x`, numeric) and y axis. Accuracy charts span 0…100 %; others take `yAxis`
 * (yAxis.ts: its ticks, their format and the width the labels need), else recharts' own range.
 * The y axis draws every tick with `interval={0}`, skipping recharts' collision check, which sets
 * each label in a hidden span and reads its size back (a forced layout per new label), for the
 * axis and again for the grid. The x axis keeps the check: its last tick is the newest step,
 * which would overlap the round tick before it.
 */
export function gridAndAxes(x: string, percent: boolean | undefined, allowDuplicatedCategory?: boolean, yAxis?: YAxisSpec | null) {
  const y = percent || !yAxis ? { width: 44, tickFormatter: percent ? percentTick : tick, domain: percent ? UNIT_DOMAIN : AUTO_DOMAIN } : { width: yAxis.width, tickFormatter: yAxis.format, domain: yAxis.domain, ticks: yAxis.ticks };
  return [
    <CartesianGrid key="grid" strokeDasharray="3 3" stroke="var(--chart-grid)" vertical={false} verticalCoordinatesGenerator={noVerticalLines} />,
    <XAxis key="x" dataKey={x} type="number" domain={X_DOMAIN} allowDecimals={false} allowDuplicatedCategory={allowDuplicatedCategory} tick={TICK} />,
    <YAxis key="y" tick={TICK} interval={0} {...y} />,
  ];
}

/**
 * The y axis holding every value of `keys` in `sets` (yAxisOf), the same object while the range
 * stays the same: a new domain or ticks array would re-register the axis on every redraw.
 */
export function useYAxis(sets: readonly (readonly object[])[], keys: readonly string[], percent = false, extra: readonly number[] = []): YAxisSpec | null {
  const axis = yAxisOf(sets, keys, percent, extra);
  const key = axis ? `${axis.domain.join(',')}|${axis.ticks.length}` : '';
  return useMemo(() => axis, [key]); // eslint-disable-line react-hooks/exhaustive-deps
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
