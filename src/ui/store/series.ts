/**
 * Chart series kept bounded: a long run (100k steps) must not grow the page's memory or make
 * each chart redraw slower. Past MAX_POINTS, every other point is dropped, except the newest and
 * evaluation points (the test-accuracy curve needs them) while these fill at most half the
 * budget; beyond that (a small `eval` on a long run: eval=1 makes every point one) they are
 * thinned like the rest, or they alone would grow the series without bound.
 *
 * Points and drawn arrays are frozen: they never change, and recharts' dev-build Redux
 * invariant check skips frozen data instead of walking it on every action (it otherwise took
 * most of the main thread while training).
 */
import type { MetricsPoint } from '../../worker/protocol';

type SeriesPoint = Pick<MetricsPoint, 'step' | 'testAcc'>;

export const MAX_POINTS = 1500;

const isEval = (p: SeriesPoint) => p.testAcc !== undefined;
const evalCount = (points: readonly SeriesPoint[]) => points.reduce((n, p) => n + (isEval(p) ? 1 : 0), 0);

export function appendThinned<P extends SeriesPoint>(points: readonly P[], batch: readonly P[], max = MAX_POINTS): P[] {
  let out = points.concat(batch.map((p) => Object.freeze(p)));
  while (out.length > max) {
    const last = out.length - 1;
    const keepEvals = evalCount(out) <= max / 2;
    out = out.filter((p, i) => i % 2 === 0 || i === last || (keepEvals && isEval(p)));
  }
  return out;
}

/** Points a chart draws at most (plus up to half as many evaluation points): each one is an SVG path segment recharts lays out per redraw. */
export const DISPLAY_POINTS = 150;

/** The most points forDisplay returns: every k-th, up to max/2 evaluation points, and the newest. */
export const displayBound = (max = DISPLAY_POINTS) => max + Math.floor(max / 2) + 1;

/**
 * At most displayBound(max) points for drawing (a chart is a few hundred pixels wide): every k-th,
 * the evaluation points between them (every j-th once there are more than max/2) and the newest.
 */
export function forDisplay<P extends SeriesPoint>(points: readonly P[], max = DISPLAY_POINTS): readonly P[] {
  if (points.length <= max) return Object.freeze([...points]);
  const stride = Math.ceil(points.length / max);
  const evalStride = Math.max(1, Math.ceil(evalCount(points) / Math.floor(max / 2)));
  const last = points.length - 1;
  let evals = 0;
  return Object.freeze(points.filter((p, i) => i % stride === 0 || i === last || (isEval(p) && evals++ % evalStride === 0)));
}
