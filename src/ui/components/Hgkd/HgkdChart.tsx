/**
 * A small line chart of H-GKD rows (distillation metrics, fine-tune vs scratch, queue
 * similarity vectors): one x key, a few series, CSS-variable colours, no animation.
 */
import { memo } from 'react';
import { CartesianGrid, LineChart, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import { tick } from '../../format';
import { type ChartSeries, seriesLines, valueTooltip } from '../chartParts';

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

function HgkdChartImpl<R extends object>({ id, title, hint, rows, x, xLabel, series, percent, height = 150 }: Props<R>) {
  const yTick = percent ? (v: number) => `${Math.round(v * 100)}%` : tick;
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
        <LineChart data={rows as R[]} margin={{ top: 10, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--chart-grid)" vertical={false} />
          <XAxis dataKey={x} type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} tick={{ fontSize: 11 }} />
          <YAxis width={44} tick={{ fontSize: 11 }} tickFormatter={yTick} domain={percent ? [0, 1] : ['auto', 'auto']} />
          {valueTooltip(percent, xLabel)}
          {seriesLines(series)}
        </LineChart>
      </ResponsiveContainer>
      {rows.length === 0 && <div className="chart-empty">no steps yet</div>}
    </figure>
  );
}

export const HgkdChart = memo(HgkdChartImpl) as typeof HgkdChartImpl;
