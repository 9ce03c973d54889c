/**
 * Where kept runs live between page loads: IndexedDB in the browser, a Map in tests and as the
 * fallback. Both hold raw records under a key; reading them back through `fromRecord` is shared,
 * so damaged or newer-version records are skipped the same way whatever the storage.
 * Storage failures never throw into the page: loading reports them as a notice, saving rejects
 * and the caller shows it.
 */
import { type SavedRun, fromRecord, toRecord } from './runRecord';

export interface LoadedRuns {
  runs: SavedRun[];
  /** Something the user should know (nothing was lost silently); null when all went well. */
  notice: string | null;
}

export interface RunRepository {
  load(): Promise<LoadedRuns>;
  save(run: SavedRun): Promise<void>;
  remove(id: string): Promise<void>;
}

/** Raw key → value storage under a repository. */
export interface RecordStore {
  entries(): Promise<unknown[]>;
  put(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
}

export function repositoryOver(store: RecordStore): RunRepository {
  return {
    async load() {
      const runs: SavedRun[] = [];
      let damaged = 0;
      let newer = 0;
      for (const raw of await store.entries()) {
        const r = fromRecord(raw);
        if (r.ok) runs.push(r.run);
        else if (r.reason === 'newer') newer++;
        else damaged++;
      }
      runs.sort((a, b) => a.createdAt - b.createdAt);
      const skipped = [damaged && `${damaged} damaged or unreadable`, newer && `${newer} saved by a newer version of the playground`].filter(Boolean);
      return { runs, notice: skipped.length ? `Some saved runs were skipped: ${skipped.join(', ')}.` : null };
    },
    save: (run) => store.put(run.id, toRecord(run)),
    remove: (id) => store.delete(id),
  };
}

/** In-memory storage (tests, and the page when IndexedDB is unavailable). */
export function memoryStore(initial: Iterable<[string, unknown]> = []): RecordStore {
  const map = new Map(initial);
  return {
    entries: async () => [...map.values()],
    put: async (key, value) => void map.set(key, structuredClone(value)),
    delete: async (key) => void map.delete(key),
  };
}

const DB_NAME = 'distill-playground';
const DB_VERSION = 1;
const STORE = 'runs';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function openDb(idb: IDBFactory): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = idb.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE);
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('could not open the database'));
    req.onblocked = () => reject(new Error('the database is blocked by another tab'));
  });
}

function idbStore(db: IDBDatabase): RecordStore {
  const run = async <T>(mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
    const tx = db.transaction(STORE, mode);
    // A write counts once its transaction commits, not when the request succeeds.
    const committed = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    });
    const result = await request(op(tx.objectStore(STORE)));
    await committed;
    return result;
  };
  return {
    entries: () => run('readonly', (s) => s.getAll()),
    put: async (key, value) => void (await run('readwrite', (s) => s.put(value, key))),
    delete: async (key) => void (await run('readwrite', (s) => s.delete(key))),
  };
}

/**
 * Runs kept in IndexedDB. If it cannot be opened (absent, private mode, blocked, corrupt
 * profile), runs are kept in memory for this page and `load` says so.
 */
export function indexedDbRepository(idb: IDBFactory | undefined = globalThis.indexedDB): RunRepository {
  const opened: Promise<{ repo: RunRepository; notice: string | null }> = (async () => {
    try {
      if (!idb) throw new Error('this browser has no IndexedDB');
      return { repo: repositoryOver(idbStore(await openDb(idb))), notice: null };
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      return { repo: repositoryOver(memoryStore()), notice: `Runs are kept for this page only: saved runs cannot be stored (${why}).` };
    }
  })();
  return {
    async load() {
      const { repo, notice } = await opened;
      try {
        const loaded = await repo.load();
        return notice ? { runs: loaded.runs, notice } : loaded;
      } catch (e) {
        return { runs: [], notice: `Saved runs could not be read (${e instanceof Error ? e.message : String(e)}); starting with an empty table.` };
      }
    },
    save: async (run) => (await opened).repo.save(run),
    remove: async (id) => (await opened).repo.remove(id),
  };
}
