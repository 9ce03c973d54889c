/**
 * The IndexedDB repository over a real (in-memory) IndexedDB: old records load, and each storage
 * failure (no IndexedDB, an open that throws or errors, a tab blocking the upgrade, a full disk)
 * ends in memory with a notice naming the cause, nothing stored damaged.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RECORD_VERSION } from './runRecord';
import { indexedDbRepository } from './runRepository';
import { legacyShape, savedRun } from './testRuns';

/** Opens the database as raw IndexedDB does (an older page, or a test seeding records). */
function rawOpen(version: number, upgrade?: (db: IDBDatabase) => void): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open('distill-playground', version);
    req.onupgradeneeded = () => upgrade?.(req.result);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

beforeEach(() => vi.stubGlobal('indexedDB', new IDBFactory()));
afterEach(() => vi.unstubAllGlobals());

describe('runs kept in IndexedDB', () => {
  it('records written by the earlier hand-written version (database version 1, a version-1 record) load after the upgrade', async () => {
    const old = await rawOpen(1, (db) => db.createObjectStore('runs'));
    const run = savedRun(1);
    await new Promise((resolve) => {
      const tx = old.transaction('runs', 'readwrite');
      tx.objectStore('runs').put({ version: 1, run: { ...legacyShape(run), config: { ...run.config, alphaAt: undefined } } }, run.id);
      tx.objectStore('runs').put({ version: RECORD_VERSION, run: savedRun(2) }, 'run-2');
      tx.oncomplete = resolve;
    });
    old.close();
    const repo = indexedDbRepository();
    const loaded = await repo.load();
    expect(loaded.notice).toBeNull();
    expect(loaded.runs.map((r) => r.label)).toEqual([1, 2]);
    await repo.save(savedRun(3));
    await repo.remove('run-2');
    expect((await indexedDbRepository().load()).runs.map((r) => r.label)).toEqual([1, 3]);
  });

  it('without IndexedDB, or when opening throws or fails, runs are kept in memory and the notice says why', async () => {
    const failing = (make: () => IDBFactory | undefined, cause: RegExp) => async () => {
      vi.stubGlobal('indexedDB', make());
      const repo = indexedDbRepository();
      const loaded = await repo.load();
      expect(loaded.runs).toEqual([]);
      expect(loaded.notice).toMatch(/^Runs are kept for this page only: saved runs cannot be stored \(/);
      expect(loaded.notice).toMatch(cause);
      await repo.save(savedRun(1)); // in memory: no throw
      expect((await repo.load()).runs).toHaveLength(1);
    };
    await failing(() => undefined, /this browser has no IndexedDB/)();
    await failing(() => ({ open: () => { throw new DOMException('The operation is insecure.', 'SecurityError'); } }) as unknown as IDBFactory, /IndexedDB could not be opened: The operation is insecure/)();
    const erroring = new IDBFactory();
    const open = erroring.open.bind(erroring);
    // As Firefox's private mode: the request is made, then fails.
    erroring.open = (name: string) => open(name, 0);
    await failing(() => erroring, /IndexedDB could not be opened/)();
  });

  it('blocked by a tab that holds the old version open, it waits a bounded time, then keeps runs in memory; stored runs are untouched', async () => {
    const old = await rawOpen(1, (db) => db.createObjectStore('runs').put({ version: RECORD_VERSION, run: savedRun(1) }, 'run-1'));
    old.onversionchange = null; // an old page that does not let go
    const started = Date.now();
    const repo = indexedDbRepository(100);
    const loaded = await repo.load();
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(loaded.notice).toMatch(/another tab has an older version of the playground open; close it and reload to keep runs/);
    await repo.save(savedRun(2));
    expect((await repo.load()).runs.map((r) => r.label)).toEqual([2]);
    old.close(); // the upgrade now goes through, and the page that gave up lets go of it
    await new Promise((r) => setTimeout(r, 20));
    const reloaded = await indexedDbRepository(100).load();
    expect(reloaded.notice).toBeNull();
    expect(reloaded.runs.map((r) => r.label)).toEqual([1]);
  });

  it('a write refused for lack of space says storage is full; later writes stay in memory; what was stored loads intact', async () => {
    const put = IDBObjectStore.prototype.put;
    let writes = 0;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (++writes > 2) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    });
    const repo = indexedDbRepository();
    await repo.load();
    await repo.save(savedRun(1));
    await repo.save(savedRun(2));
    await expect(repo.save(savedRun(3))).rejects.toThrow(/storage for this site is full; this and later changes are kept for this page only/);
    const calls = writes;
    await repo.save(savedRun(4)); // memory: IndexedDB is not asked again
    await repo.save({ ...savedRun(1), selected: true });
    expect(writes).toBe(calls);
    expect((await repo.load()).runs.map((r) => [r.label, r.selected])).toEqual([[1, true], [2, false], [3, false], [4, false]]);
    vi.restoreAllMocks();
    const reloaded = await indexedDbRepository().load();
    expect(reloaded.notice).toBeNull();
    expect(reloaded.runs).toEqual([savedRun(1), savedRun(2)]);
  });
});
