/**
 * "Opening a link restores the form exactly and a Train reproduces the run (same backend → same
 * numbers)": a tiny MGD link on wasm trained in one browser context, then opened and trained
 * again in a fresh context (no shared storage, a new worker), must give identical metrics at
 * every step — the seeded init, data order and masks are what make that so.
 */
import type { Browser } from '@playwright/test';
import { Playground, expect, test, tiny } from './fixtures';

/** Pixel mask with λ > 0 and a periodic evaluation, so init, order, mask and test subset all count. */
const LINK = tiny({ backend: 'wasm', method: 'mgd', steps: 4, eval: 2, seed: 7, lambda: 0.5 });

/** Everything a run produces that is not a timing. */
async function trainLink(browser: Browser) {
  const context = await browser.newContext();
  const pg = new Playground(await context.newPage());
  await pg.open(LINK);
  await pg.backend();
  await pg.trainToEnd();
  const { points, summary, status } = await pg.page.evaluate(() => {
    const s = window.__distill!.store.getState();
    return { points: s.points, summary: s.summary, status: s.status };
  });
  expect(status).toBe('done');
  expect(pg.consoleErrors).toEqual([]);
  await context.close();
  return {
    points: points.map(({ stepMs: _ms, ...p }) => p),
    final: { reason: summary!.reason, steps: summary!.steps, testAcc: summary!.testAcc, trainAcc: summary!.trainAcc, ...(summary!.pipeline === 'distill' && { loss: summary!.loss, alphaHint: summary!.alphaHint }) },
  };
}

test('a shared link trained in two fresh pages gives the same numbers at every step', async ({ browser }) => {
  const first = await trainLink(browser);
  expect(first.points.map((p) => p.step)).toEqual([1, 2, 3, 4]);
  expect(first.points[1].testAcc).toBeGreaterThanOrEqual(0); // the periodic evaluation ran
  expect(first.final.reason).toBe('completed');
  const second = await trainLink(browser);
  expect(second).toEqual(first); // exact: same backend, same seed
});
