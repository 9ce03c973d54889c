/**
 * The learning-rate schedule on the loss chart: a thin line across the plot over the same steps
 * as the losses, 0 at the bottom and the peak lr at the top (its own scale, labelled at the right),
 * so the decay, a warm-up or a step reads at a glance beside the loss it shapes. Drawn from the
 * run's config (core/optim/lrSchedule.ts, the function the trainer steps with), not from points.
 */
import { memo } from 'react';
import { usePlotArea, useXAxisDomain } from 'recharts';
import { fmt } from '../format';
import { type LrSchedule, lrAt } from '../../core/optim/lrSchedule';

/** At most one vertex per this many pixels: enough for a cosine, cheap to redraw. */
const PX_PER_VERTEX = 3;

export const LrLine = memo(function LrLine({ schedule }: { schedule: LrSchedule }) {
  const plot = usePlotArea();
  const domain = useXAxisDomain();
  if (!plot || !domain) return null;
  const [lo, hi] = domain.map(Number);
  if (!(hi >= lo) || schedule.lr <= 0) return null;
  const n = Math.max(1, Math.min(Math.round(hi - lo), Math.round(plot.width / PX_PER_VERTEX)));
  const vertices: string[] = [];
  for (let i = 0; i <= n; i++) {
    const step = Math.round(lo + ((hi - lo) * i) / n);
    const x = plot.x + (hi > lo ? ((step - lo) / (hi - lo)) * plot.width : plot.width / 2);
    const y = plot.y + plot.height * (1 - lrAt(schedule, Math.max(1, step)) / schedule.lr);
    vertices.push(`${x.toFixed(1)},${y.toFixed(1)}`);
  }
  return (
    <g className="lr-line" data-testid="lr-line" data-schedule={schedule.kind}>
      <path d={`M${vertices.join('L')}`} fill="none" stroke="var(--series-lr)" strokeWidth={1} strokeOpacity={0.8} />
      <text x={plot.x + plot.width - 2} y={plot.y + 10} textAnchor="end" fontSize={10} fill="var(--series-lr)">
        lr {fmt(schedule.lr)}
      </text>
    </g>
  );
});
