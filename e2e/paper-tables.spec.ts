/**
 * The paper tables in the page: every committed results file (public/results) is shown beside
 * the paper's numbers exactly as the core summarises it, with its reading; a table with no
 * results says how to make them; a hostile results file is refused by field and its markup never
 * runs; "Run it here" queues the table's runs on the page's own worker.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describeRow, parseTableResult, readTable } from '../src/core/compare/tableResult';
import { paperTable } from '../src/core/compare/tables';
import { Playground, expect, test } from './fixtures';

const RESULTS = path.join(process.cwd(), 'public', 'results');

test('every shipped results file shows beside the paper, as the core summarises and reads it', async ({ page }) => {
  const files = (await readdir(RESULTS)).filter((f) => f.endsWith('.json'));
  expect(files.length).toBeGreaterThan(0);
  const pg = new Playground(page);
  await pg.open();
  const view = page.getByTestId('paper-table-view');
  for (const file of files) {
    const result = parseTableResult(JSON.parse(await readFile(path.join(RESULTS, file), 'utf8')));
    const table = paperTable(result.table);
    await page.getByLabel('Paper table', { exact: true }).selectOption(table.id);
    await expect(view).toHaveAttribute('data-table', table.id);
    await expect(page.getByTestId('table-shipped-caption')).toContainText(`Shipped: ${result.steps} steps`);
    for (const row of result.rows) {
      const tr = view.locator(`tr[data-row="${row.key}"]`);
      await expect(tr).toHaveAttribute('data-n', String(row.runs.length));
      await expect(tr.locator('td').nth(1)).toHaveText(row.paper?.toFixed(2) ?? '–');
      await expect(tr.locator('td').nth(2)).toHaveText(describeRow(row));
      if (row.mean !== null) await expect(tr.locator('.bar-shipped circle')).toHaveCount(1);
    }
    await expect(page.getByTestId('table-reading').locator('li')).toHaveText(readTable(table, result.rows));
    if (table.id === 'mgd-t1') {
      // The paper comparison shows them too before any run of one's own.
      const none = result.rows.find((r) => r.key === 'none')!;
      await expect(page.getByTestId('paper-shipped-preview')).toContainText(`none ${describeRow(none)}`);
    }
  }
  expect(pg.consoleErrors).toEqual([]);
});

test('a table without results says how to make them; a hostile file is refused by field and its markup never runs', async ({ page }) => {
  const pg = new Playground(page);
  await page.route('**/results/mgd-t8.json', (r) => r.fulfill({ status: 404, body: '' }));
  const hostile = {
    version: 1, table: 'mgd-t7', title: '<img src=x onerror="window.__pwned=1">', source: 's', steps: 300, seeds: [1], backend: 'wasm', date: '2026-12-07', commit: 'c',
    command: '<script>window.__pwned=2</script>', seconds: 1, stepsPerSec: 1,
    rows: [{ key: 'none', label: '<b>x</b>', paper: 69.9, runs: [{ seed: 1, testAcc: 'NaN', stepsPerSec: 1, link: 'v=2' }], mean: 0.5, sd: null, vsBaseline: null }],
  };
  await page.route('**/results/mgd-t7.json', (r) => r.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(hostile) }));
  await pg.open();
  await page.getByLabel('Paper table', { exact: true }).selectOption('mgd-t8');
  await expect(page.getByTestId('table-missing')).toContainText('npm run reproduce -- --table mgd-t8');
  // The paper's numbers and the rows still show, with nothing shipped.
  await expect(page.locator('[data-testid="table-row"][data-row="stage-3"] td').nth(1)).toHaveText('71.58');
  await page.getByLabel('Paper table', { exact: true }).selectOption('mgd-t7');
  await expect(page.getByTestId('table-bad')).toContainText('rows.0.runs.0.testAcc');
  await expect(page.getByTestId('paper-table-view').locator('img, script, b')).toHaveCount(0);
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  // The browser itself logs the absent file's 404; nothing else may be logged.
  expect(pg.consoleErrors.filter((e) => !/status of 404/.test(e))).toEqual([]);
});

test('Run it here queues the table’s rows at its steps and seeds; Stop cancels the rest', async ({ page }) => {
  const pg = new Playground(page);
  await pg.open('backend=wasm');
  await pg.backend();
  await page.getByLabel('Paper table', { exact: true }).selectOption('mgd-t5');
  await page.getByLabel('Seeds per setting (table)').fill('1');
  await pg.button('Run it here').click();
  const progress = page.getByTestId('batch-progress-table');
  await expect(progress).toHaveAttribute('data-total', '3');
  const config = await page.evaluate(() => window.__distill!.store.getState().batch!.configs.map((c) => `${c.teacher}>${c.student}:${c.method}:${c.steps}:${c.seed}`));
  expect(config).toEqual(['resnet-s>resnet-s:none:300:1', 'resnet-s>resnet-s:mimic:300:1', 'resnet-s>resnet-s:mgd:300:1']);
  await expect.poll(() => pg.step(), { timeout: 60_000 }).toBeGreaterThan(0);
  await progress.getByRole('button', { name: 'Stop' }).click();
  await expect(progress).toHaveCount(0);
  await expect(page.getByTestId('batch-table')).toContainText('Stopped');
  expect(pg.consoleErrors).toEqual([]);
});
