/**
 * Where kept runs, and the batch in progress, live between page loads: IndexedDB in the browser,
 * a Map in tests and as the fallback. Both hold raw records under a key; reading them back
 * through `fromRecord` / `fromBatchRecord` is shared, so damaged or newer-version records are
 * skipped the same way whatever the storage.
 * Storage failures never throw into the page: loading reports them as a notice, saving rejects
 * and the caller shows it.
 */
import { type BatchState, fromBatchRecord, toBatchRecord } from './batchRecord';
import { type SavedRun, fromRecord, toRecord } from './runRecord';

export interface LoadedRuns {
  runs: SavedRun[];
  /** A batch that was under way when the page went away (its queue, for a Resume). */
  batch: BatchState | null;
  /** Something the user should know (nothing was lost silently); null when all went well. */
  notice: string | null;
}

export interface RunRepository {
  load(): Promise<LoadedRuns>;
  save(run: SavedRun): Promise<void>;
  remove(id: string): Promise<void>;
  /** The batch under way (one at a time): saved at its start and after each of its runs. */
  saveBatch(batch: BatchState): Promise<void>;
  /** The batch ended (finished, cancelled, discarded). */
  clearBatch(): Promise<void>;
}

/** Raw key → value storage under a repository. */
export interface RecordStore {
  entries(): Promise<unknown[]>;
  put(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Key of the one batch record. */
const BATCH_KEY = 'pending';

export function repositoryOver(store: RecordStore, batches: RecordStore = memoryStore()): RunRepository {
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
      const notices = skipped.length ? [`Some saved runs were skipped: ${skipped.join(', ')}.`] : [];
      const stored = await batches.entries();
      const read = stored.length > 0 ? fromBatchRecord(stored[0]) : null;
      if (read && !read.ok) notices.push(`An interrupted batch could not be resumed: its saved queue is ${read.reason === 'newer' ? 'from a newer version of the playground' : 'damaged'}.`);
      return { runs, batch: read?.ok ? read.batch : null, notice: notices.length ? notices.join(' ') : null };
    },
    save: (run) => store.put(run.id, toRecord(run)),
    remove: (id) => store.delete(id),
    saveBatch: (batch) => batches.put(BATCH_KEY, toBatchRecord(batch)),
    clearBatch: () => batches.delete(BATCH_KEY),
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
const DB_VERSION = 2; // 2: the batches store
const RUNS = 'runs';
const BATCHES = 'batches';

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
      for (const name of [RUNS, BATCHES]) if (!req.result.objectStoreNames.contains(name)) req.result.createObjectStore(name);
    };
    req.onsuccess = () => {
      // A newer page (another tab after an update) upgrading the database must not be blocked by this one.
      req.result.onversionchange = () => req.result.close();
      resolve(req.result);
    };
    req.onerror = () => reject(req.error ?? new Error('could not open the database'));
    req.onblocked = () => reject(new Error('the database is blocked by another tab'));
  });
}

function idbStore(db: IDBDatabase, name: string): RecordStore {
  const run = async <T>(mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
    const tx = db.transaction(name, mode);
    // A write counts once its transaction commits, not when the request succeeds.
    const committed = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    });
    const result = await request(op(tx.objectStore(name)));
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
      const db = await openDb(idb);
      return { repo: repositoryOver(idbStore(db, RUNS), idbStore(db, BATCHES)), notice: null };
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
        return notice ? { ...loaded, notice } : loaded;
      } catch (e) {
        return { runs: [], batch: null, notice: `Saved runs could not be read (${e instanceof Error ? e.message : String(e)}); starting with an empty table.` };
      }
    },
    save: async (run) => (await opened).repo.save(run),
    remove: async (id) => (await opened).repo.remove(id),
    saveBatch: async (batch) => (await opened).repo.saveBatch(batch),
    clearBatch: async () => (await opened).repo.clearBatch(),
  };
}
