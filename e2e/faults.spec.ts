/** Faults reach the page as a banner, and the page stays usable. */
import { expect, test, tiny } from './fixtures';

test('a diverging loss shows an error and a new Train works', async ({ playground: pg }) => {
  await pg.open(tiny({ steps: 5000, backend: 'wasm' }));
  await pg.backend();
  await pg.button('Train').click();
  await expect.poll(() => pg.step(), { timeout: 45_000 }).toBeGreaterThanOrEqual(1);
  // Beyond the form's range (it stops at 1): straight to the worker through the dev hook.
  await pg.page.evaluate(() => window.__distill!.client.set('alpha', 1e38));

  const banner = pg.page.getByTestId('error-banner');
  await expect(banner).toHaveAttribute('data-kind', 'nan');
  await expect(banner).toContainText(/diverged/i);
  await expect(banner).toContainText(/loss became (Infinity|NaN) at step \d+/);
  await expect(pg.progress()).toHaveAttribute('data-status', 'failed');
  await pg.screenshot('diverged');

  await pg.setField('steps', '2');
  await pg.button('Train').click();
  await expect(banner).toBeHidden();
  await expect(pg.progress()).toHaveAttribute('data-status', 'done', { timeout: 45_000 });
  expect(await pg.step()).toBe(2);
  expect(pg.consoleErrors).toEqual([]);
});

test('a missing teacher is a data error naming the file', async ({ playground: pg }) => {
  await pg.page.context().route('**/teachers/**', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await pg.open(tiny({ backend: 'wasm' }));
  await pg.backend();
  await pg.button('Train').click();
  const banner = pg.page.getByTestId('error-banner');
  await expect(banner).toHaveAttribute('data-kind', 'data', { timeout: 30_000 });
  await expect(banner).toContainText('teachers/mnist/resnet-t');
  await expect(pg.progress()).toHaveAttribute('data-status', 'failed');
  await expect(pg.button('Train')).toBeEnabled();
});
