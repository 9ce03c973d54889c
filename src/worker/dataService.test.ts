/**
 * Load data in the worker, over a real (in-memory) IndexedDB and the runner's image decoder:
 * an import (a class folder, a CIFAR .tar.gz, IDX pairs) is stored whole under its hash and read
 * back after a "reload" (a new store on the same database) with the runner's hash; each bad input ends in a message and nothing stored;
 * a full disk keeps the dataset for the page only; no IndexedDB says so; delete takes the
 * dataset's teachers with it.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { gzipSync, zipSync } from 'fflate';
import { importFromDisk } from '../node/dataSource';
import { nodeImageDecoder } from '../node/imageDecode';
import { tempDir, writeCifarArchive, writeClassFolder } from '../../tests/importFixtures';
import { DataService } from './dataService';
import { indexedDbDatasetStore } from './datasetStore';
import type { DataEvent, ImportUpload, WorkerEvent } from './protocol';

/** The files of a folder as the page's folder input gives them (paths from the folder's name). */
function uploadsOf(root: string): ImportUpload[] {
  const top = path.basename(root);
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const full = path.join(e.parentPath, e.name);
      return { path: `${top}/${path.relative(root, full).split(path.sep).join('/')}`, file: new Blob([readFileSync(full)]) };
    });
}

function service(limits?: { maxArchiveBytes: number; maxExpandedBytes: number }) {
  const events: WorkerEvent[] = [];
  const data = new DataService(indexedDbDatasetStore(), (e) => events.push(e), { decode: nodeImageDecoder, ...(limits && { limits }) });
  const last = <T extends DataEvent['type']>(type: T) => events.filter((e): e is Extract<DataEvent, { type: T }> => e.type === type).at(-1);
  const load = (name: string, files: ImportUpload[]) => data.handle({ type: 'import-data', requestId: 1, name, files, side: 32, channels: 3 });
  return { data, events, last, load };
}

/** An IDX pair (MNIST layout) of `n` 28×28 images with labels 0…classes−1, gzipped. */
function idxPair(prefix: string, n: number, classes: number): ImportUpload[] {
  const header = (magic: number, dims: number[]) => {
    const b = new DataView(new ArrayBuffer(4 * (dims.length + 1)));
    [magic, ...dims].forEach((v, i) => b.setUint32(4 * i, v));
    return new Uint8Array(b.buffer);
  };
  const pixels = Uint8Array.from({ length: n * 784 }, (_, i) => (i * 37) % 251);
  const labels = Uint8Array.from({ length: n }, (_, i) => i % classes);
  const join = (a: Uint8Array, b: Uint8Array) => Uint8Array.from([...a, ...b]);
  return [
    { path: `${prefix}-images-idx3-ubyte.gz`, file: new Blob([gzipSync(join(header(0x803, [n, 28, 28]), pixels)) as Uint8Array<ArrayBuffer>]) },
    { path: `${prefix}-labels-idx1-ubyte.gz`, file: new Blob([gzipSync(join(header(0x801, [n]), labels)) as Uint8Array<ArrayBuffer>]) },
  ];
}

const png = (root: string) => readFileSync(path.join(root, 'circle', '000.png'));

beforeEach(() => vi.stubGlobal('indexedDB', new IDBFactory()));
afterEach(() => vi.unstubAllGlobals());

describe('Load data in the worker', () => {
  it('stores a folder whole under its hash (the runner\'s), reports progress and skips, and reads it back after a reload', async () => {
    const root = writeClassFolder(tempDir('ds-'), { perClass: 6, bad: true });
    const s = service();
    await s.load('shapes', uploadsOf(root));
    const report = s.last('imported')!.report!;
    expect(report.stored).toBe(true);
    expect(report.notice).toBeNull();
    expect(report.manifest.images.skippedByReason).toEqual({ 'empty file': 1, 'not an image file': 1, 'undecodable image': 1 });
    const node = await importFromDisk(root, { side: 32, channels: 3 });
    expect(report.manifest.hash).toBe(node.manifest.hash);
    expect(report.ref).toBe(`${node.info.id}:shapes:32x3:3:${node.manifest.counts.train}:${node.manifest.counts.test}`);
    const stages = s.events.flatMap((e) => (e.type === 'import-progress' ? [e.stage] : []));
    expect([...new Set(stages)]).toEqual(['reading', 'decoding', 'storing']);
    expect(s.last('datasets')!.datasets.map((d) => d.ref)).toEqual([report.ref]);

    const after = service(); // a reload: a new store on the same database
    await after.data.list();
    const listed = after.last('datasets')!;
    expect(listed.notice).toBeNull();
    expect(listed.datasets).toHaveLength(1);
    expect(listed.datasets[0].bytes).toBe(node.train.pixels.byteLength + node.test.pixels.byteLength + 2 * (node.train.count + node.test.count));
    const back = await after.data.dataset(report.ref);
    expect(back.train.pixels).toEqual(node.train.pixels);
    expect(back.test.labels).toEqual(node.test.labels);
  });

  it('takes the CIFAR-10 binary .tar.gz as one file and IDX pairs picked as several gzipped files', async () => {
    const cifar = writeCifarArchive(tempDir('cifar-'), 'cifar10', 20);
    const s = service();
    await s.load('cifar-10-binary.tar.gz', [{ path: 'cifar-10-binary.tar.gz', file: new Blob([readFileSync(cifar)]) }]);
    expect(s.last('imported')!.report!.manifest).toMatchObject({ source: { format: 'cifar10' }, split: { kind: 'given' }, counts: { train: 100, test: 20 }, side: 32, channels: 3 });
    await s.data.handle({ type: 'import-data', requestId: 1, name: 'digits', files: [...idxPair('train', 40, 4), ...idxPair('t10k', 12, 4)], side: 28, channels: 1 });
    expect(s.last('imported')!.report!.manifest).toMatchObject({ source: { format: 'idx' }, split: { kind: 'given' }, counts: { train: 40, test: 12 }, side: 28, channels: 1, classNames: ['0', '1', '2', '3'] });
    expect(s.last('datasets')!.datasets).toHaveLength(2);
  });

  it('a cancel ends the import at its next progress point, in any stage, storing nothing; a later import is unaffected', async () => {
    const cifar = writeCifarArchive(tempDir('cancel-'), 'cifar10', 120); // 720 images: three decoding progress points
    const files = [{ path: 'cifar-10-binary.tar.gz', file: new Blob([readFileSync(cifar)]) }];
    for (const stage of ['reading', 'decoding'] as const) {
      vi.stubGlobal('indexedDB', new IDBFactory()); // an empty database for each stage
      const s = service();
      const first = new Promise<void>((resolve) => {
        const seen = s.events.push.bind(s.events);
        // Cancel as the page would on seeing this stage's first progress (a message arriving mid-import).
        s.events.push = (...e: WorkerEvent[]) => {
          const n = seen(...e);
          if (e.some((x) => x.type === 'import-progress' && x.stage === stage)) resolve();
          return n;
        };
      });
      const done = s.load('cifar', files);
      await first;
      await s.data.handle({ type: 'cancel-import', requestId: 1 });
      await done;
      expect(s.last('imported')).toMatchObject({ report: null, cancelled: true, message: expect.stringMatching(/^cancelled after [\d.]+ s$/) });
      expect(s.events.filter((e) => e.type === 'import-progress' && e.stage === 'storing')).toEqual([]);
      expect(s.last('datasets')!.datasets).toEqual([]);
      await s.load('cifar', files); // the cancel was for that import only
      expect(s.last('imported')!.report!.manifest.counts).toMatchObject({ train: 600, test: 120 });
    }
  });

  it('answers every bad input with a message naming it, and stores nothing', async () => {
    const root = writeClassFolder(tempDir('bad-'), { perClass: 3 });
    const circles = uploadsOf(root).filter((u) => u.path.includes('/circle/'));
    const one = [...circles, { path: 'shapes/readme.txt', file: new Blob(['about']) }];
    const manyClasses: ImportUpload[] = Array.from({ length: 1001 }, (_, i) => ({ path: `many/c${i}/a.png`, file: new Blob([png(root)]) }));
    const cases: [string, ImportUpload[], RegExp][] = [
      ['one class', one, /one class only \("circle"\): need at least 2/],
      ['one folder', circles, /every file is in one folder \("shapes\/circle"\): need one subfolder per class, at least 2 classes/],
      ['over 1000 classes', manyClasses, /1001 classes, over the limit of 1000/],
      ['zero-byte files', [{ path: 'z/a/x.png', file: new Blob([]) }, { path: 'z/b/y.png', file: new Blob([]) }], /no usable images \(2 skipped, e\.g\. z\/a\/x\.png: empty file\)/],
      ['non-image files', [{ path: 't/a/x.txt', file: new Blob(['hello']) }, { path: 't/b/y.txt', file: new Blob(['there']) }], /no usable images \(2 skipped, e\.g\. t\/a\/x\.txt: not an image file\)/],
      ['corrupt images', [{ path: 'c/a/x.png', file: new Blob([png(root).subarray(0, 40)]) }, { path: 'c/b/y.png', file: new Blob([png(root).subarray(0, 40)]) }], /no usable images \(2 skipped, e\.g\. c\/a\/x\.png: undecodable image/],
      ['a corrupt zip', [{ path: 'broken.zip', file: new Blob([zipSync({ 'a/x.png': png(root) }).subarray(0, 60) as Uint8Array<ArrayBuffer>]) }], /broken\.zip: corrupt zip archive/],
    ];
    for (const [what, files, message] of cases) {
      const s = service();
      await s.load(what, files);
      expect(s.last('imported')!.report, what).toBeNull();
      expect(s.last('imported')!.message, what).toMatch(message);
      expect(s.last('datasets')!.datasets, what).toEqual([]);
    }
    const small = service({ maxArchiveBytes: 2 ** 20, maxExpandedBytes: 2 ** 21 });
    await small.load('big.zip', [{ path: 'big.zip', file: new Blob([new Uint8Array(1.5 * 2 ** 20)]) }]);
    expect(small.last('imported')!.message).toBe('big.zip: 1.5 MiB is over the 1.0 MiB limit');
    await small.load('folder', [1, 2, 3].map((i) => ({ path: `f/a/${i}.png`, file: new Blob([new Uint8Array(2 ** 20)]) })));
    expect(small.last('imported')!.message).toBe('the picked files: 3.0 MiB is over the 2.0 MiB limit');
    expect(small.last('datasets')!.datasets).toEqual([]);
  });

  it('a full disk: nothing of the dataset is stored, it serves this page, the report says so', async () => {
    const root = writeClassFolder(tempDir('full-'), { perClass: 3 });
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'datasets') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    };
    try {
      const s = service();
      await s.load('shapes', uploadsOf(root));
      const report = s.last('imported')!.report!;
      expect(report.stored).toBe(false);
      expect(report.notice).toMatch(/^Not stored: the browser's storage for this site is full .*; kept for this page only\.$/);
      expect(s.last('datasets')!.datasets.map((d) => d.ref)).toEqual([report.ref]);
      await expect(s.data.dataset(report.ref)).resolves.toMatchObject({ manifest: { hash: report.manifest.hash } });
      const after = service();
      await after.data.list();
      expect(after.last('datasets')!.datasets).toEqual([]); // the splits written first in the transaction were rolled back too
      await expect(after.data.dataset(report.ref)).rejects.toThrow(/is not loaded in this browser: load it with "Load data"/);
    } finally {
      IDBObjectStore.prototype.put = put;
    }
  });

  it('without IndexedDB the datasets are kept for this page and the list says why', async () => {
    vi.stubGlobal('indexedDB', undefined);
    const root = writeClassFolder(tempDir('noidb-'), { perClass: 3 });
    const s = service();
    await s.load('shapes', uploadsOf(root));
    expect(s.last('imported')!.report).toMatchObject({ stored: false, notice: expect.stringContaining('this browser has no IndexedDB') });
    expect(s.last('datasets')).toMatchObject({ datasets: [expect.anything()], notice: expect.stringContaining('kept for this page only') });
  });

  it('delete takes the dataset and its teachers', async () => {
    const root = writeClassFolder(tempDir('del-'), { perClass: 3 });
    const s = service();
    await s.load('shapes', uploadsOf(root));
    const { ref, manifest } = s.last('imported')!.report!;
    const id = ref.slice(0, 'import-'.length + 12);
    const info = { key: `${id}|resnet:16-32-64x1|recipe|seed1`, spec: 'resnet:16-32-64x1', testAcc: 0.9, steps: 3, epochs: 2, seconds: 1, backend: 'cpu' };
    const modelJson = { format: 'distill-playground/net', arch: info.spec, options: { inputSize: 32, inChannels: 3, classes: 3 }, weightsManifest: [] } as never;
    expect(await s.data.saveTeacher(id, { info, modelJson, weights: new ArrayBuffer(8) })).toBeNull();
    await s.data.list();
    expect(s.last('datasets')!.datasets[0].teachers).toEqual([info]);
    await s.data.handle({ type: 'delete-dataset', id });
    expect(s.last('datasets')!.datasets).toEqual([]);
    const after = service();
    await after.data.list();
    expect(after.last('datasets')!.datasets).toEqual([]);
    expect(await indexedDbDatasetStore().loadTeacher(info.key)).toBeNull();
    expect(manifest.hash.startsWith(id.slice('import-'.length))).toBe(true);
  });
});
