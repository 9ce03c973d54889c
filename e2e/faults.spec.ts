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

/**
 * GPU faults injected into the worker's WebGPU backend (dev builds: src/worker/faults.ts). Each
 * ends the run with an error naming its cause, the steps so far stay on the page, and Train
 * works again: after an out-of-memory or a lost device on a rebuilt backend with a new device.
 * One page for all three, in an order that recompiles the shaders only twice (SwiftShader
 * compiles them on the CPU: minutes on a loaded machine).
 */
test('GPU faults end the run with their cause; metrics stay; Train works again', async ({ playground: pg }) => {
  test.setTimeout(480_000);
  await pg.open(tiny({ backend: 'webgpu', teacher: 'resnet-s', subset: 16, steps: 500 }));
  test.skip(!(await pg.hasWebGPU()), 'this browser gives no WebGPU adapter');
  expect(await pg.backend()).toBe('webgpu');
  const banner = pg.page.getByTestId('error-banner');
  const trainUntilStep = async () => {
    await pg.button('Train').click();
    await expect(banner).toBeHidden();
    await expect.poll(() => pg.step(), { timeout: 240_000 }).toBeGreaterThanOrEqual(1);
    expect(await pg.reportedBackend()).toMatchObject({ name: 'webgpu', kernels: 'webgpu' });
  };
  const faults = [
    { fault: 'map-abort', kind: 'gpu-read', text: /reading a result back from the GPU was aborted/ },
    { fault: 'oom', kind: 'oom', text: /GPU ran out of memory/ },
    { fault: 'device-lost', kind: 'device-lost', text: /GPU device was lost \(destroyed/ },
  ] as const;
  for (const { fault, kind, text } of faults) {
    await trainUntilStep();
    await pg.page.evaluate((f) => window.__distill!.client.injectFault(f), fault);
    await expect(banner).toHaveAttribute('data-kind', kind, { timeout: 60_000 });
    await expect(banner).toContainText(text);
    await expect(pg.progress()).toHaveAttribute('data-status', 'failed');
    const kept = await pg.points();
    expect(kept.length, `${fault}: steps kept`).toBeGreaterThanOrEqual(1);
    expect(kept.every((p) => Number.isFinite(p.loss))).toBe(true);
  }
  await trainUntilStep(); // on the device made after the loss
  await pg.button('Stop').click();
  await expect(pg.progress()).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  expect(pg.consoleErrors.filter((e) => !/injected fault|mapAsync|destroyed|lost/i.test(e))).toEqual([]);
});
