/**
 * H-GKD in the browser: the preset with tiny settings distils a couple of steps on WebGPU (on
 * SwiftShader: slow, compile-bound) and the mask view draws; on wasm a run goes through all three
 * phases to done and shows both accuracies. Canvases are checked by their pixels, not presence.
 */
import { type Page } from '@playwright/test';
import { expect, test, tiny } from './fixtures';

/** Distinct RGBA colours in a canvas (1: blank or flat). */
function colours(page: Page, testId: string): Promise<number> {
  return page.getByTestId(testId).evaluate((el) => {
    const c = el as HTMLCanvasElement;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < data.length; i += 4) seen.add(((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]) * 256 + data[i + 3]);
    return seen.size;
  });
}

/** The H-GKD preset on a tiny config (preset first: it sets the student and fine-tune steps, then ours). */
async function hgkdPreset(pg: import('./fixtures').Playground, backend: string, steps: number, ftSteps: number) {
  await pg.open(tiny({ backend, subset: 16, batch: 4, steps, eval: 1000 }));
  await pg.page.locator('[data-preset="hgkd"]').click();
  await pg.setField('student', 'resnet-xs');
  await pg.setField('ftSteps', String(ftSteps));
  await pg.setField('queue', '16');
  await expect(pg.page.getByTestId('hgkd-panel')).toBeVisible();
}

test('the H-GKD preset distils on WebGPU and the mask view renders', async ({ playground: pg }) => {
  // Compile-bound on SwiftShader: the first step builds every shader (ViT, sparse conv, decoder, Adam).
  test.setTimeout(118_000);
  await hgkdPreset(pg, 'webgpu', 1, 1);
  test.skip(!(await pg.hasWebGPU()), 'this browser gives no WebGPU adapter');
  expect(await pg.backend()).toBe('webgpu');
  await pg.button('Train').click();
  const view = pg.page.getByTestId('hgkd-mask-view');
  await expect(view).toHaveAttribute('data-step', '1', { timeout: 105_000 });
  await expect(view).toHaveAttribute('data-sparse', 'true');
  for (const id of ['hgkd-input', 'hgkd-masked', 'hgkd-scale-0', 'hgkd-scale-1', 'hgkd-scale-2']) expect(await colours(pg.page, id)).toBeGreaterThan(2);
  expect(await colours(pg.page, 'hgkd-mask')).toBe(2); // visible / hidden
  await expect(view.locator('.hgkd-map-note').first()).toHaveText('holes exactly 0');
  await expect(pg.page.getByTestId('hgkd-queue-fill')).toContainText(/^4 \/ 16/);
  await expect(pg.page.getByTestId('hgkd-chart-mse')).not.toHaveAttribute('data-points', '0');
  await pg.screenshot('hgkd-webgpu-distilling');
  await pg.button('Stop').click(); // the software GPU need not finish the labelled phases
  await expect(pg.progress()).toHaveAttribute('data-status', /^(done|failed)$/, { timeout: 60_000 });
  await expect(pg.progress()).toHaveAttribute('data-status', 'done');
  expect(pg.consoleErrors).toEqual([]);
});

test('on wasm an H-GKD run goes through all phases and shows both accuracies; sparse off fills the holes', async ({ playground: pg }) => {
  test.setTimeout(118_000); // two quick final evaluations (auto: a short run), so well under a minute
  await hgkdPreset(pg, 'wasm', 3, 2);
  await pg.button('Train').click();
  await expect(pg.progress()).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  await expect(pg.page.getByTestId('hgkd-finetune-acc')).toHaveText(/^\d+\.\d%$/);
  await expect(pg.page.getByTestId('hgkd-scratch-acc')).toHaveText(/^\d+\.\d%$/);
  await expect(pg.progress()).toHaveAttribute('data-step', '3');
  await expect(pg.page.getByTestId('hgkd-chart-ft-loss')).toHaveAttribute('data-points', '2');
  await expect(pg.page.getByTestId('hgkd-chart-pearson')).toHaveAttribute('data-points', '3');
  expect(await colours(pg.page, 'hgkd-scale-0')).toBeGreaterThan(2);
  await pg.screenshot('hgkd-wasm-done');

  await expect(pg.page.getByTestId('hgkd-ablation-table').locator('tbody tr')).toHaveCount(7);

  // The ablation switch: with sparse conv off the holes fill in (paper Fig. 3); stopped once seen.
  await pg.page.locator('#field-sparse').uncheck();
  await pg.setField('steps', '2000'); // long enough to be stopped (the tiny run's quick evaluation ends it in seconds)
  await pg.button('Train').click();
  const view = pg.page.getByTestId('hgkd-mask-view');
  await expect(view).toHaveAttribute('data-sparse', 'false', { timeout: 30_000 });
  for (const note of await view.locator('.hgkd-map-note').all()) await expect(note).toHaveText(/of holes filled$/);
  await pg.screenshot('hgkd-wasm-sparse-off');
  await pg.button('Stop').click();
  await expect(pg.progress()).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  expect(pg.consoleErrors).toEqual([]);
});
