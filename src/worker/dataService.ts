/**
 * The worker's side of "Load data": reads the page's files, unpacks archives, runs the one
 * import pipeline (src/core/data/import) with the browser image decoder, keeps the result in
 * the dataset store (./datasetStore) and answers which datasets and teachers are there. A run's
 * environment gets imported datasets and their trained teachers from here.
 *
 * An import either stores the whole dataset or nothing (the store writes it in one
 * transaction); when storage refuses it (full, unavailable) the dataset is still kept for this
 * page's runs and the report says so.
 */
import { DataError } from '../core/data/decode';
import { describeDataset, importRefText, parseDatasetRef } from '../core/data/datasetRef';
import { ARCHIVE_LIMITS, type ArchiveLimits, type ImportFile, unpackArchive } from '../core/data/import/archive';
import { ImportError } from '../core/data/import/idx';
import { type ImageDecoder, type ImportedDataset, importDataset } from '../core/data/import/pipeline';
import type { Net } from '../core/models/net';
import { deserializeNet } from '../core/models/serialize';
import type { DatasetStore, StoredTeacher } from './datasetStore';
import { StorageFullError } from './datasetStore';
import { browserImageDecoder } from './imageDecode';
import type { Command, ImportUpload } from './protocol';
import type { Emit } from './studentOutputs';

const ARCHIVE_NAME = /\.(zip|tar|tgz|tar\.gz|gz)$/i;
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));
const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;

/**
 * The picked files as the pipeline's flat list: a single file is unpacked whatever it is (an
 * archive, a gzipped IDX file, …); among several (a folder), archives are unpacked in place.
 */
export async function readUploads(uploads: ImportUpload[], limits: ArchiveLimits, onFile: (done: number) => void | Promise<void>): Promise<ImportFile[]> {
  const total = uploads.reduce((s, u) => s + u.file.size, 0);
  const limit = uploads.length === 1 ? limits.maxArchiveBytes : limits.maxExpandedBytes;
  if (total > limit) throw new ImportError(uploads.length === 1 ? uploads[0].path : 'the picked files', `${mib(total)} is over the ${mib(limit)} limit`);
  const files: ImportFile[] = [];
  for (const [k, u] of uploads.entries()) {
    const bytes = new Uint8Array(await u.file.arrayBuffer());
    if (uploads.length === 1 || ARCHIVE_NAME.test(u.path)) {
      const dir = u.path.includes('/') ? u.path.slice(0, u.path.lastIndexOf('/') + 1) : '';
      for (const f of unpackArchive(u.path, bytes, limits)) files.push({ path: `${dir}${f.path}`, bytes: f.bytes });
    } else files.push({ path: u.path, bytes });
    await onFile(k + 1);
  }
  return files;
}

/** Thrown at an import's next progress point once the page cancels it. */
class ImportCancelled extends Error {}

export class DataService {
  /** Imported datasets of this page (stored or not) and those read back from the store. */
  private readonly loaded = new Map<string, ImportedDataset>();
  /** Imports the page has cancelled that have not reached a progress point yet. */
  private readonly cancelled = new Set<number>();

  private readonly decode: ImageDecoder;
  private readonly now: () => number;
  private readonly limits: ArchiveLimits;

  private readonly yieldToEvents: () => Promise<void>;

  /** `o`: Node tests pass the runner's decoder and smaller limits; the worker, its macrotask yield. */
  constructor(
    private readonly store: DatasetStore,
    private readonly emit: Emit,
    o: { decode?: ImageDecoder; now?: () => number; limits?: ArchiveLimits; yieldToEvents?: () => Promise<void> } = {},
  ) {
    this.decode = o.decode ?? browserImageDecoder;
    this.now = o.now ?? (() => performance.now());
    this.limits = o.limits ?? ARCHIVE_LIMITS;
    this.yieldToEvents = o.yieldToEvents ?? (() => new Promise((resolve) => setTimeout(resolve, 0)));
  }

  handle(command: Extract<Command, { type: 'import-data' | 'cancel-import' | 'list-datasets' | 'delete-dataset' }>): Promise<void> {
    switch (command.type) {
      case 'import-data':
        return this.importFiles(command);
      case 'cancel-import':
        this.cancelled.add(command.requestId);
        return Promise.resolve();
      case 'list-datasets':
        return this.list();
      case 'delete-dataset':
        return this.remove(command.id);
    }
  }

  private async importFiles(c: Extract<Command, { type: 'import-data' }>): Promise<void> {
    const { requestId } = c;
    const started = this.now();
    // Every progress point lets queued messages in, so a cancel ends the import there.
    const progress = async (stage: 'reading' | 'decoding' | 'storing', done: number, total: number) => {
      this.emit({ type: 'import-progress', runId: null, requestId, stage, done, total });
      await this.yieldToEvents();
      if (this.cancelled.delete(requestId)) throw new ImportCancelled();
    };
    try {
      await progress('reading', 0, c.files.length);
      const files = await readUploads(c.files, this.limits, (done) => progress('reading', done, c.files.length));
      const ds = await importDataset(c.name, files, {
        side: c.side,
        channels: c.channels,
        decode: this.decode,
        onProgress: (done, total) => progress('decoding', done, total),
      });
      await progress('storing', 0, 1); // the last point a cancel is taken: the store writes all or nothing
      let notice: string | null = null;
      try {
        await this.store.save(ds);
        notice = await this.store.notice;
      } catch (e) {
        notice = e instanceof StorageFullError ? `Not stored: ${e.message}; kept for this page only.` : `Not stored (${messageOf(e)}); kept for this page only.`;
      }
      this.loaded.set(ds.info.id, ds);
      const seconds = Math.round(this.now() - started) / 1000;
      this.emit({ type: 'imported', runId: null, requestId, report: { ref: refOf(ds), manifest: ds.manifest, stored: notice === null, notice, seconds } });
    } catch (e) {
      if (e instanceof ImportCancelled) this.emit({ type: 'imported', runId: null, requestId, report: null, cancelled: true, message: `cancelled after ${Math.round(this.now() - started) / 1000} s` });
      else this.emit({ type: 'imported', runId: null, requestId, report: null, message: messageOf(e) });
    }
    this.cancelled.delete(requestId);
    await this.list();
  }

  /** Sends `datasets`: the stored ones, plus those of this page that storage refused. */
  async list(): Promise<void> {
    try {
      const { datasets, builtinTeachers, damaged } = await this.store.list();
      const stored = new Set(datasets.map((d) => d.ref));
      for (const ds of this.loaded.values()) {
        const ref = refOf(ds);
        if (!stored.has(ref)) datasets.push({ ref, manifest: ds.manifest, bytes: ds.train.pixels.byteLength + ds.test.pixels.byteLength, teachers: [] });
      }
      const notices = [await this.store.notice, damaged > 0 ? `${damaged} damaged stored record${damaged > 1 ? 's were' : ' was'} skipped.` : null].filter(Boolean);
      this.emit({ type: 'datasets', runId: null, datasets, builtinTeachers, notice: notices.length ? notices.join(' ') : null });
    } catch (e) {
      this.emit({ type: 'datasets', runId: null, datasets: [], builtinTeachers: {}, notice: `Stored datasets could not be read (${messageOf(e)}).` });
    }
  }

  private async remove(id: string): Promise<void> {
    this.loaded.delete(id);
    try {
      await this.store.remove(id);
    } catch (e) {
      this.emit({ type: 'datasets', runId: null, datasets: [], builtinTeachers: {}, notice: `The dataset could not be deleted (${messageOf(e)}).` });
      return;
    }
    await this.list();
  }

  /** The imported dataset a config names; a DataError saying which one to load when it is absent. */
  async dataset(text: string): Promise<ImportedDataset> {
    const { id } = parseDatasetRef(text);
    const ds = this.loaded.get(id) ?? (await this.store.load(id).catch(() => null));
    if (!ds) throw new DataError(id, 'missing', `dataset ${describeDataset(text)} is not loaded in this browser: load it with "Load data"`);
    this.loaded.set(id, ds);
    return ds;
  }

  /** A teacher trained in the page for `key`, or null. */
  async teacher(key: string): Promise<Net | null> {
    const t = await this.store.loadTeacher(key);
    return t && deserializeNet(t.modelJson, t.weights, 'teacher', `stored teacher ${key}`);
  }

  /** Answers `stored-teacher`: the teacher stored under `key` (its weights transferred), or why not. */
  async sendTeacher(requestId: number, key: string): Promise<void> {
    try {
      const teacher = await this.store.loadTeacher(key);
      if (teacher) this.emit({ type: 'stored-teacher', runId: null, requestId, teacher }, [teacher.weights]);
      else this.emit({ type: 'stored-teacher', runId: null, requestId, teacher: null, message: `no teacher is stored under ${key}: train it with "Train teacher"` });
    } catch (e) {
      this.emit({ type: 'stored-teacher', runId: null, requestId, teacher: null, message: `the stored teacher could not be read (${messageOf(e)})` });
    }
  }

  /** Stores a trained teacher: null, or why it lasts for this page only (or not at all). */
  async saveTeacher(dataset: string, t: StoredTeacher): Promise<string | null> {
    try {
      await this.store.saveTeacher(dataset, t);
      return await this.store.notice;
    } catch (e) {
      return `the teacher is not stored (${messageOf(e)})`;
    }
  }
}

const refOf = (ds: ImportedDataset) => importRefText(ds.manifest);
