/**
 * Quality bar: the main thread stays responsive while training (long tasks measured with a
 * PerformanceObserver; on the production build none over 50 ms overlaps a chart update, each
 * chart's redraw being a performance.measure), the page
 * reads at 1280×800 and at 390 px in light and dark schemes, every control is labelled and
 * reachable by keyboard, and the form works before the worker has loaded tfjs.
 */
import type { Browser } from '@playwright/test';
import { expect, type Playground, test, tiny } from './fixtures';
import { CHART_TRACE_CATEGORIES, type ChartUpdates, chartLongTasks, chartUpdates, quantile, recordMainThread } from './mainThread';
import { type ProductionSite, productionSite } from './productionSite';

/** Sources of the page's own update work: the worker client (its onmessage runs the store and React renders), React, recharts. */
const UI_SOURCE = /\/src\/ui\/|\/src\/worker\/client|recharts|react-dom|zustand/;

test('training: feature-map drawing stays far below 50 ms; long tasks while training measured and reported', async ({ playground: pg }) => {
  await pg.page.addInitScript(recordMainThread);
  await pg.open(tiny({ backend: 'wasm', method: 'mgd', steps: 5000 }));
  await pg.backend();
  await pg.button('Train').click();
  await expect.poll(() => pg.step(), { timeout: 40_000 }).toBeGreaterThanOrEqual(1);
  await pg.page.waitForTimeout(8_000); // ~8 chart redraws, ~5 feature snapshots of 7 maps
  const step = await pg.step();
  const { longTasks, frames, draws } = await pg.page.evaluate(() => ({
    longTasks: window.__longTasks!.map((t) => t.duration),
    frames: window.__frames!,
    draws: performance.getEntriesByName('feature-map draw').filter((m) => m.startTime >= window.__firstStepAt!).map((m) => m.duration),
  }));

  // Long frames are entered from the worker's messages (store update → React render of the
  // charts and the feature maps); a CPU profile of this run puts nearly all of it in recharts
  // and React's development build, the feature maps' drawing is measured on its own below.
  const updateScript = frames.map((f) => f.scripts.filter((s) => UI_SOURCE.test(s.sourceURL)).reduce((a, s) => a + s.duration, 0));
  const report = {
    steps: step,
    longTasks: longTasks.length,
    longestTaskMs: Math.round(Math.max(0, ...longTasks)),
    updateFramesOver50: updateScript.filter((ms) => ms > 50).length,
    longestUpdateScriptMs: Math.round(Math.max(0, ...updateScript)),
    featureMapDraws: draws.length,
    featureMapDrawMs: { median: quantile(draws, 0.5), p95: quantile(draws, 0.95), max: quantile(draws, 1) },
  };
  test.info().annotations.push({ type: 'main-thread', description: JSON.stringify(report) });
  console.log('main thread while training:', JSON.stringify(report));
  expect(step).toBeGreaterThan(5); // the page really was updating
  expect(draws.length).toBeGreaterThanOrEqual(7); // at least one snapshot's seven maps
  // Drawing one map costs well under a millisecond; the tail is the thread being preempted on a
  // loaded machine (two cores shared with the worker and the GPU process), hence p95, not max.
  expect(quantile(draws, 0.5), 'median feature-map draw, ms').toBeLessThan(5);
  expect(quantile(draws, 0.95), '95th percentile feature-map draw, ms').toBeLessThan(50);
});

/**
 * Opens `query` on the production build, trains, runs `during` (after 5 s) and waits 10 s in all;
 * returns the chart updates seen from the first step on and the long tasks that overlapped them.
 */
async function chartUpdatesWhileTraining(pg: Playground, browser: Browser, url: string, during?: () => Promise<void>): Promise<ChartUpdates> {
  await pg.page.addInitScript(recordMainThread);
  await pg.page.goto(url);
  await pg.backend();
  // Tasks' CPU time: on a loaded machine a task can last 50 ms while its thread waits for a core.
  await browser.startTracing(pg.page, { categories: CHART_TRACE_CATEGORIES });
  await pg.button('Train').click();
  await expect.poll(() => pg.step(), { timeout: 40_000 }).toBeGreaterThanOrEqual(1);
  await pg.page.waitForTimeout(5_000);
  await during?.();
  await pg.page.waitForTimeout(5_000);
  return chartUpdates(pg.page, () => browser.stopTracing());
}

/**
 * Asserts the bar: each chart redrew at least 5 times in the 10 s, and no long task overlapping a
 * chart update ran more than 50 ms of CPU. Long tasks the trace shows under 50 ms of CPU were the
 * OS giving the core to another process (load from outside the page), not chart work; on an idle
 * machine CPU and wall time agree and this is exactly "no long task overlaps a chart update".
 */
function expectNoChartLongTasks(result: ChartUpdates, charts: readonly string[]): void {
  const report = {
    ...result,
    updates: Object.fromEntries(Object.entries(result.updates).map(([c, ms]) => [c, { n: ms.length, median: quantile(ms, 0.5), max: quantile(ms, 1) }])),
  };
  test.info().annotations.push({ type: 'chart updates', description: JSON.stringify(report) });
  console.log('chart updates while training (production build):', JSON.stringify(report));
  expect(result.steps).toBeGreaterThan(5); // the run really streamed
  for (const c of charts) expect(result.updates[c]?.length ?? 0, `${c} redraws in 10 s`).toBeGreaterThanOrEqual(5);
  expect(chartLongTasks(result), 'long tasks overlapping a chart update (wall ms, CPU ms)').toEqual([]);
}

/**
 * Chart updates, on the production build: in the dev build React logs every component render
 * with a diff of its props (performance.measure) and recharts' store runs invariant checks, several
 * times the redraw itself. The block builds and serves the page as `npm start` does (./productionSite).
 */
test.describe('production build', () => {
  let site: ProductionSite | undefined;
  const url = (query: string) => site!.url(query);
  test.beforeAll(async () => {
    test.setTimeout(180_000); // a build on two busy cores
    site = await productionSite();
  });
  test.afterAll(async () => {
    await site?.close();
  });

  test('the production build runs wasm on one thread per core (its pthreads start from the minified bundle)', async ({ playground: pg }) => {
    await pg.page.goto(url(tiny({ backend: 'wasm' })));
    expect(await pg.backend()).toBe('wasm');
    const cores = await pg.page.evaluate(() => navigator.hardwareConcurrency);
    await expect(pg.badge()).toHaveAttribute('data-threads', String(Math.min(cores, 8)));
    expect(pg.consoleErrors).toEqual([]);
  });

  test('while an MGD run trains and the charts stream, no long task over 50 ms overlaps a chart update', async ({ playground: pg, browser }) => {
    const result = await chartUpdatesWhileTraining(pg, browser, url(tiny({ backend: 'wasm', method: 'mgd', steps: 5000 })), async () => {
      await pg.setField('alpha', '0.002'); // a live change: a marker on every chart, each on its own redraw
    });
    await expect(pg.page.getByTestId('chart-loss')).toHaveAttribute('data-markers', '1');
    expectNoChartLongTasks(result, ['loss', 'difference', 'accuracy']);
    expect(pg.consoleErrors).toEqual([]);
  });

  test('while H-GKD distils and its charts stream, no long task over 50 ms overlaps a chart update', async ({ playground: pg, browser }) => {
    const query = tiny({ backend: 'wasm', method: 'hgkd', mimTeacher: 'vit-mim', batch: 4, subset: 16, queue: 16, steps: 5000, ftSteps: 2 });
    const result = await chartUpdatesWhileTraining(pg, browser, url(query));
    expectNoChartLongTasks(result, ['hgkd-mse', 'hgkd-sim', 'hgkd-pearson']);
    expect(pg.consoleErrors).toEqual([]);
  });
});

test('layout at 1280×800 and 390 px wide, light and dark', async ({ playground: pg }) => {
  await pg.page.setViewportSize({ width: 1280, height: 800 });
  await pg.open(tiny({ backend: 'wasm', steps: 3 }));
  await pg.backend();
  await pg.button('Train').click();
  await expect(pg.page.getByTestId('feature-maps')).toHaveAttribute('data-step', '3', { timeout: 45_000 });
  const background = () => pg.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  for (const scheme of ['light', 'dark'] as const) {
    await pg.page.emulateMedia({ colorScheme: scheme });
    for (const width of [1280, 390]) {
      await pg.page.setViewportSize({ width, height: 800 });
      // Nothing wider than the window: no sideways scrolling on a phone. Polled: right after a
      // resize, a chart keeps its old width until its ResizeObserver fires (390 → 1280 px once
      // left a 322 px chart in a 290 px column for a frame); the layout it settles to is the bar.
      await expect.poll(() => pg.page.evaluate(() => document.documentElement.scrollWidth), { timeout: 5_000 }).toBeLessThanOrEqual(width);
      await pg.page.screenshot({ path: `e2e/screenshots/quality-${width}-${scheme}.png`, fullPage: width === 390 });
    }
  }
  await pg.page.emulateMedia({ colorScheme: 'light' });
  const light = await background();
  await pg.page.emulateMedia({ colorScheme: 'dark' });
  expect(await background()).not.toBe(light);
  expect(pg.consoleErrors).toEqual([]);
});

test('the form works before the worker has tfjs up; every control is labelled and reachable by Tab', async ({ playground: pg }) => {
  // The worker's script is held back until the form has been used: on the bundled build the
  // worker has tfjs up in under 2 s, sooner than the edits below would otherwise be made.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await pg.page.route(/\/(assets\/worker-[^/]+\.js|src\/worker\/worker\.ts)/, async (route) => {
    await held;
    await route.continue();
  });
  await pg.open(tiny({ backend: 'wasm' }));
  // The page renders and takes edits while the worker is still loading tfjs and its wasm.
  await pg.setField('steps', '7');
  await expect(pg.page).toHaveURL(/steps=7/);
  await expect(pg.badge()).toHaveAttribute('data-backend', '');
  expect(await pg.page.locator('script[src*="tensorflow"], link[href*="tensorflow"]').count()).toBe(0);
  release();
  await pg.backend();
  const unlabelled = await pg.page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('input, select, button, textarea')]
      .filter((el) => el.offsetParent !== null)
      .filter((el) => {
        const labels = (el as HTMLInputElement).labels;
        const name = el.getAttribute('aria-label') || (labels && labels.length > 0 ? labels[0].textContent : '') || (el.tagName === 'BUTTON' ? el.textContent : '');
        return !name?.trim() && !el.closest('label');
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );
  expect(unlabelled).toEqual([]);

  await pg.page.evaluate(() => {
    const w = window as { __focused?: string[] };
    w.__focused = [];
    document.addEventListener('focusin', (e) => {
      const el = e.target as HTMLElement;
      w.__focused!.push(el.id || el.getAttribute('aria-label') || el.textContent?.trim() || el.tagName);
    });
  });
  for (let i = 0; i < 120; i++) await pg.page.keyboard.press('Tab');
  const reached = new Set(await pg.page.evaluate(() => (window as { __focused?: string[] }).__focused!));
  for (const name of ['Copy link', 'field-alpha', 'MGD weight α slider (log scale)', 'Mask ratio λ slider', 'Train', 'field-method', 'snapshot-index']) {
    expect(reached, `${name} is reachable with Tab`).toContain(name);
  }
  expect(pg.consoleErrors).toEqual([]);
});
