/**
 * The page's main thread while it trains, as the quality bar and the soak measure it: every long
 * task and long animation frame from a start point on (the first training step, or a later
 * window), and the chart redraws (`performance.measure(REDRAW_MEASURE)`) they overlapped, with the
 * main thread's CPU time in each from a trace (on a loaded machine a task can last 50 ms while its
 * thread waits for a core).
 */
import type { Page } from '@playwright/test';
import { taskCpuMs } from '../scripts/bench/longTaskTrace';
import { REDRAW_MEASURE } from '../src/ui/components/redrawTiming';

export interface FrameScript { sourceURL: string; invoker: string; duration: number }
export interface Frame { startTime: number; duration: number; blockingDuration: number; scripts: FrameScript[] }
export interface Span { startTime: number; duration: number }
declare global {
  interface Window {
    __longTasks?: Span[];
    __frames?: Frame[];
    __firstStepAt?: number;
  }
}

/** Trace categories that chartUpdates needs (the tasks' CPU time, the measures' clock). */
export const CHART_TRACE_CATEGORIES = ['toplevel', 'blink.user_timing'];

/** The q-quantile of `xs`, ms to 0.1. */
export const quantile = (xs: number[], q: number) => Math.round([...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] * 10) / 10;

/**
 * Installed before the page loads: from the first training step on (start-up module loading is
 * not an update; no round trip to the page is needed while it trains), every long task and every
 * long animation frame, with its scripts. `restartWindow` moves the start point to now.
 */
export function recordMainThread(): void {
  window.__longTasks = [];
  window.__frames = [];
  new MutationObserver(() => {
    const step = Number(document.querySelector('[data-testid="progress"]')?.getAttribute('data-step'));
    if (step >= 1 && window.__firstStepAt === undefined) window.__firstStepAt = performance.now();
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-step'] });
  const since = (e: PerformanceEntry) => window.__firstStepAt !== undefined && e.startTime >= window.__firstStepAt;
  new PerformanceObserver((l) => l.getEntries().filter(since).forEach((e) => window.__longTasks!.push({ startTime: e.startTime, duration: e.duration }))).observe({ type: 'longtask' });
  new PerformanceObserver((l) =>
    l.getEntries().filter(since).forEach((e) => {
      const f = e as PerformanceEntry & { blockingDuration: number; scripts: FrameScript[] };
      window.__frames!.push({ startTime: f.startTime, duration: f.duration, blockingDuration: f.blockingDuration, scripts: f.scripts.map((s) => ({ sourceURL: s.sourceURL, invoker: s.invoker, duration: s.duration })) });
    }),
  ).observe({ type: 'long-animation-frame' });
}

/** Starts recordMainThread's window afresh: what came before (the first few hundred steps of a long run) is left out. */
export async function restartWindow(page: Page): Promise<void> {
  await page.evaluate(() => {
    window.__longTasks = [];
    window.__frames = [];
    window.__firstStepAt = performance.now();
  });
}

export interface ChartUpdates {
  steps: number;
  /** Each chart's redraws (ms from new points to the task after their commit), by chart id. */
  updates: Record<string, number[]>;
  longTasks: number[];
  /** Long tasks overlapping a chart update: wall ms, and the main thread's CPU ms in them from a trace. */
  overlapping: { ms: number; cpuMs: number | null }[];
}

/**
 * The chart updates of the window so far and the long tasks that overlapped them; `stopTrace`
 * stops the trace recorded over the window with CHART_TRACE_CATEGORIES (after the page is read).
 */
export async function chartUpdates(page: Page, stopTrace: () => Promise<Buffer>): Promise<ChartUpdates> {
  const steps = Number(await page.getByTestId('progress').getAttribute('data-step'));
  const { longTasks, updates } = await page.evaluate(
    (name) => ({
      longTasks: window.__longTasks!,
      updates: performance
        .getEntriesByName(name)
        .filter((m) => m.startTime >= window.__firstStepAt!)
        .map((m) => ({ chart: String((m as PerformanceMeasure).detail), startTime: m.startTime, duration: m.duration })),
    }),
    REDRAW_MEASURE,
  );
  const trace = JSON.parse((await stopTrace()).toString());
  // A long task belongs to a chart update when their spans overlap; a measure runs from the
  // render that got the new points to the first task after its commit, so it covers the redraw.
  const overlaps = (t: Span, u: Span) => t.startTime < u.startTime + u.duration && u.startTime < t.startTime + t.duration;
  const overlapping = longTasks.filter((t) => updates.some((u) => overlaps(t, u)));
  const cpuMs = taskCpuMs(trace, REDRAW_MEASURE, overlapping);
  const byChart: Record<string, number[]> = {};
  for (const u of updates) (byChart[u.chart] ??= []).push(u.duration);
  return {
    steps,
    updates: byChart,
    longTasks: longTasks.map((t) => Math.round(t.duration)),
    overlapping: overlapping.map((t, i) => ({ ms: Math.round(t.duration), cpuMs: cpuMs[i] === undefined ? null : Math.round(cpuMs[i]!) })),
  };
}

/** Long tasks that broke the bar: overlapping a chart update with over 50 ms of main-thread CPU (or no CPU figure). */
export const chartLongTasks = (u: ChartUpdates) => u.overlapping.filter((t) => t.cpuMs === null || t.cpuMs > 50);
