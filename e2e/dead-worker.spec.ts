/**
 * A worker that dies: crashed (an uncaught error in it), or killed without a word as the browser
 * does when it runs out of memory (only the client's watchdog notices the silence). Either way
 * the page says so in plain words, keeps the run's points as an "interrupted" row (and exports
 * them), brings up a fresh worker (the badge comes back) and Train works again; a batch waits
 * for Resume as after a reload. Dev hooks: the client's fault injection, killWorker and watchdog.
 */
import { type Playground, expect, test, tiny } from './fixtures';

/** Trains until at least `steps` steps are on the charts. */
async function trainUntil(pg: Playground, steps: number): Promise<void> {
  await pg.button('Train').click();
  await expect.poll(() => pg.step(), { timeout: 40_000 }).toBeGreaterThanOrEqual(steps);
}

async function expectInterrupted(pg: Playground, cause: RegExp): Promise<number> {
  const banner = pg.page.getByTestId('error-banner');
  await expect(banner).toHaveAttribute('data-kind', 'worker-lost', { timeout: 15_000 });
  await expect(banner).toContainText('Training worker lost');
  await expect(banner).toContainText(cause);
  await expect(banner).toContainText("A fresh worker has started; the run's points so far are kept.");
  const row = pg.runRows().first();
  await expect(row).toHaveAttribute('data-status', 'interrupted');
  await expect(row.locator('.run-status')).toHaveText('interrupted');
  const kept = (await pg.points()).length;
  expect(kept).toBeGreaterThanOrEqual(2);
  expect(await pg.backend()).toBe('wasm'); // the fresh worker is up
  return kept;
}

test('a crashed worker: the run is kept as interrupted, exports, and Train works on a fresh worker', async ({ playground: pg }) => {
  test.setTimeout(120_000);
  await pg.open(tiny({ backend: 'wasm', steps: 5000 }));
  await pg.backend();
  await trainUntil(pg, 3);
  await pg.page.evaluate(() => window.__distill!.client.injectFault('crash'));
  const kept = await expectInterrupted(pg, /the training worker crashed: .*injected crash/);
  pg.consoleErrors.length = 0; // the crash itself is logged

  const [json] = await pg.downloads(() => pg.button('Metrics JSON').click());
  expect(JSON.parse(json.bytes.toString('utf8')).points).toHaveLength(kept);

  await pg.setField('steps', '3');
  await pg.trainToEnd();
  await expect(pg.progress()).toHaveAttribute('data-status', 'done');
  await expect(pg.runRows()).toHaveCount(2);
  expect(pg.consoleErrors).toEqual([]);
});

test('a worker killed without a word: the watchdog notices, and an interrupted batch resumes', async ({ playground: pg }) => {
  test.setTimeout(150_000);
  await pg.open(tiny({ backend: 'wasm', steps: 60 }));
  await pg.backend();
  await pg.page.getByLabel('Seeds per setting (paper)').fill('1');
  await pg.button('Run paper comparison').click();
  const progress = pg.page.getByTestId('batch-progress-paper');
  await expect(progress).toHaveAttribute('data-total', '4');
  await expect.poll(() => pg.step(), { timeout: 40_000 }).toBeGreaterThanOrEqual(3);
  // Shortened once steps stream (a start on two busy cores can be quiet for longer); applies from the next event.
  await pg.page.evaluate(() => (window.__distill!.client.watchdog.ms = 4000));
  const at = await pg.step();
  await expect.poll(() => pg.step()).not.toBe(at); // re-armed with the short wait
  const killedAt = Date.now();
  await pg.page.evaluate(() => window.__distill!.client.killWorker());
  await expectInterrupted(pg, /stopped answering \(no word from it in 4 s while the run was active/);
  const recoveredInMs = Date.now() - killedAt;
  test.info().annotations.push({ type: 'recovery', description: `${recoveredInMs} ms from the kill to the fresh worker's ready (watchdog 4 s)` });
  console.log(`dead worker: ${recoveredInMs} ms from the kill to a fresh worker (watchdog 4 s)`);
  await pg.page.evaluate(() => (window.__distill!.client.watchdog.ms = 180_000)); // starts on busy cores can be quiet for longer

  const cut = pg.page.getByTestId('batch-interrupted-paper');
  await expect(cut).toBeVisible();
  const done = Number(await cut.getAttribute('data-done'));
  expect(done).toBeLessThan(4);
  await expect(cut).toContainText(`Batch interrupted: ${done} of 4 runs done. Resume restarts run ${done + 1} from its first step.`);
  await expect(pg.progress()).not.toHaveAttribute('data-status', /running|starting/); // nothing resumes by itself
  await cut.getByRole('button', { name: 'Resume' }).click();
  for (const method of ['none', 'mimic', 'mgd', 'kd']) {
    await expect(pg.page.locator(`[data-testid="paper-row"][data-method="${method}"]`)).toHaveAttribute('data-n', '1', { timeout: 90_000 });
  }
  await expect(pg.runRows()).toHaveCount(5); // the interrupted run and the four of the batch
  expect(pg.consoleErrors).toEqual([]);
});
