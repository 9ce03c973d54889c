/**
 * Storage failures in the real browser: no IndexedDB (as in private modes), a disk that fills
 * mid-session, and another tab holding the database open at an older version. Each ends with a
 * notice naming the cause, the run kept in the table and still exportable, and what was stored
 * before intact (after a reload; the other tab's database untouched). Tiny configs on forced wasm.
 */
import { type Playground, expect, test, tiny } from './fixtures';

/** The run in memory still exports: its metrics JSON holds every step (tiny(): 3). */
async function expectMetricsExport(pg: Playground, seed: number): Promise<void> {
  const [json] = await pg.downloads(() => pg.button('Metrics JSON').click());
  const record = JSON.parse(json.bytes.toString('utf8'));
  expect(record).toMatchObject({ backend: 'wasm', config: { seed, steps: 3 } });
  expect(record.points.map((p: { step: number }) => p.step)).toEqual([1, 2, 3]);
}

test('without IndexedDB the run is kept for the page and the notice says why', async ({ playground: pg }) => {
  await pg.page.addInitScript(() => {
    Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true });
  });
  await pg.open(tiny({ backend: 'wasm' }));
  await expect(pg.page.getByTestId('persist-notice')).toContainText('Runs are kept for this page only: saved runs cannot be stored (this browser has no IndexedDB, as in some private modes).');
  await pg.backend();
  await pg.trainToEnd();
  await expect(pg.runRows()).toHaveCount(1);
  await expect(pg.runRows().first()).toHaveAttribute('data-status', 'completed');
  await expectMetricsExport(pg, 1);
  expect(pg.consoleErrors).toEqual([]);
});

test('a full disk mid-session: the notice says storage is full, the run stays listed, earlier records load after a reload', async ({ playground: pg }) => {
  await pg.open(tiny({ backend: 'wasm' }));
  await pg.backend();
  await pg.trainToEnd();
  await expect.poll(() => pg.savedRunCount()).toBe(1);
  // From now on every put is refused as over quota (the record already stored must survive).
  await pg.page.evaluate(() => {
    IDBObjectStore.prototype.put = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  await pg.setField('seed', '2');
  await pg.trainToEnd();
  await expect(pg.runRows()).toHaveCount(2);
  await expect(pg.page.getByTestId('persist-notice')).toContainText("Run 2 could not be saved and will be gone after a reload (the browser's storage for this site is full");
  await expectMetricsExport(pg, 2); // the run that could not be stored
  await pg.page.reload();
  await expect(pg.runRows()).toHaveCount(1);
  await expect(pg.runRows().first()).toContainText('#1');
  await expect(pg.runRows().first()).toHaveAttribute('data-status', 'completed');
  await expect(pg.page.getByTestId('persist-notice')).toHaveCount(0);
});

test('another tab holding an older version open: the notice names it, the run trains and still exports', async ({ playground: pg }) => {
  // The old tab: a page of the same origin (a blank document, not the app) with a connection to
  // the app's database at version 1 (before the batches store) that ignores `versionchange`.
  const old = await pg.page.context().newPage();
  await old.route('**/old-tab', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>old tab</title>' }));
  await old.goto('/old-tab');
  await old.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('distill-playground', 1);
        open.onupgradeneeded = () => open.result.createObjectStore('runs');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          open.result.onversionchange = () => {}; // an old page that does not let go
          Object.assign(window, { held: open.result });
          resolve();
        };
      }),
  );
  await pg.open(tiny({ backend: 'wasm' }));
  await expect(pg.page.getByTestId('persist-notice')).toContainText(
    'Runs are kept for this page only: saved runs cannot be stored (another tab has an older version of the playground open; close it and reload to keep runs).',
  );
  await pg.backend();
  await pg.trainToEnd();
  await expect(pg.runRows()).toHaveCount(1);
  await expect(pg.runRows().first()).toHaveAttribute('data-status', 'completed');
  await expectMetricsExport(pg, 1);
  // The old tab's database was left as it was: still version 1, still open there.
  expect(await old.evaluate(() => (window as unknown as { held: IDBDatabase }).held.version)).toBe(1);
  expect(pg.consoleErrors).toEqual([]);
});
