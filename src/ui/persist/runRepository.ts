/**
 * Where kept runs, and the batch in progress, live between page loads: IndexedDB in the browser,
 * a Map in tests and as the fallback. Both hold raw records under a key; reading them back
 * through `fromRecord` / `fromBatchRecord` is shared, so damaged or newer-version records are
 * skipped the same way whatever the storage.
 * Storage failures never throw into the page: loading reports them as a notice, saving rejects
 * and the caller shows it.
 */
import type { IDBPDatabase } from 'idb';
import { BLOCKED_WAIT_MS, openDatabase } from '../../storage/openDatabase';
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
type Store = typeof RUNS | typeof BATCHES;

/** Why this page keeps its runs in memory, in the user's words. */
export class StorageUnavailable extends Error {}

const isQuotaError = (e: unknown) => typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'QuotaExceededError';
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * The IndexedDB stores of one database. Once a write is refused for lack of space, later writes of
 * this page go to memory (records already stored are left as they are; a put that failed wrote
 * nothing, its transaction aborted) and `onFull` tells the caller once.
 */
function idbStores(db: IDBPDatabase): { runs: RecordStore; batches: RecordStore } {
  let full = false;
  const spilled: Record<Store, Map<string, unknown>> = { runs: new Map(), batches: new Map() };
  const over = (name: Store): RecordStore => ({
    async entries() {
      const tx = db.transaction(name); // one snapshot: keys and values line up
      const [keys, values] = await Promise.all([tx.store.getAllKeys(), tx.store.getAll()]);
      const merged = new Map(keys.map((k, i) => [String(k), values[i]]));
      for (const [k, v] of spilled[name]) merged.set(k, v); // this page's newer copies
      return [...merged.values()];
    },
    async put(key, value) {
      if (full) return void spilled[name].set(key, structuredClone(value));
      try {
        await db.put(name, value, key); // resolves once the transaction commits
      } catch (e) {
        if (!isQuotaError(e)) throw e;
        full = true;
        spilled[name].set(key, structuredClone(value));
        throw new Error(`the browser's storage for this site is full; this and later changes are kept for this page only (${messageOf(e)})`);
      }
    },
    async delete(key) {
      spilled[name].delete(key);
      await db.delete(name, key);
    },
  });
  return { runs: over(RUNS), batches: over(BATCHES) };
}

/**
 * Runs kept in IndexedDB. If it cannot be opened (absent, private mode, blocked by another tab,
 * corrupt profile), runs are kept in memory for this page and `load` says why.
 */
export function indexedDbRepository(blockedWaitMs = BLOCKED_WAIT_MS): RunRepository {
  const opened: Promise<{ repo: RunRepository; notice: string | null }> = (async () => {
    try {
      // idb opens through the global factory.
      if (typeof indexedDB === 'undefined' || !indexedDB) throw new StorageUnavailable('this browser has no IndexedDB, as in some private modes');
      const db = await openDatabase({
        name: DB_NAME, version: DB_VERSION, stores: [RUNS, BATCHES], blockedWaitMs,
        blockedError: () => new StorageUnavailable('another tab has an older version of the playground open; close it and reload to keep runs'),
      });
      const { runs, batches } = idbStores(db);
      return { repo: repositoryOver(runs, batches), notice: null };
    } catch (e) {
      const why = e instanceof StorageUnavailable ? e.message : `IndexedDB could not be opened: ${messageOf(e)}`;
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
        return { runs: [], batch: null, notice: `Saved runs could not be read (${messageOf(e)}); starting with an empty table.` };
      }
    },
    save: async (run) => (await opened).repo.save(run),
    remove: async (id) => (await opened).repo.remove(id),
    saveBatch: async (batch) => (await opened).repo.saveBatch(batch),
    clearBatch: async () => (await opened).repo.clearBatch(),
  };
}
