/**
 * Chart series kept bounded: a long run (100k steps) must not grow the page's memory or make
 * each chart redraw slower. Past MAX_POINTS, every other point is dropped, except evaluation
 * points (sparse, and the test-accuracy curve needs them all) and the newest.
 *
 * Points and drawn arrays are frozen: they never change, and recharts' dev-build Redux
 * invariant check skips frozen data instead of walking it on every action (it otherwise took
 * most of the main thread while training).
 */
import type { MetricsPoint } from '../../worker/protocol';

export const MAX_POINTS = 1500;

export function appendThinned<P extends Pick<MetricsPoint, 'step' | 'testAcc'>>(points: readonly P[], batch: readonly P[], max = MAX_POINTS): P[] {
  let out = points.concat(batch.map((p) => Object.freeze(p)));
  while (out.length > max) {
    const last = out.length - 1;
    const thinned = out.filter((p, i) => i % 2 === 0 || p.testAcc !== undefined || i === last);
    if (thinned.length === out.length) break; // only evaluation points left
    out = thinned;
  }
  return out;
}

/** Points a chart draws at most: each one is an SVG path segment recharts lays out per redraw. */
export const DISPLAY_POINTS = 150;

/** At most about `max` points for drawing (a chart is a few hundred pixels wide): every k-th, evaluation points and the newest. */
export function forDisplay<P extends Pick<MetricsPoint, 'step' | 'testAcc'>>(points: readonly P[], max = DISPLAY_POINTS): readonly P[] {
  if (points.length <= max) return Object.freeze([...points]);
  const stride = Math.ceil(points.length / max);
  const last = points.length - 1;
  return Object.freeze(points.filter((p, i) => i % stride === 0 || p.testAcc !== undefined || i === last));
}
