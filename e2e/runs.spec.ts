/**
 * Compare runs: the runs table, overlays and live-change markers on the charts, IndexedDB
 * persistence across a reload, and the one-click paper comparison. Tiny configs on forced wasm.
 */
import { expect, test, tiny } from './fixtures';

test('two runs are both kept; selected, they overlay on the charts', async ({ playground: pg }) => {
  await pg.open(tiny({ backend: 'wasm' }));
  await pg.backend();
  await pg.trainToEnd();
  await expect(pg.runRows()).toHaveCount(1);
  await pg.setField('seed', '2');
  await pg.trainToEnd();
  await expect(pg.runRows()).toHaveCount(2);
  await expect(pg.runRows().first()).toContainText('#2');
  await expect(pg.runRows().first()).toHaveAttribute('data-status', 'completed');
  await expect(pg.runRows().first()).toContainText(/\d+\.\d%/); // a test accuracy

  for (const row of await pg.runRows().all()) await row.getByRole('checkbox').check();
  // The live run (#2) is drawn once as the current run, #1 as an overlay: two difference lines.
  const difference = pg.page.getByTestId('chart-difference');
  await expect(difference).toHaveAttribute('data-overlays', '1');
  await expect(difference.locator('path.recharts-line-curve')).toHaveCount(2);
  const paths = await difference.locator('path.recharts-line-curve').evaluateAll((ps) => ps.map((p) => p.getAttribute('d') ?? ''));
  for (const d of paths) expect(d).toMatch(/^M[\d.,\s-]+(L[\d.,\s-]+){1,}/);
  expect(paths[0]).not.toBe(paths[1]); // different seeds, different curves
  await expect(difference).toContainText('#1 mgd s1');

  // A click on the first run's row puts its config (seed 1) back in the form.
  await pg.runRows().nth(1).getByText('#1').click();
  await expect(pg.field('seed')).toHaveValue('1');
  await pg.screenshot('runs-overlay');
  expect(pg.consoleErrors).toEqual([]);
});

test('α moved mid-run shows a marker on the charts and stays with the kept run', async ({ playground: pg }) => {
  // Paused mid-run (a quiet page on two busy cores), α edited, one step taken with it.
  await pg.pausedMidRun();
  await pg.setField('alpha', '0.002');
  await pg.button('Step').click();
  const loss = pg.page.getByTestId('chart-loss');
  await expect(loss).toHaveAttribute('data-markers', '1');
  await expect(loss.locator('.live-marker')).toHaveCount(1);
  await expect(loss).toContainText('α→0.002');
  await pg.screenshot('runs-marker');
  await pg.button('Stop').click();
  await expect(pg.runRows()).toHaveCount(1);
  await expect(pg.runRows().first()).toHaveAttribute('data-status', 'stopped');
  const kept = await pg.page.evaluate(() => window.__distill!.store.getState().runs[0]);
  expect(kept.config.alpha).toBe(0.00056); // the α it started with
  expect(kept.liveChanges).toEqual([expect.objectContaining({ param: 'alpha', value: 0.002 })]);
  expect(pg.consoleErrors).toEqual([]);
});

test('a reload keeps the runs table and the overlaid run', async ({ playground: pg }) => {
  await pg.open(tiny({ backend: 'wasm' }));
  await pg.backend();
  await pg.trainToEnd();
  await pg.runRows().first().getByRole('checkbox').check();
  await expect.poll(() => pg.savedRunCount()).toBe(1);
  await pg.page.reload();
  await expect(pg.runRows()).toHaveCount(1);
  await expect(pg.runRows().first()).toHaveAttribute('data-status', 'completed');
  await expect(pg.runRows().first().getByRole('checkbox')).toBeChecked();
  const difference = pg.page.getByTestId('chart-difference');
  await expect(difference).toHaveAttribute('data-points', '0'); // no live run after a reload…
  await expect(difference.locator('path.recharts-line-curve')).toHaveCount(1); // …the kept one is drawn
  await pg.screenshot('runs-reloaded');
  await pg.runRows().first().getByRole('button', { name: 'Delete run 1' }).click();
  await expect(pg.runRows()).toHaveCount(0);
  await expect.poll(() => pg.savedRunCount()).toBe(0);
  expect(pg.consoleErrors).toEqual([]);
});

test('the paper comparison with one seed fills the table for all four methods', async ({ playground: pg }) => {
  await pg.open(tiny({ backend: 'wasm', steps: 2 }));
  await pg.backend();
  await pg.page.getByLabel('Seeds per setting (paper)').fill('1');
  await pg.button('Run paper comparison').click();
  await expect(pg.page.getByTestId('batch-progress-paper')).toBeVisible();
  const rows = pg.page.getByTestId('paper-row');
  await expect(rows).toHaveCount(4);
  for (const method of ['none', 'mimic', 'mgd', 'kd']) {
    await expect(pg.page.locator(`[data-testid="paper-row"][data-method="${method}"]`)).toHaveAttribute('data-n', '1', { timeout: 50_000 });
  }
  await expect(pg.page.getByTestId('batch-progress-paper')).toHaveCount(0);
  await expect(pg.runRows()).toHaveCount(4);
  await expect(pg.page.locator('[data-testid="paper-row"][data-method="mgd"]')).toContainText('noise not measured');
  await expect(pg.page.getByTestId('paper-table')).toContainText('69.90');
  await expect(pg.field('method')).toHaveValue('mgd'); // the form's own config is back
  await pg.screenshot('runs-paper-comparison');
  expect(pg.consoleErrors).toEqual([]);
});

test('damaged saved runs are skipped with a notice; the page stays usable', async ({ playground: pg }) => {
  await pg.open(tiny({ backend: 'wasm' }));
  await expect(pg.page.getByText('No runs yet')).toBeVisible(); // the database now exists
  await pg.page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('distill-playground');
        open.onsuccess = () => {
          const tx = open.result.transaction('runs', 'readwrite');
          tx.objectStore('runs').put({ version: 1, run: { id: 'x', points: '<img src=x onerror=alert(1)>' } }, 'x');
          tx.objectStore('runs').put('not a record', 'y');
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
  await pg.page.reload();
  await expect(pg.page.getByTestId('persist-notice')).toHaveText(/Some saved runs were skipped: 2 damaged or unreadable/);
  await expect(pg.runRows()).toHaveCount(0);
  await expect(pg.button('Train')).toBeEnabled();
  await pg.screenshot('runs-damaged-storage');
  expect(pg.consoleErrors).toEqual([]);
});
