/** Feature maps: drawn from the worker's snapshots, for the chosen test image, in both views. */
import type { Page } from '@playwright/test';
import { expect, test, tiny } from './fixtures';

const KINDS = ['input', 'teacher', 'student', 'mask', 'masked', 'generated', 'error'];

/** Size and number of distinct opaque colours of a feature canvas. */
function canvasStats(page: Page, kind: string) {
  return page.getByTestId(`feature-${kind}`).evaluate((c: HTMLCanvasElement) => {
    const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
    const colours = new Set<number>();
    for (let i = 0; i < data.length; i += 4) if (data[i + 3] === 255) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    return { width: c.width, height: c.height, colours: colours.size };
  });
}

test('MGD run: every feature map is drawn for the chosen image, as channels and as attention', async ({ playground: pg }) => {
  await pg.open(tiny({ backend: 'wasm', method: 'mgd', steps: 4 }));
  await pg.backend();
  await expect(pg.page.getByTestId('feature-maps')).toContainText('appear after the first training step');
  await pg.page.locator('#snapshot-index').fill('5');
  await pg.page.locator('#snapshot-index').press('Enter');
  await pg.button('Train').click();
  // The last snapshot comes after the last step, before the (slow) full-test-set evaluation.
  await expect(pg.page.getByTestId('feature-maps')).toHaveAttribute('data-step', '4', { timeout: 45_000 });
  await expect(pg.page.getByTestId('feature-maps')).toContainText('after step 4');

  const snapshot = await pg.page.evaluate(() => window.__distill!.store.getState().features!.snapshot);
  expect(snapshot.index).toBe(5);
  expect(snapshot.maps.map((m) => m.kind)).toEqual(KINDS);
  await expect(pg.page.getByTestId('feature-maps')).toContainText(`label ${snapshot.label}`);

  // Channel grid: resnet-t's last stage is 7×7×64 → 8×8 tiles of 7 px with 1-px gaps = 63 px.
  for (const kind of KINDS) {
    const s = await canvasStats(pg.page, kind);
    expect(s.colours, `${kind} canvas is not blank`).toBeGreaterThan(1);
    if (kind !== 'input' && kind !== 'mask') expect([s.width, s.height]).toEqual([63, 63]);
  }
  expect(await canvasStats(pg.page, 'input')).toMatchObject({ width: 28, height: 28 });
  expect((await canvasStats(pg.page, 'mask')).colours).toBe(2); // kept and dropped

  await pg.page.getByLabel('attention (mean |·| over C)').check();
  for (const kind of ['teacher', 'student', 'generated', 'error']) {
    const s = await canvasStats(pg.page, kind);
    expect([s.width, s.height]).toEqual([7, 7]);
    expect(s.colours, `${kind} attention map is not flat`).toBeGreaterThan(1);
  }
  await pg.page.getByTestId('feature-maps').screenshot({ path: 'e2e/screenshots/feature-maps-attention.png' });
  await pg.page.getByLabel('channel grid').check();
  await pg.page.getByTestId('feature-maps').screenshot({ path: 'e2e/screenshots/feature-maps-channels.png' });
  expect(pg.consoleErrors).toEqual([]);
});

test('a method without a generator shows no generator maps; the image picker rejects a non-image', async ({ playground: pg }) => {
  await pg.open(tiny({ backend: 'wasm', method: 'mimic', mask: 'channel' }));
  await pg.backend();
  await pg.button('Train').click();
  await expect(pg.page.getByTestId('feature-maps')).toHaveAttribute('data-step', '3', { timeout: 45_000 });
  await expect(pg.page.getByTestId('feature-masked')).toBeVisible();
  await expect(pg.page.getByTestId('feature-generated')).toHaveCount(0);
  expect(await canvasStats(pg.page, 'mask')).toMatchObject({ width: 15, height: 15 }); // 64 channels: 8×8 tiles of 1 px
  const picker = pg.page.locator('#snapshot-index');
  await picker.fill('-3');
  await picker.press('Enter');
  await expect(picker).toHaveValue('0');
  expect(pg.consoleErrors).toEqual([]);
});

test('after the run has ended, picking another test image redraws the maps from the trained nets', async ({ playground: pg }) => {
  await pg.open(tiny({ backend: 'wasm', method: 'mgd' }));
  await pg.backend();
  await pg.trainToEnd();
  await expect(pg.progress()).toHaveAttribute('data-status', 'done');
  await expect(pg.page.getByTestId('feature-maps')).toHaveAttribute('data-step', '3');
  const pixels = (kind: string) => pg.page.getByTestId(`feature-${kind}`).evaluate((c: HTMLCanvasElement) => Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data));
  const before = { input: await pixels('input'), teacher: await pixels('teacher') };
  await pg.page.getByRole('button', { name: 'Next test image' }).click();
  await expect.poll(() => pg.page.evaluate(() => window.__distill!.store.getState().features?.snapshot.index), { timeout: 20_000 }).toBe(1);
  await expect(pg.page.getByTestId('feature-maps')).toHaveAttribute('data-step', '3'); // the same trained nets, not a new run
  await expect.poll(() => pixels('input')).not.toEqual(before.input);
  expect(await pixels('teacher')).not.toEqual(before.teacher);
  await expect(pg.progress()).toHaveAttribute('data-status', 'done');
  await pg.page.getByTestId('feature-maps').screenshot({ path: 'e2e/screenshots/feature-maps-after-done.png' });
  expect(pg.consoleErrors).toEqual([]);
});

test('H-GKD: the mask view follows the picked test image during distillation', async ({ playground: pg }) => {
  await pg.open(tiny({ backend: 'wasm', subset: 16, batch: 4, steps: 2000, eval: 1000 }));
  await pg.page.locator('[data-preset="hgkd"]').click();
  await pg.setField('student', 'resnet-xs');
  await pg.setField('steps', '2000');
  await pg.setField('queue', '16');
  await pg.backend();
  await pg.button('Train').click();
  const view = pg.page.getByTestId('hgkd-mask-view');
  await expect(view).not.toHaveAttribute('data-step', '0', { timeout: 45_000 });
  await pg.button('Pause').click();
  await expect(pg.progress()).toHaveAttribute('data-status', 'paused');
  await expect(view).toContainText('test image 0');
  const pixels = () => pg.page.getByTestId('hgkd-input').evaluate((c: HTMLCanvasElement) => Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data));
  const before = await pixels();
  await pg.page.getByRole('button', { name: 'Next test image' }).click();
  await expect(view).toContainText('test image 1'); // answered while paused
  expect(await pixels()).not.toEqual(before);
  await view.screenshot({ path: 'e2e/screenshots/hgkd-mask-view-image-1.png' });
  await pg.button('Stop').click();
  await expect(pg.progress()).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  expect(pg.consoleErrors).toEqual([]);
});
