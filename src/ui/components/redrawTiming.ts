/**
 * Chart redraws in time: how often they may happen (REDRAW_MS), and each one marked on the page's
 * performance timeline as a `performance.measure('chart update')` (detail: the chart's id) from
 * the render that received new data to the first task after it. recharts finishes a redraw in
 * synchronous re-renders triggered by its own effects, so the whole redraw lies inside that span.
 * The e2e test tells long tasks caused by chart updates from others by overlap with these
 * measures; a measure per second per chart costs nothing.
 */
import { useEffect, useMemo } from 'react';
import { boundedMeasure } from '../timeline';

/**
 * Charts redraw at most this often (each on its own phase of this clock), from at most ~150
 * points: a redraw is the page's main cost while training.
 */
export const REDRAW_MS = 1000;

export const REDRAW_MEASURE = 'chart update';

export function useRedrawMeasure(id: string, data: unknown): void {
  // Recomputed only when `data` changes: the start of the render that draws it.
  const start = useMemo(() => performance.now(), [data]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    const end = setTimeout(() => boundedMeasure(REDRAW_MEASURE, { start, end: performance.now(), detail: id }));
    return () => clearTimeout(end);
  }, [id, start]);
}
