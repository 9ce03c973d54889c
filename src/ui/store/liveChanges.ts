/** Live α / λ changes read off a run's points: a change shows as the first step with the new value. */
import type { LiveChange, LiveParam, MetricsPoint } from '../../worker/protocol';

const LIVE_PARAMS: readonly LiveParam[] = ['alpha', 'lambda'];

export function changesFromPoints(points: readonly MetricsPoint[]): LiveChange[] {
  const out: LiveChange[] = [];
  for (let i = 1; i < points.length; i++) {
    for (const param of LIVE_PARAMS) {
      if (points[i][param] !== points[i - 1][param]) out.push({ step: points[i].step, param, value: points[i][param] });
    }
  }
  return out;
}
