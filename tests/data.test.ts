import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { DATASETS, DATASET_IDS, type DatasetId, MANIFEST_PATH, splitPath } from '../src/core/data/datasets';
import { DataError, type Manifest, type ManifestEntry, decodeSplit } from '../src/core/data/decode';
import { type Dataset, Split, loadDataset, loadManifest } from '../src/core/data/loader';
import { PUBLIC_DIR, diskFetchBytes, nodeFetchBytes } from '../src/node/dataSource';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

let manifest: Manifest;
const loaded = {} as Record<DatasetId, Dataset>;

beforeAll(async () => {
  manifest = await loadManifest(nodeFetchBytes);
  for (const id of DATASET_IDS) loaded[id] = await loadDataset(id, nodeFetchBytes);
});

/** Expects `p` to reject with a DataError of this kind that names `file`. */
async function expectDataError(p: Promise<unknown>, file: string, kind?: DataError['kind']): Promise<DataError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DataError);
  const de = err as DataError;
  expect(de.file).toBe(file);
  expect(de.message).toContain(file);
  if (kind) expect(de.kind).toBe(kind);
  return de;
}

describe('shipped files', () => {
  it('match the manifest checksums and sizes', async () => {
    expect(manifest.files.map((f) => f.path).sort()).toEqual(DATASET_IDS.flatMap((id) => [splitPath(id, 'test'), splitPath(id, 'train')]).sort());
    for (const entry of manifest.files) {
      const gz = await nodeFetchBytes(entry.path);
      expect(gz.length, entry.path).toBe(entry.gzBytes);
      expect(sha256(gz), entry.path).toBe(entry.sha256Gz);
    }
    // The raw sha256 is checked by decodeSplit while loading (beforeAll).
  });

  it.each(DATASET_IDS)('%s has 60000/10000 examples of 28×28 and matches datasets.ts', (id) => {
    const { info, train, test } = loaded[id];
    expect([train.count, test.count]).toEqual([60000, 10000]);
    expect([info.trainCount, info.testCount]).toEqual([60000, 10000]);
    for (const s of [train, test]) expect([s.rows, s.cols, s.labels.length]).toEqual([28, 28, s.count]);
    expect(info.classNames).toHaveLength(10);
  });

  it.each(DATASET_IDS)('%s label histograms are plausible (each class 5–15 %%)', (id) => {
    for (const split of [loaded[id].train, loaded[id].test]) {
      const counts = split.classCounts();
      const entry = manifest.files.find((f) => f.path === splitPath(id, split.name))!;
      expect(counts).toEqual(entry.labelCounts);
      for (const c of counts) {
        expect(c / split.count).toBeGreaterThan(0.05);
        expect(c / split.count).toBeLessThan(0.15);
      }
    }
  });

  it.each(DATASET_IDS)('%s normalisation constants match the train pixels', (id) => {
    const split = loaded[id].train;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < split.count; i++) {
      for (const p of split.pixels(i)) {
        s += p;
        s2 += p * p;
      }
    }
    const n = split.count * 28 * 28;
    const mean = s / n / 255;
    const std = Math.sqrt(s2 / n / 255 ** 2 - mean ** 2);
    expect(Math.abs(DATASETS[id].mean - mean)).toBeLessThan(1e-6);
    expect(Math.abs(DATASETS[id].std - std)).toBeLessThan(1e-6);
    // and the normalised train set has mean ≈ 0, std ≈ 1 (checked on a slice)
    const x = split.gather(Int32Array.from({ length: 2000 }, (_, i) => i * 30)).x;
    const m = x.reduce((a, v) => a + v, 0) / x.length;
    expect(Math.abs(m)).toBeLessThan(0.05);
  });
});

describe('sampler', () => {
  const train = () => loaded.mnist.train;

  it('is deterministic for a seed and differs for another', () => {
    const a = train().sampler({ seed: 7 });
    const b = train().sampler({ seed: 7 });
    const c = train().sampler({ seed: 8 });
    for (let k = 0; k < 3; k++) {
      const [ba, bb, bc] = [a.nextBatch(32), b.nextBatch(32), c.nextBatch(32)];
      expect(bb.indices).toEqual(ba.indices);
      expect(bb.x).toEqual(ba.x);
      expect(bb.y).toEqual(ba.y);
      expect(bc.indices).not.toEqual(ba.indices);
    }
  });

  it('serves normalised [B,28,28,1] images with their labels', () => {
    const split = train();
    const { x, y, indices } = split.sampler({ seed: 1 }).nextBatch(16);
    expect([x.length, y.length, indices.length]).toEqual([16 * 784, 16, 16]);
    const { mean, std } = DATASETS.mnist;
    for (let b = 0; b < 16; b++) {
      const i = indices[b];
      expect(y[b]).toBe(split.labels[i]);
      const px = split.pixels(i);
      for (const k of [0, 300, 407, 783]) expect(x[b * 784 + k]).toBeCloseTo((px[k] / 255 - mean) / std, 5);
    }
  });

  it('visits every index once per epoch, reshuffles each epoch, and replays an epoch', () => {
    const s = train().sampler({ seed: 3, subset: 1000 });
    const epochs: number[][] = [];
    for (let e = 0; e < 2; e++) {
      const order: number[] = [];
      const sizes: number[] = [];
      for (let b = 0; b < s.batchesPerEpoch(64); b++) {
        const batch = s.nextBatch(64);
        expect(s.epoch).toBe(e);
        order.push(...batch.indices);
        sizes.push(batch.y.length);
      }
      expect(s.epochDone).toBe(true);
      expect(sizes.at(-1)).toBe(1000 - 64 * 15); // last batch is the remainder
      expect([...order].sort((p, q) => p - q)).toEqual([...s.indices]);
      epochs.push(order);
    }
    expect(epochs[1]).not.toEqual(epochs[0]);
    s.nextBatch(64);
    expect(s.epoch).toBe(2);
    s.startEpoch(1); // resuming at epoch 1 gives the same order again
    expect([...s.nextBatch(64).indices]).toEqual(epochs[1].slice(0, 64));
  });

  it('draws a seeded, class-balanced subset of the requested size', () => {
    const split = train();
    const a = split.sampler({ seed: 1, subset: 1005 });
    expect(a.size).toBe(1005);
    expect(new Set(a.indices).size).toBe(1005);
    const counts = split.classCounts(a.indices);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    expect(split.sampler({ seed: 1, subset: 1005 }).indices).toEqual(a.indices);
    expect(split.sampler({ seed: 2, subset: 1005 }).indices).not.toEqual(a.indices);
    // the subset has its own stream: same subsetSeed, different shuffling seed → same subset
    const b = split.sampler({ seed: 2, subsetSeed: 1, subset: 1005 });
    expect(b.indices).toEqual(a.indices);
    expect(b.nextBatch(32).indices).not.toEqual(a.nextBatch(32).indices);
  });

  it('takes the whole split for subset 0/undefined and stays balanced near class limits', () => {
    const split = train();
    expect(split.sampler({ seed: 1 }).size).toBe(60000);
    expect(split.sampler({ seed: 1, subset: 0 }).size).toBe(60000);
    // 59000 > 10 × 5421 (the smallest MNIST class): class 5 is used up, the rest stay within 1
    const counts = split.classCounts(split.sampler({ seed: 1, subset: 59000 }).indices);
    expect(counts.reduce((p, q) => p + q)).toBe(59000);
    expect(counts[5]).toBe(5421);
    const others = counts.filter((_, c) => c !== 5 && counts[c] < split.classCounts()[c]);
    expect(Math.max(...others) - Math.min(...others)).toBeLessThanOrEqual(1);
    expect(() => split.sampler({ seed: 1, subset: -1 })).toThrow(RangeError);
  });
});

describe('test split', () => {
  it('iterates all examples in order in batches, and image(i) matches', () => {
    const test = loaded.fashion.test;
    let seen = 0;
    let last = 0;
    for (const b of test.batches(3000)) {
      expect(b.indices[0]).toBe(seen);
      seen += b.indices.length;
      last = b.indices.length;
    }
    expect([seen, last]).toEqual([10000, 1000]);
    const batch = test.gather(Int32Array.of(1234));
    const img = test.image(1234);
    expect(img.length).toBe(28 * 28);
    expect(img).toEqual(batch.x);
  });
});

describe('errors', () => {
  const entryOf = (path: string): ManifestEntry => manifest.files.find((f) => f.path === path)!;
  const path = splitPath('mnist', 'test');
  let gz: Uint8Array;
  beforeAll(async () => {
    gz = await nodeFetchBytes(path);
  });

  it('a missing file is a DataError naming it', async () => {
    await expectDataError(nodeFetchBytes('data/nope.bin.gz'), 'data/nope.bin.gz', 'missing');
    // a public/ folder holding the manifest and the test file but not the train file
    const dir = mkdtempSync(join(tmpdir(), 'distill-data-'));
    mkdirSync(join(dir, 'data'));
    copyFileSync(join(PUBLIC_DIR, MANIFEST_PATH), join(dir, MANIFEST_PATH));
    copyFileSync(join(PUBLIC_DIR, path), join(dir, path));
    await expectDataError(loadDataset('mnist', diskFetchBytes(dir)), splitPath('mnist', 'train'), 'missing');
    rmSync(dir, { recursive: true });
    await expectDataError(loadDataset('mnist', (p) => (p === MANIFEST_PATH ? Promise.resolve(new TextEncoder().encode('{oops')) : nodeFetchBytes(p))), MANIFEST_PATH, 'manifest');
  });

  it('a truncated file is a DataError naming it', async () => {
    await expectDataError(decodeSplit(gz.subarray(0, gz.length >> 1), entryOf(path)), path, 'truncated');
  });

  it('a flipped byte is a DataError naming it', async () => {
    const bad = gz.slice();
    bad[gz.length >> 1] ^= 0x40;
    const err = await expectDataError(decodeSplit(bad, entryOf(path)), path);
    expect(['corrupt-gzip', 'checksum']).toContain(err.kind);
    // a flip that still inflates cleanly is caught by the checksum
    const entry = { ...entryOf(path), sha256Raw: '0'.repeat(64) };
    await expectDataError(decodeSplit(gz, entry), path, 'checksum');
  });

  it('bad gzip and bad labels are DataErrors naming the file', async () => {
    const notGzip = gz.slice();
    notGzip[0] = 0x00;
    await expectDataError(decodeSplit(notGzip, entryOf(path)), path, 'corrupt-gzip');
    const badDeflate = gz.slice();
    badDeflate.fill(0xff, 10, 200); // garbage where the deflate stream starts
    await expectDataError(decodeSplit(badDeflate, entryOf(path)), path, 'corrupt-gzip');

    // a tiny hand-made split whose label 12 is out of range (checksum right, so the label check fires)
    const raw = new Uint8Array(2 * 785);
    raw[2 * 784] = 3;
    raw[2 * 784 + 1] = 12;
    const tiny = gzipSync(raw, { level: 1, mtime: 0 });
    const entry: ManifestEntry = { ...entryOf(path), path: 'data/tiny.bin.gz', count: 2, rawBytes: raw.length, gzBytes: tiny.length, sha256Raw: sha256(raw) };
    const err = await expectDataError(decodeSplit(tiny, entry), 'data/tiny.bin.gz', 'bad-label');
    expect(err.message).toContain('bad label: 12');
  });

  it('accepts bytes a server already inflated', async () => {
    const data = await decodeSplit(gz, entryOf(path));
    const raw = new Uint8Array(data.pixels.length + data.labels.length);
    raw.set(data.pixels);
    raw.set(data.labels, data.pixels.length);
    const again = new Split(DATASETS.mnist, 'test', await decodeSplit(raw, entryOf(path)));
    expect(again.classCounts()).toEqual(entryOf(path).labelCounts);
  });
});
