/** Training runs end to end on forced wasm; pause / step / resume. (WebGPU: webgpu-training.spec.ts.) */
import { expect, expectChartLine, expectFinitePoints, test, tiny } from './fixtures';

test('trains to the end on forced wasm', async ({ playground: pg }) => {
  await pg.open(tiny({ backend: 'wasm' }));
  expect(await pg.backend()).toBe('wasm');
  await expect(pg.badge()).toHaveText(/^wasm( · \d+ threads?)?$/); // threads shown when cross-origin isolated
  await pg.button('Train').click();
  await expect(pg.progress()).toHaveAttribute('data-status', 'done', { timeout: 45_000 });
  expect(await pg.step()).toBe(3);
  await expectFinitePoints(pg, 3);
  await expectChartLine(pg, 3);
  await expect(pg.page.getByTestId('summary')).toContainText(/test acc \d+(\.\d)?%/);
  await pg.screenshot('wasm-trained');
  expect(pg.consoleErrors).toEqual([]);
});

test('pause stops the step counter, step takes one with a live α, resume continues', async ({ playground: pg }) => {
  const paused = await pg.pausedMidRun();
  await pg.page.waitForTimeout(1500);
  expect(await pg.step()).toBe(paused);
  await pg.screenshot('paused');

  // α is live: edited while paused, used by the next step.
  await expect(pg.field('alpha')).toBeEnabled();
  await expect(pg.field('batch')).toBeDisabled();
  await pg.setField('alpha', '0.002');
  await pg.button('Step').click();
  await expect(pg.progress()).toHaveAttribute('data-step', String(paused + 1));
  await expect(pg.progress()).toHaveAttribute('data-status', 'paused');
  const points = await pg.points();
  expect(points.at(-1)).toMatchObject({ step: paused + 1, alpha: 0.002 });
  expect(points.at(-2)).toMatchObject({ step: paused, alpha: 0.00056 });

  await pg.button('Resume').click();
  await expect.poll(() => pg.step(), { timeout: 30_000 }).toBeGreaterThan(paused + 3);
  await expect(pg.progress()).toHaveAttribute('data-status', 'running');

  await pg.button('Stop').click();
  await expect(pg.progress()).toHaveAttribute('data-status', 'done');
  await expect(pg.page.getByTestId('summary')).toContainText('stopped at step');
  expect(pg.consoleErrors).toEqual([]);
});

// The methods of MGD's Table 1 run in the page's worker as in the runner (OFD at all stages, as its code).
for (const method of ['at', 'rkd', 'wsld', 'srrl', 'crd', 'ofd&stage=1,2,3']) {
  test(`method=${method} trains to the end on wasm`, async ({ playground: pg }) => {
    await pg.open(tiny({ backend: 'wasm', method }));
    await expect(pg.page.getByTestId('url-notice')).toHaveCount(0);
    await expect(pg.field('method')).toHaveValue(method.split('&')[0]);
    await pg.button('Train').click();
    await expect(pg.progress()).toHaveAttribute('data-status', 'done', { timeout: 45_000 });
    await expectFinitePoints(pg, 3);
    await expect(pg.page.getByTestId('summary')).toContainText(/test acc \d+(\.\d)?%/);
    expect(pg.consoleErrors).toEqual([]);
  });
}
