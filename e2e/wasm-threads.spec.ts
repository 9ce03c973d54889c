/**
 * All cores on wasm: the test server sends COOP/COEP (vite.config.ts), so the page is
 * cross-origin isolated and the worker runs the threaded SIMD build, one thread per core, and
 * trains on it; the badge shows the thread count. Without the headers (a route that strips
 * them) the page falls back to one thread and the badge says why.
 */
import { expect, test, tiny } from './fixtures';

test('wasm runs one thread per core in the isolated page and trains', async ({ playground: pg }) => {
  await pg.open(tiny({ backend: 'wasm' }));
  const isolated = await pg.page.evaluate(() => ({ isolated: crossOriginIsolated, cores: navigator.hardwareConcurrency }));
  expect(isolated.isolated).toBe(true);
  expect(await pg.backend()).toBe('wasm');
  const expected = Math.min(isolated.cores, 8);
  await expect(pg.badge()).toHaveAttribute('data-threads', String(expected));
  await expect(pg.badge()).toContainText(expected === 1 ? '1 thread' : `${expected} threads`);
  await pg.trainToEnd();
  expect(await pg.status()).toBe('done');
  expect(pg.consoleErrors).toEqual([]);
});

test('without cross-origin isolation wasm falls back to one thread and says so', async ({ playground: pg }) => {
  // Same server, the isolation headers removed from every response.
  await pg.page.route('**/*', async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers['cross-origin-opener-policy'];
    delete headers['cross-origin-embedder-policy'];
    await route.fulfill({ response, headers });
  });
  await pg.open(tiny({ backend: 'wasm' }));
  expect(await pg.page.evaluate(() => crossOriginIsolated)).toBe(false);
  expect(await pg.backend()).toBe('wasm');
  await expect(pg.badge()).toHaveAttribute('data-threads', '1');
  await expect(pg.badge()).toContainText('1 thread (not isolated)');
  await expect(pg.badge()).toHaveAttribute('title', /not cross-origin isolated/);
  await pg.trainToEnd();
  expect(await pg.status()).toBe('done');
});
