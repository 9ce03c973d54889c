/**
 * Pieces every line chart of the page shares (the MGD charts and the H-GKD charts): the series
 * description, the current run's lines and the value tooltip. Called as functions, not used as
 * components: recharts reads its children's element types, so they must stay <Line>/<Tooltip>.
 */
import { Line, Tooltip } from 'recharts';
import { fmt } from '../format';

export interface ChartSeries<K extends string = string> {
  key: K;
  name: string;
  color: string; // a CSS colour, usually var(--…)
  dots?: boolean; // sparse series (test accuracy): dots joined across gaps
  dashed?: boolean;
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
      dot={s.dots ? { r: 3 } : false}
      strokeWidth={1.5}
      connectNulls={s.dots}
      isAnimationActive={false}
      type="linear"
    />
  ));
}

/** Values as percentages on accuracy charts, compact numbers elsewhere; `xLabel` names the x value. */
export function valueTooltip(percent: boolean | undefined, xLabel: string) {
  return (
    <Tooltip
      formatter={(v) => (typeof v === 'number' ? (percent ? `${(v * 100).toFixed(1)}%` : fmt(v)) : String(v))}
      labelFormatter={(x) => `${xLabel} ${x}`}
    />
  );
}
