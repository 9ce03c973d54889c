/**
 * A batch survives a reload: a 2-seed paper comparison (8 tiny runs on wasm) reloaded mid-batch
 * offers "Resume", which runs the rest (the interrupted run from its start) and completes the
 * table; the saved queue is gone once the batch ends.
 */
import { expect, test, tiny } from './fixtures';

/** Records in the page's IndexedDB store `name` (0 when the store does not exist). */
function storedCount(page: import('@playwright/test').Page, name: string): Promise<number> {
  return page.evaluate(
    (store) =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('distill-playground');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains(store)) return resolve(0);
          const count = db.transaction(store).objectStore(store).count();
          count.onsuccess = () => (db.close(), resolve(count.result));
          count.onerror = () => reject(count.error);
        };
      }),
    name,
  );
}

test('a paper comparison reloaded mid-batch resumes and completes its table', async ({ playground: pg }) => {
  test.setTimeout(120_000);
  await pg.open(tiny({ backend: 'wasm', steps: 2 }));
  await pg.backend();
  await pg.page.getByLabel('Seeds per setting (paper)').fill('2');
  await pg.button('Run paper comparison').click();
  const progress = pg.page.getByTestId('batch-progress-paper');
  await expect(progress).toHaveAttribute('data-total', '8');
  await expect.poll(async () => Number(await progress.getAttribute('data-done')), { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
  await expect.poll(() => pg.savedRunCount()).toBeGreaterThanOrEqual(2);

  await pg.page.reload();
  const cut = pg.page.getByTestId('batch-interrupted-paper');
  await expect(cut).toBeVisible();
  const done = Number(await cut.getAttribute('data-done'));
  expect(done).toBeGreaterThanOrEqual(2);
  expect(done).toBeLessThan(8);
  await expect(cut).toContainText(`Batch interrupted: ${done} of 8 runs done`);
  await expect(cut).toContainText(`restarts run ${done + 1} from its first step`);
  await expect(pg.runRows()).toHaveCount(done);
  await expect(pg.progress()).not.toHaveAttribute('data-status', /running|starting/); // nothing resumes by itself
  await pg.screenshot('batch-interrupted');

  await pg.backend();
  await cut.getByRole('button', { name: 'Resume' }).click();
  await expect(cut).toHaveCount(0);
  await expect(progress).toHaveAttribute('data-done', String(done));
  for (const method of ['none', 'mimic', 'mgd', 'kd']) {
    await expect(pg.page.locator(`[data-testid="paper-row"][data-method="${method}"]`)).toHaveAttribute('data-n', '2', { timeout: 60_000 });
  }
  await expect(progress).toHaveCount(0);
  await expect(pg.runRows()).toHaveCount(8);
  await expect(pg.field('method')).toHaveValue('mgd'); // the form's own config is back
  await expect.poll(() => storedCount(pg.page, 'batches')).toBe(0);
  const seeds = await pg.page.evaluate(() => window.__distill!.store.getState().runs.map((r) => `${r.config.seed}:${r.config.method}`));
  expect(seeds).toEqual(['1:none', '1:mimic', '1:mgd', '1:kd', '2:none', '2:mimic', '2:mgd', '2:kd']);
  await pg.screenshot('batch-resumed');
  expect(pg.consoleErrors).toEqual([]);
});

test('Discard drops an interrupted batch: the runs done stay, nothing is offered after the next reload', async ({ playground: pg }) => {
  await pg.open(tiny({ backend: 'wasm', steps: 2, method: 'kd' }));
  await pg.backend();
  await pg.page.getByLabel('Seeds per setting (paper)').fill('1');
  await pg.button('Run paper comparison').click();
  await expect.poll(() => pg.savedRunCount(), { timeout: 45_000 }).toBeGreaterThanOrEqual(1);
  await pg.page.reload();
  const cut = pg.page.getByTestId('batch-interrupted-paper');
  await cut.getByRole('button', { name: 'Discard' }).click();
  await expect(cut).toHaveCount(0);
  await expect(pg.field('method')).toHaveValue('kd'); // the config from before the batch
  await expect.poll(() => storedCount(pg.page, 'batches')).toBe(0);
  const kept = await pg.runRows().count();
  expect(kept).toBeGreaterThanOrEqual(1);
  await pg.page.reload();
  await expect(pg.runRows()).toHaveCount(kept);
  await expect(cut).toHaveCount(0);
  expect(pg.consoleErrors).toEqual([]);
});
