/**
 * What the page says and exports is true: the charts PNG shows every line the page draws, the
 * metrics JSON and the link describe the run as trained (live α changes included), Load brings
 * that run back, teachers are ones the page has, the y range holds every drawn run, and the runs
 * table shows what each run read and how it ended. Tiny configs on forced wasm.
 */
import { readFile } from 'node:fs/promises';
import type { Download, Page } from '@playwright/test';
import { type Playground, expect, test, tiny } from './fixtures';
import { colourCounts } from './pngColours';

test.describe.configure({ timeout: 180_000 }); // several tiny runs each, on two busy cores

/** Trains all `steps` steps, then stops (the full-test-set evaluation takes long on busy cores): the run is kept. */
async function trainSteps(pg: Playground, steps: number): Promise<void> {
  await pg.button('Train').click();
  await expect(pg.progress()).toHaveAttribute('data-step', String(steps), { timeout: 45_000 });
  // The run may end (and Stop go disabled) between the status read and the click: then there is nothing to stop.
  if (!/^(done|failed)$/.test(await pg.status())) await pg.button('Stop').click({ timeout: 5_000 }).catch(() => {});
  await expect(pg.progress()).toHaveAttribute('data-status', /^(done|failed)$/);
}

async function saved(page: Page, click: () => Promise<void>): Promise<Download> {
  const download = page.waitForEvent('download');
  await click();
  return download;
}

/**
 * The bounding boxes of every chart's live-change marker labels are pairwise disjoint, and each
 * label is beside a marker line (its left or right edge within 6 px of one).
 */
async function expectDisjointLabels(page: Page): Promise<void> {
  for (const id of ['loss', 'difference', 'accuracy']) {
    const chart = page.getByTestId(`chart-${id}`);
    const lines = await chart.locator('.live-marker line').evaluateAll((ls) => ls.map((l) => l.getBoundingClientRect().left));
    const boxes = await chart
      .locator('.live-marker-label')
      .evaluateAll((ts) => ts.map((t) => ({ text: t.textContent, ...(t.getBoundingClientRect().toJSON() as DOMRect) })));
    for (const b of boxes) {
      const off = Math.min(...lines.map((x) => Math.min(Math.abs(b.left - x), Math.abs(b.right - x))));
      expect(off, `${id}: label "${b.text}" is ${off} px from the nearest marker line`).toBeLessThanOrEqual(6);
    }
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i], boxes[j]];
        const overlap = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
        expect(overlap, `${id}: labels ${i} "${a.text}" and ${j} "${b.text}" overlap`).toBe(false);
      }
    }
  }
}

test('a run with a live α change: stopped, its link, its row, Load, metrics JSON and the charts PNG tell the truth', async ({ playground: pg }) => {
  await pg.open(tiny({ steps: 5000, eval: 2, backend: 'wasm', seed: 4 }));
  await pg.backend();
  await pg.button('Train').click();
  await expect.poll(() => pg.step(), { timeout: 45_000 }).toBeGreaterThanOrEqual(3);
  await pg.button('Pause').click();
  await expect(pg.progress()).toHaveAttribute('data-status', 'paused');
  const at = (await pg.step()) + 1;
  // Three changes on three neighbouring steps: α, then λ, then α again.
  const changes: [string, string][] = [['alpha', '0.002'], ['lambda', '0.25'], ['alpha', '0.003']];
  for (const [i, [key, value]] of changes.entries()) {
    await pg.setField(key, value);
    await pg.button('Step').click();
    await expect(pg.progress()).toHaveAttribute('data-step', String(at + i));
  }
  await pg.button('Stop').click();
  await expect(pg.runRows()).toHaveCount(1);

  // Stop says stopped, not done.
  await expect(pg.progress().locator('.status')).toHaveText('stopped');
  // The link is the run's: its starting values and each change at the step that first used it.
  const link = () => decodeURIComponent(new URL(pg.page.url()).search);
  await expect.poll(link).toContain(`alphaAt=${at}:0.002,${at + 2}:0.003&lambdaAt=${at + 1}:0.25`);
  expect(link()).not.toMatch(/[&?]alpha=|[&?]lambda=/);
  await expect(pg.field('alpha')).toHaveValue('0.00056');
  await expect(pg.field('alphaAt')).toHaveValue(`${at}:0.002,${at + 2}:0.003`);
  // The row shows α and λ as the run had them.
  await expect(pg.runRows().first().getByTestId('run-alpha')).toHaveText(`5.60e-4 → 0.003 @${at + 2} (2 changes)`);
  await expect(pg.runRows().first().getByTestId('run-lambda')).toHaveText(`0.5 → 0.25 @${at + 1}`);
  // Marker labels: three, one per change, none overprinting another.
  const loss = pg.page.getByTestId('chart-loss');
  await expect(loss.locator('.live-marker-label')).toHaveCount(3);
  await expectDisjointLabels(pg.page);
  await pg.screenshot('truth-live-change');

  // The form moves on; the export still describes the run.
  await pg.setField('seed', '9');
  const json = JSON.parse(await readFile(await (await saved(pg.page, () => pg.button('Metrics JSON').click())).path(), 'utf8'));
  expect(json.config).toMatchObject({ seed: 4, alpha: 0.00056, alphaAt: [{ step: at, value: 0.002 }, { step: at + 2, value: 0.003 }], lambdaAt: [{ step: at + 1, value: 0.25 }] });
  expect(json.url).toContain(`alphaAt=${at}:0.002,${at + 2}:0.003&lambdaAt=${at + 1}:0.25`);
  expect(json.url).toContain('seed=4');
  expect(json.liveChanges).toEqual([
    { step: at, param: 'alpha', value: 0.002 },
    { step: at + 1, param: 'lambda', value: 0.25 },
    { step: at + 2, param: 'alpha', value: 0.003 },
  ]);
  // Load restores it.
  await pg.runRows().first().getByRole('button', { name: 'Load the config of run 1' }).click();
  await expect(pg.field('seed')).toHaveValue('4');
  await expect.poll(link).toContain(`alphaAt=${at}:0.002,${at + 2}:0.003`);

  // The PNG shows every series, the marker and the teacher line, in the page's colours.
  const png = await readFile(await (await saved(pg.page, () => pg.button('Charts PNG').click())).path());
  const vars = ['--series-task', '--series-distill', '--series-difference', '--series-train', '--series-test', '--marker', '--teacher'];
  const counts = await colourCounts(pg.page, png, vars);
  for (const v of vars) expect(counts[v], v).toBeGreaterThan(40);
  expect(pg.consoleErrors).toEqual([]);
});

test('a teacher spec in a link opens as that teacher, to be trained here; a shipped teacher\'s spec is that teacher; an unshipped one is trained here', async ({ playground: pg }) => {
  await pg.open(tiny({ backend: 'wasm', teacher: 'resnet:8-16-32x1' }));
  await expect(pg.page.getByLabel('Teacher spec')).toHaveValue('resnet:8-16-32x1');
  await expect(pg.page.getByRole('button', { name: /^Train teacher resnet:8-16-32x1 / })).toBeVisible();
  const offered = await pg.field('teacher').locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  expect(offered).toEqual(['resnet-t', 'resnet-s', 'resnet-w', 'mobilenet-t', '']); // the registry's, then "spec…"
  await pg.open(tiny({ backend: 'wasm', teacher: 'resnet:16-32-64x1' }));
  await expect(pg.field('teacher')).toHaveValue('resnet-s');
  await expect(pg.page.getByRole('button', { name: /^Train teacher/ })).toHaveCount(0);
  // ResNet-W ships for MNIST only: on Fashion-MNIST the page offers to train it, as for a spec.
  await pg.open(tiny({ backend: 'wasm', teacher: 'resnet-w' }));
  await expect(pg.page.getByRole('button', { name: /^Train teacher/ })).toHaveCount(0);
  await pg.open(tiny({ backend: 'wasm', dataset: 'fashion', teacher: 'resnet-w' }));
  await expect(pg.field('teacher')).toHaveValue('resnet-w');
  await expect(pg.page.getByRole('button', { name: /^Train teacher resnet-w / })).toBeVisible();
  expect(pg.consoleErrors).toEqual([]);
});

test('with an overlay, the y range still holds the current run; the runs table shows what each method read', async ({ playground: pg }) => {
  await pg.open(tiny({ backend: 'wasm', method: 'none' }));
  await pg.backend();
  await trainSteps(pg, 3);
  await pg.runRows().first().getByRole('checkbox').check();
  // A far larger distillation term than run 1's zero: its curve sets the top of the range.
  await pg.field('method').selectOption('mgd');
  await pg.setField('alpha', '0.5');
  await trainSteps(pg, 3);
  const loss = pg.page.getByTestId('chart-loss');
  await expect(loss).toHaveAttribute('data-overlays', '1');
  // Every drawn point of every line, in SVG coordinates, against the plot area (the lines' clip rectangle).
  const inside = await loss.evaluate((fig) => {
    const clip = fig.querySelector('clipPath rect')!;
    const top = Number(clip.getAttribute('y'));
    const bottom = top + Number(clip.getAttribute('height'));
    const ys: number[] = [];
    for (const path of fig.querySelectorAll<SVGPathElement>('path.recharts-line-curve')) {
      const len = path.getTotalLength();
      for (let i = 0; i <= 20; i++) ys.push(path.getPointAtLength((len * i) / 20).y);
    }
    return { top, bottom, min: Math.min(...ys), max: Math.max(...ys), n: ys.length };
  });
  expect(inside.n).toBeGreaterThan(40);
  expect(inside.min).toBeGreaterThanOrEqual(inside.top - 1);
  expect(inside.max).toBeLessThanOrEqual(inside.bottom + 1);
  await pg.screenshot('truth-overlay-range');

  const rows = pg.runRows();
  // #2 (mgd) reads α and λ; #1 (none) reads neither.
  await expect(rows.nth(0).getByTestId('run-alpha')).toHaveText('0.5');
  await expect(rows.nth(0).getByTestId('run-lambda')).toHaveText('0.5');
  await expect(rows.nth(1).getByTestId('run-alpha')).toHaveText('–');
  await expect(rows.nth(1).getByTestId('run-lambda')).toHaveText('–');
  expect(pg.consoleErrors).toEqual([]);
});
