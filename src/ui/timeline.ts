/**
 * Performance measures that stay bounded: the page marks each chart redraw and feature-map draw
 * on the performance timeline (the e2e and DevTools read them), and browsers keep user-timing
 * entries without limit. Past MAX_MEASURES of one name the old ones are cleared, so a 100,000-step
 * run (three measures a second for hours) does not grow the timeline forever; a test reads a
 * window of seconds to minutes, far below the bound.
 */
export const MAX_MEASURES = 5000;

const counts = new Map<string, number>();

export function boundedMeasure(name: string, options: PerformanceMeasureOptions): void {
  performance.measure(name, options);
  const n = (counts.get(name) ?? 0) + 1;
  if (n < MAX_MEASURES) {
    counts.set(name, n);
    return;
  }
  performance.clearMeasures(name);
  counts.set(name, 0);
}
