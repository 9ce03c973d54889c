/**
 * Live charts of the current run: losses (task CE vs α-weighted distillation), the feature
 * "difference" Σ(align(S) − T)²/N, and accuracy (running train, periodic test). Points arrive
 * in batches of at most ~20 per second and are thinned in the store; the charts redraw at most
 * every REDRAW_MS from a further thinned copy.
 */
import { memo, useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { MetricsPoint } from '../../worker/protocol';
import { fmt, tick as axisTick } from '../format';
import { useApp } from '../store';
import { forDisplay } from '../store/series';
import { useThrottled } from '../throttle';

/**
 * Charts redraw at most this often, with at most ~300 points each: SVG redraws (and, in dev
 * builds, recharts' Redux invariant checks over the data) are the page's main cost.
 */
const REDRAW_MS = 1000;

interface Series {
  key: keyof MetricsPoint;
  name: string;
  color: string;
  dots?: boolean; // sparse series (test accuracy): dots joined across gaps
}

interface ChartProps {
  id: string;
  title: string;
  hint: string;
  data: readonly MetricsPoint[];
  series: readonly Series[];
  percent?: boolean;
}

const MetricChart = memo(function MetricChart({ id, title, hint, data, series, percent }: ChartProps) {
  const tick = percent ? (v: number) => `${Math.round(v * 100)}%` : axisTick;
  return (
    <figure className="chart" data-testid={`chart-${id}`} data-points={data.length}>
      <figcaption title={hint}>
        {title}
        {series.map((s) => (
          <span key={s.key} className="legend-item" style={{ color: s.color }}>
            {s.name}
          </span>
        ))}
      </figcaption>
      <ResponsiveContainer width="100%" height={180}>
        <LineChart data={data as MetricsPoint[]} margin={{ top: 4, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e3e6ea" vertical={false} />
          <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} tick={{ fontSize: 11 }} />
          <YAxis width={44} tick={{ fontSize: 11 }} tickFormatter={tick} domain={percent ? [0, 1] : ['auto', 'auto']} />
          <Tooltip formatter={(v) => (typeof v === 'number' ? (percent ? `${(v * 100).toFixed(1)}%` : fmt(v)) : String(v))} labelFormatter={(s) => `step ${s}`} />
          {series.map((s) => (
            <Line
              key={s.key}
              dataKey={s.key}
              name={s.name}
              stroke={s.color}
              dot={s.dots ? { r: 3 } : false}
              strokeWidth={1.5}
              connectNulls={s.dots}
              isAnimationActive={false}
              type="linear"
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
      {data.length === 0 && <div className="chart-empty">no steps yet</div>}
    </figure>
  );
});

const LOSS: readonly Series[] = [
  { key: 'taskLoss', name: 'task (CE)', color: '#2b6cb0' },
  { key: 'distillLoss', name: 'distill (weighted)', color: '#c05621' },
];
const DIFFERENCE: readonly Series[] = [{ key: 'difference', name: 'Σ(align(S) − T)²/N', color: '#6b46c1' }];
const ACCURACY: readonly Series[] = [
  { key: 'trainAcc', name: 'train (running)', color: '#2f855a' },
  { key: 'testAcc', name: 'test', color: '#b83280', dots: true },
];

export function Charts() {
  const all = useThrottled(useApp((s) => s.points), REDRAW_MS);
  const points = useMemo(() => forDisplay(all), [all]);
  return (
    <div className="charts">
      <MetricChart id="loss" title="Loss" hint="Cross-entropy and the distillation term as it enters the loss: α·feature term (+ kdW·KD)" data={points} series={LOSS} />
      <MetricChart id="difference" title="Difference" hint="Σ(align(S) − T)²/N: how far the student's features are from the teacher's" data={points} series={DIFFERENCE} />
      <MetricChart id="accuracy" title="Accuracy" hint="Running mean of batch accuracy, and test accuracy at each evaluation (the last on the full test set)" data={points} series={ACCURACY} percent />
    </div>
  );
}
