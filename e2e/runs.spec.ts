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

test('runs exported here import in another browser and overlay; a hostile runs file is cleaned or rejected with a message, its markup inert', async ({ playground: pg, browser }) => {
  await pg.open(tiny({ backend: 'wasm' }));
  await pg.backend();
  await pg.trainToEnd();
  const [file] = await pg.downloads(() => pg.button('Export runs').click());
  expect(file.name).toBe('distill-runs.json');
  const exported = JSON.parse(file.bytes.toString('utf8'));
  expect(exported.runs).toHaveLength(1);

  // Another browser: a fresh context has its own IndexedDB, with no runs.
  const other = await browser.newContext();
  const page = await other.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(`/?${tiny({ backend: 'wasm' })}`);
  await expect(page.getByText('No runs yet')).toBeVisible();
  const input = page.getByTestId('import-runs-input');
  await input.setInputFiles({ name: file.name, mimeType: 'application/json', buffer: file.bytes });
  await expect(page.getByTestId('import-message')).toHaveText(/^Imported 1 of 1 runs\./);
  const rows = page.getByTestId('run-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-status', 'completed');
  await rows.first().getByRole('checkbox').check();
  await expect(page.getByTestId('chart-difference')).toHaveAttribute('data-overlays', '1');
  // Kept there: a reload of the other browser still has it.
  await page.reload();
  await expect(page.getByTestId('run-row')).toHaveCount(1);

  // A hostile file: markup in the error text, a prototype-pollution key, an impossible accuracy, a foreign record.
  const good = exported.runs[0];
  const hostile = {
    format: exported.format, version: exported.version, exportedAt: 1,
    runs: [
      { ...good, run: { ...good.run, status: 'failed', error: '<img src=x onerror="window.__pwned=1">', testAcc: 42 } },
      { version: good.version, run: { id: 'x', points: '<script>window.__pwned=1</script>' } },
    ],
  };
  const text = JSON.stringify(hostile).replace('"config":{', '"config":{"__proto__":{"polluted":true},');
  await input.setInputFiles({ name: 'hostile.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  await expect(page.getByTestId('import-message')).toHaveText('Imported 1 of 2 runs. Rejected 1: #2 (damaged or not a run). Cleaned 1: #1 (test acc 42 is not an accuracy).');
  await expect(page.getByTestId('run-row')).toHaveCount(2);
  const failed = page.locator('[data-testid="run-row"][data-status="failed"]');
  await expect(failed.locator('.run-status')).toHaveAttribute('title', '<img src=x onerror="window.__pwned=1">'); // text, not markup
  expect(await page.locator('.runs img, .runs script').count()).toBe(0);
  expect(await page.evaluate(() => [(window as { __pwned?: number }).__pwned, ({} as { polluted?: boolean }).polluted])).toEqual([undefined, undefined]);

  // Not a runs file at all.
  await input.setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": 1}') });
  await expect(page.getByTestId('import-message')).toHaveText('No runs imported: the file is not a runs file of this playground.');
  await expect(page.getByTestId('run-row')).toHaveCount(2);
  expect(errors).toEqual([]);
  await other.close();
  expect(pg.consoleErrors).toEqual([]);
});

test('the loss chart draws the run\'s learning-rate schedule; a link of before opens with a constant lr', async ({ playground: pg }) => {
  await pg.open(`v=2&${tiny({ backend: 'wasm', steps: 6, lrSchedule: 'step', lrEvery: 2, lrGamma: 0.5, warmup: 1 })}`);
  await expect(pg.field('lrSchedule')).toHaveValue('step');
  // A step schedule with Adam reads neither cosine's floor nor SGD's momentum: dimmed with the unread fields.
  const unread = pg.page.getByTestId('unused-training');
  for (const key of ['lrFloor', 'momentum']) await expect(unread.locator(`#field-${key}`)).toHaveCount(1);
  for (const key of ['lrEvery', 'lrGamma', 'warmup', 'wd']) await expect(unread.locator(`#field-${key}`)).toHaveCount(0);
  await pg.backend();
  await pg.trainToEnd();
  const loss = pg.page.getByTestId('chart-loss');
  const line = loss.getByTestId('lr-line');
  await expect(line).toHaveAttribute('data-schedule', 'step');
  await expect(loss).toContainText('lr (step, 1 warm-up)');
  await expect(loss).toHaveAttribute('data-points', '6'); // the charts redraw on a throttle
  // lr, lr, lr, ½lr, ½lr, ¼lr over steps 1…6: three levels, the highest at the plot's top, all inside it.
  const drawn = () =>
    loss.evaluate((fig) => {
      const clip = fig.querySelector('clipPath rect')!;
      const d = fig.querySelector('[data-testid="lr-line"] path')!.getAttribute('d')!;
      const ys = d.slice(1).split('L').map((v) => Number(v.split(',')[1]));
      const levels = [...new Set(ys.map((y) => Math.round(y)))].sort((a, b) => a - b);
      return levels.map((y) => (y - Number(clip.getAttribute('y'))) / Number(clip.getAttribute('height')));
    });
  await expect.poll(async () => (await drawn()).map((f) => Math.round(f * 100) / 100)).toEqual([0, 0.5, 0.75]);
  await pg.screenshot('runs-lr-schedule');

  await pg.open(tiny({ backend: 'wasm' })); // no v: written before the recipe
  await expect(pg.field('lrSchedule')).toHaveValue('constant');
  expect(pg.consoleErrors).toEqual([]);
});
