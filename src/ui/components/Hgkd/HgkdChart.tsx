/**
 * A small line chart of H-GKD rows (distillation metrics, fine-tune vs scratch, queue
 * similarity vectors): one x key, a few series, CSS-variable colours, no animation.
 */
import { memo } from 'react';
import { LineChart, ResponsiveContainer } from 'recharts';
import { type ChartSeries, gridAndAxes, seriesLines, useYAxis, valueTooltip } from '../chartParts';
import { useRedrawMeasure } from '../redrawTiming';

/** A series of rows R: its key is one of R's fields. */
export type RowSeries<R> = ChartSeries<keyof R & string>;

interface Props<R> {
  id: string;
  title: string;
  hint: string;
  rows: readonly R[];
  x: keyof R & string;
  xLabel: string;
  series: readonly RowSeries<R>[];
  percent?: boolean;
  height?: number;
}

const MARGIN = { top: 10, right: 12, bottom: 0, left: 0 }; // one object: recharts re-registers a new one

function HgkdChartImpl<R extends object>({ id, title, hint, rows, x, xLabel, series, percent, height = 150 }: Props<R>) {
  useRedrawMeasure(`hgkd-${id}`, rows);
  const yAxis = useYAxis([rows], series.map((s) => s.key), percent);
  return (
    <figure className="chart hgkd-chart" data-testid={`hgkd-chart-${id}`} data-points={rows.length}>
      <figcaption title={hint}>
        {title}
        {series.map((s) => (
          <span key={s.key} className={`legend-item${s.dashed ? ' legend-dashed' : ''}`} style={{ color: s.color }}>
            {s.name}
          </span>
        ))}
      </figcaption>
      <ResponsiveContainer width="100%" height={height}>
        <LineChart data={rows as R[]} margin={MARGIN}>
          {gridAndAxes(x, percent, undefined, yAxis)}
          {valueTooltip(percent, xLabel)}
          {seriesLines(series)}
        </LineChart>
      </ResponsiveContainer>
      {rows.length === 0 && <div className="chart-empty">no steps yet</div>}
    </figure>
  );
}

export const HgkdChart = memo(HgkdChartImpl) as typeof HgkdChartImpl;
