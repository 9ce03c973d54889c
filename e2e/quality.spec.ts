/**
 * Quality bar: the main thread stays responsive while training (long tasks measured with a
 * PerformanceObserver, and attributed through Long Animation Frame script timings), the page
 * reads at 1280×800 and at 390 px in light and dark schemes, every control is labelled and
 * reachable by keyboard, and the form works before the worker has loaded tfjs.
 */
import { expect, test, tiny } from './fixtures';

interface FrameScript { sourceURL: string; invoker: string; duration: number }
interface Frame { startTime: number; duration: number; blockingDuration: number; scripts: FrameScript[] }
declare global {
  interface Window {
    __longTasks?: number[];
    __frames?: Frame[];
    __firstStepAt?: number;
  }
}

/** The q-quantile of `xs`, ms to 0.1. */
const quantile = (xs: number[], q: number) => Math.round([...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] * 10) / 10;

/** Sources of the page's own update work: the worker client (its onmessage runs the store and React renders), React, recharts. */
const UI_SOURCE = /\/src\/ui\/|\/src\/worker\/client|recharts|react-dom|zustand/;

test('training: feature-map drawing stays far below 50 ms; long tasks while training measured and reported', async ({ playground: pg }) => {
  await pg.page.addInitScript(() => {
    window.__longTasks = [];
    window.__frames = [];
    // From the first step on (start-up module loading is not an update); no round trip to the
    // page is needed while it trains.
    new MutationObserver(() => {
      const step = Number(document.querySelector('[data-testid="progress"]')?.getAttribute('data-step'));
      if (step >= 1 && window.__firstStepAt === undefined) window.__firstStepAt = performance.now();
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-step'] });
    const since = (e: PerformanceEntry) => window.__firstStepAt !== undefined && e.startTime >= window.__firstStepAt;
    new PerformanceObserver((l) => l.getEntries().filter(since).forEach((e) => window.__longTasks!.push(e.duration))).observe({ type: 'longtask' });
    new PerformanceObserver((l) =>
      l.getEntries().filter(since).forEach((e) => {
        const f = e as PerformanceEntry & { blockingDuration: number; scripts: FrameScript[] };
        window.__frames!.push({ startTime: f.startTime, duration: f.duration, blockingDuration: f.blockingDuration, scripts: f.scripts.map((s) => ({ sourceURL: s.sourceURL, invoker: s.invoker, duration: s.duration })) });
      }),
    ).observe({ type: 'long-animation-frame' });
  });
  await pg.open(tiny({ backend: 'wasm', method: 'mgd', steps: 5000 }));
  await pg.backend();
  await pg.button('Train').click();
  await expect.poll(() => pg.step(), { timeout: 40_000 }).toBeGreaterThanOrEqual(1);
  await pg.page.waitForTimeout(8_000); // ~8 chart redraws, ~5 feature snapshots of 7 maps
  const step = await pg.step();
  const { longTasks, frames, draws } = await pg.page.evaluate(() => ({
    longTasks: window.__longTasks!,
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
      // Nothing wider than the window: no sideways scrolling on a phone.
      expect(await pg.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
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
  await pg.open(tiny({ backend: 'wasm' }));
  // The page renders and takes edits while the worker is still loading tfjs and its wasm.
  await pg.setField('steps', '7');
  await expect(pg.page).toHaveURL(/steps=7/);
  await expect(pg.badge()).toHaveAttribute('data-backend', '');
  expect(await pg.page.locator('script[src*="tensorflow"], link[href*="tensorflow"]').count()).toBe(0);
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
