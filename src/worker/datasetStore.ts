/**
 * Loaded datasets and the teachers trained on them, kept in IndexedDB (database
 * `distill-datasets`, on the `idb` library) between page loads; the worker is its only user.
 *
 *   datasets  import-<12 hex> → { version, ref, manifest, bytes }        small: listed at start
 *   splits    import-<12 hex> → { train, test }  (SplitData: uint8 pixels [N, S, S, C], uint16 labels)
 *   teachers  teacherKey      → { version, dataset, info, modelJson, weights }  (dataset: import-<hash>, or a
 *                                built-in id for a teacher that is not shipped)
 *
 * A dataset's two records are written in one transaction, so a refused write (a full disk)
 * stores nothing of it. Without IndexedDB (some private modes), or when it cannot be opened or
 * is blocked by another tab, everything is kept in memory for this page and `notice` says why.
 */
import type { IDBPDatabase } from 'idb';
import { BLOCKED_WAIT_MS, openDatabase } from '../storage/openDatabase';
import type { SplitData } from '../core/data/decode';
import { importRefText } from '../core/data/datasetRef';
import { DATASET_IDS } from '../core/data/datasets';
import { type ImportedDataset, type ImportManifest, importedInfo } from '../core/data/import/pipeline';
import type { NetModelJson } from '../core/models/serialize';

const DB_NAME = 'distill-datasets';
const DB_VERSION = 1;
const TABLES = ['datasets', 'splits', 'teachers'] as const;
type Table = (typeof TABLES)[number];
const RECORD_VERSION = 1;

/** A teacher trained in the page, as listed: what its manifest says. */
export interface TeacherInfo {
  key: string; // teacherKey(dataset, spec, epochs)
  spec: string;
  testAcc: number; // on the dataset's whole test split
  steps: number;
  epochs: number;
  seconds: number;
  backend: string;
}

export interface StoredDataset {
  ref: string; // the config's dataset text (datasetRef.ts)
  manifest: ImportManifest;
  bytes: number; // of the stored pixels and labels
  teachers: TeacherInfo[];
}

/** Teachers trained in the page on the built-in datasets (any spec that is not shipped), by dataset id. */
export type BuiltinTeachers = Record<string, TeacherInfo[]>;

export interface StoredTeacher {
  info: TeacherInfo;
  modelJson: NetModelJson;
  weights: ArrayBuffer;
}

export interface DatasetStore {
  /** Why loaded data lasts only for this page (null: it is stored). */
  readonly notice: Promise<string | null>;
  /** The loaded datasets with their teachers, and the teachers trained here on the built-in datasets (by dataset id). */
  list(): Promise<{ datasets: StoredDataset[]; builtinTeachers: BuiltinTeachers; damaged: number }>;
  load(id: string): Promise<ImportedDataset | null>;
  save(ds: ImportedDataset): Promise<void>;
  remove(id: string): Promise<void>;
  loadTeacher(key: string): Promise<StoredTeacher | null>;
  saveTeacher(dataset: string, teacher: StoredTeacher): Promise<void>;
}

/** The raw tables under a store: IndexedDB, or Maps. */
interface Tables {
  get(table: Table, key: string): Promise<unknown>;
  all(table: Table): Promise<unknown[]>;
  /** Writes all or nothing. */
  put(writes: { table: Table; key: string; value: unknown }[]): Promise<void>;
  /** Deletes the keys and every teacher of `dataset`, all or nothing. */
  removeDataset(dataset: string): Promise<void>;
}

export class StorageFullError extends Error {
  override readonly name = 'StorageFullError';
}

const isBuiltinDataset = (id: string) => (DATASET_IDS as readonly string[]).includes(id);
const isQuotaError = (e: unknown) => typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'QuotaExceededError';
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** A split as its own buffers: a view into the import's one pixel buffer would store all of it. */
const own = (d: SplitData): SplitData => ({ ...d, pixels: d.pixels.slice(), labels: d.labels.slice() });
const bytesOf = (d: SplitData) => d.pixels.byteLength + d.labels.byteLength;

function isSplit(x: unknown, per: number): x is SplitData {
  const d = x as SplitData | null;
  return !!d && d.pixels instanceof Uint8Array && d.labels instanceof Uint16Array && d.labels.length === d.count && d.pixels.length === d.count * per;
}

function readDataset(x: unknown): Omit<StoredDataset, 'teachers'> | null {
  const r = x as { version?: unknown; manifest?: ImportManifest; bytes?: unknown } | null;
  if (!r || r.version !== RECORD_VERSION || typeof r.bytes !== 'number' || typeof r.manifest?.hash !== 'string') return null;
  return { ref: importRefText(r.manifest), manifest: r.manifest, bytes: r.bytes };
}

function readTeacher(x: unknown): (StoredTeacher & { dataset: string }) | null {
  const r = x as { version?: unknown; dataset?: unknown; info?: TeacherInfo; modelJson?: NetModelJson; weights?: unknown } | null;
  if (!r || r.version !== RECORD_VERSION || typeof r.dataset !== 'string' || !r.info || !r.modelJson || !(r.weights instanceof ArrayBuffer)) return null;
  return { dataset: r.dataset, info: r.info, modelJson: r.modelJson, weights: r.weights };
}

export function storeOver(tables: Tables, notice: Promise<string | null> = Promise.resolve(null)): DatasetStore {
  return {
    notice,
    async list() {
      const [sets, teachers] = await Promise.all([tables.all('datasets'), tables.all('teachers')]);
      const readTeachers = teachers.map(readTeacher);
      const datasets = sets.flatMap((x) => {
        const d = readDataset(x);
        if (!d) return [];
        const id = importedInfo(d.manifest).id;
        return [{ ...d, teachers: readTeachers.flatMap((t) => (t && t.dataset === id ? [t.info] : [])) }];
      });
      const builtinTeachers: BuiltinTeachers = {};
      for (const t of readTeachers) if (t && isBuiltinDataset(t.dataset)) (builtinTeachers[t.dataset] ??= []).push(t.info);
      const damaged = sets.length - datasets.length + readTeachers.filter((t) => !t).length;
      return { datasets: datasets.sort((a, b) => a.manifest.name.localeCompare(b.manifest.name)), builtinTeachers, damaged };
    },
    async load(id) {
      const [meta, splits] = await Promise.all([tables.get('datasets', id), tables.get('splits', id)]);
      const d = readDataset(meta);
      if (!d) return null;
      const m = d.manifest;
      const s = splits as { train?: unknown; test?: unknown } | undefined;
      const per = m.side * m.side * m.channels;
      if (!s || !isSplit(s.train, per) || !isSplit(s.test, per)) return null;
      return { manifest: m, info: importedInfo(m), train: s.train, test: s.test };
    },
    async save(ds) {
      const { id } = ds.info;
      const [train, test] = [own(ds.train), own(ds.test)];
      const record = { version: RECORD_VERSION, manifest: ds.manifest, bytes: bytesOf(train) + bytesOf(test) };
      await tables.put([
        { table: 'splits', key: id, value: { train, test } },
        { table: 'datasets', key: id, value: record },
      ]);
    },
    remove: (id) => tables.removeDataset(id),
    async loadTeacher(key) {
      const t = readTeacher(await tables.get('teachers', key));
      return t && { info: t.info, modelJson: t.modelJson, weights: t.weights };
    },
    async saveTeacher(dataset, t) {
      await tables.put([{ table: 'teachers', key: t.info.key, value: { version: RECORD_VERSION, dataset, ...t } }]);
    },
  };
}

/** Maps (tests, and the page without IndexedDB). */
export function memoryTables(): Tables {
  const maps = Object.fromEntries(TABLES.map((t) => [t, new Map<string, unknown>()])) as Record<Table, Map<string, unknown>>;
  return {
    get: async (t, k) => maps[t].get(k),
    all: async (t) => [...maps[t].values()],
    put: async (writes) => writes.forEach((w) => maps[w.table].set(w.key, structuredClone(w.value))),
    async removeDataset(id) {
      maps.datasets.delete(id);
      maps.splits.delete(id);
      for (const [k, v] of maps.teachers) if ((v as { dataset?: unknown }).dataset === id) maps.teachers.delete(k);
    },
  };
}

function idbTables(db: IDBPDatabase): Tables {
  return {
    get: (t, k) => db.get(t, k),
    all: (t) => db.getAll(t),
    async put(writes) {
      const tx = db.transaction([...new Set(writes.map((w) => w.table))], 'readwrite');
      try {
        await Promise.all([...writes.map((w) => tx.objectStore(w.table).put(w.value, w.key)), tx.done]);
      } catch (e) {
        // The transaction aborted: none of the writes is stored.
        if (isQuotaError(e) || isQuotaError(tx.error)) throw new StorageFullError(`the browser's storage for this site is full (${messageOf(e)})`);
        throw e;
      }
    },
    async removeDataset(id) {
      const tx = db.transaction(['datasets', 'splits', 'teachers'], 'readwrite');
      const teachers = tx.objectStore('teachers');
      const keys = (await teachers.getAllKeys()).filter((k) => String(k).startsWith(`${id}|`));
      await Promise.all([tx.objectStore('datasets').delete(id), tx.objectStore('splits').delete(id), ...keys.map((k) => teachers.delete(k)), tx.done]);
    },
  };
}

/** Opens the database (a blocked open is given up after `blockedWaitMs`). */
async function openTables(blockedWaitMs: number): Promise<Tables> {
  if (typeof indexedDB === 'undefined' || !indexedDB) throw new Error('this browser has no IndexedDB, as in some private modes');
  const blockedError = () => new Error('another tab has an older version of the playground open; close it and reload');
  return idbTables(await openDatabase({ name: DB_NAME, version: DB_VERSION, stores: TABLES, blockedWaitMs, blockedError }));
}

/** The store in IndexedDB, or in memory with a notice when IndexedDB cannot be had. */
export function indexedDbDatasetStore(blockedWaitMs = BLOCKED_WAIT_MS): DatasetStore {
  const opened = openTables(blockedWaitMs).then(
    (tables) => ({ tables, notice: null }),
    (e: unknown) => ({ tables: memoryTables(), notice: `Loaded datasets and teachers are kept for this page only: they cannot be stored (${messageOf(e)}).` }),
  );
  const lazy: Tables = {
    get: async (t, k) => (await opened).tables.get(t, k),
    all: async (t) => (await opened).tables.all(t),
    put: async (w) => (await opened).tables.put(w),
    removeDataset: async (id) => (await opened).tables.removeDataset(id),
  };
  return storeOver(lazy, opened.then((o) => o.notice));
}
