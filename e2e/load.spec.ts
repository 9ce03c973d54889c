/** Opening the page: backend start-up, and links with bad values. */
import { expect, test } from './fixtures';

test('loads without console errors and the badge shows a backend', async ({ playground: pg }) => {
  await pg.open();
  const backend = await pg.backend();
  expect(['webgpu', 'wasm', 'webgl', 'cpu']).toContain(backend);
  await expect(pg.page).toHaveURL(/\?v=2&seed=1$/); // the URL always holds the config, after its link version
  await expect(pg.field('dataset')).toHaveValue('mnist');
  await expect(pg.button('Train')).toBeEnabled();
  await pg.page.waitForTimeout(500); // late errors (worker start-up) would land here
  await pg.screenshot('load');
  expect(pg.consoleErrors).toEqual([]);
});

test('the worker starts on WebGPU and reports its adapter', async ({ playground: pg }) => {
  await pg.open('backend=webgpu'); // auto may prefer wasm (see backend.spec.ts)
  test.skip(!(await pg.hasWebGPU()), 'this browser gives no WebGPU adapter');
  expect(await pg.backend()).toBe('webgpu');
  const reported = await pg.reportedBackend();
  expect(reported?.adapter).toEqual({ vendor: expect.any(String), architecture: expect.any(String), isFallback: expect.any(Boolean) });
  expect(`${reported!.adapter!.vendor}${reported!.adapter!.architecture}`).not.toBe('');
  await expect(pg.badge()).toContainText(reported!.adapter!.architecture);
  expect(pg.consoleErrors).toEqual([]);
});

test('a link with garbage values shows a notice naming each field and runs on defaults', async ({ playground: pg }) => {
  await pg.open('batch=banana&lr=-5&student=nope&alpha=1e99&stage=9,9&colour=red&subset=64&steps=2&eval=1000&testSize=100&backend=wasm');
  const notice = pg.page.getByTestId('url-notice');
  await expect(notice).toBeVisible();
  for (const field of ['batch', 'lr', 'student', 'alpha', 'stage', 'colour']) {
    await expect(notice.locator(`li[data-field="${field}"]`)).toBeVisible();
  }
  await expect(notice).toContainText('banana');
  // Rejected fields hold their defaults; the URL is rewritten without them.
  await expect(pg.field('batch')).toHaveValue('64');
  await expect(pg.field('lr')).toHaveValue('0.001');
  await expect(pg.field('student')).toHaveValue('resnet-s');
  await expect(pg.field('alpha')).toHaveValue('0.00056');
  await expect(pg.page).not.toHaveURL(/banana|colour|lr=/);
  await pg.screenshot('url-notice');
  // …and those defaults train.
  await pg.backend();
  await pg.button('Train').click();
  await expect(pg.progress()).toHaveAttribute('data-status', 'done', { timeout: 45_000 });
  expect(await pg.step()).toBe(2);
  expect(pg.consoleErrors).toEqual([]);
});

test('presets and form edits rewrite the URL, which reopens the same settings', async ({ playground: pg }) => {
  await pg.open('v=2&steps=50&seed=7');
  await pg.backend();
  await pg.button('KD baseline').click();
  await expect(pg.field('method')).toHaveValue('kd');
  await pg.setField('lr', '3e-4');
  await pg.field('dataset').selectOption('fashion');
  await expect(pg.page).toHaveURL(/\?v=2&dataset=fashion&method=kd&lr=0\.0003&steps=50&seed=7$/);
  await pg.setField('batch', '0'); // out of range: shown, not taken
  await expect(pg.page.locator('.field-error')).toContainText('≥ 1');
  await expect(pg.page).toHaveURL(/lr=0\.0003&steps=50&seed=7$/);

  await pg.page.reload();
  await expect(pg.field('dataset')).toHaveValue('fashion');
  await expect(pg.field('method')).toHaveValue('kd');
  await expect(pg.field('lr')).toHaveValue('0.0003');
  await expect(pg.field('batch')).toHaveValue('64');
  await expect(pg.page.getByTestId('url-notice')).toHaveCount(0);
  expect(pg.consoleErrors).toEqual([]);
});
