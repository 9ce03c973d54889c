/**
 * Loads a dataset through an injected `fetchBytes` (disk in Node, fetch in the browser worker)
 * and serves it as plain typed arrays; the trainer turns them into tensors.
 *
 *   const ds = await loadDataset('mnist', fetchBytes);
 *   const sampler = ds.train.sampler({ seed, subset: 5000 });
 *   const { x, y, indices } = sampler.nextBatch(64);      // x [64,28,28,1], y [64]
 *   for (const b of ds.test.batches(500)) evaluate(b);     // fixed order
 */
import { Rng } from '../random';
import { type DatasetId, type DatasetInfo, type SplitName, MANIFEST_PATH, datasetInfo, splitPath } from './datasets';
import { DataError, type Manifest, type SplitData, decodeSplit, findEntry, parseManifest } from './decode';

/** Reads a file given its path relative to public/, e.g. `data/manifest.json`. */
export type FetchBytes = (path: string) => Promise<Uint8Array>;

export interface Batch {
  x: Float32Array; // [B, rows, cols, channels], normalised with the dataset's mean/std (per channel)
  y: Int32Array; // [B] class ids
  indices: Int32Array; // [B] example indices into the full split (e.g. to look up cached teacher logits)
}

export interface Dataset {
  info: DatasetInfo;
  train: Split;
  test: Split;
}

export interface SamplerOptions {
  seed: number;
  /** Train on a class-balanced subset of this many examples; 0 or undefined = all. */
  subset?: number;
  /** Seed for drawing the subset (default: `seed`); fix it to compare runs on the same subset. */
  subsetSeed?: number;
}

// Rng streams of the data pipeline, far from the small stream numbers other modules use.
const SUBSET_STREAM = 0x5ab5e7;
const EPOCH_STREAM = 0x0e90c000; // + epoch

/** One split held as uint8 pixels; normalises on the way out. */
export class Split {
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
  readonly channels: number;
  readonly labels: Uint8Array | Uint16Array; // [count]
  private readonly pixelData: Uint8Array; // [count, rows, cols, channels]
  private readonly lut: Float32Array; // [channels, 256] pixel value → normalised value

  constructor(
    readonly info: DatasetInfo,
    readonly name: SplitName,
    data: SplitData,
  ) {
    this.count = data.count;
    this.rows = data.rows;
    this.cols = data.cols;
    this.labels = data.labels;
    this.channels = info.channels;
    this.pixelData = data.pixels;
    const mean = info.channelMean ?? [info.mean];
    const std = info.channelStd ?? [info.std];
    if (mean.length !== this.channels || std.length !== this.channels) throw new RangeError(`${info.name}: ${mean.length} channel means for ${this.channels} channels`);
    this.lut = new Float32Array(256 * this.channels);
    for (let c = 0; c < this.channels; c++) for (let p = 0; p < 256; p++) this.lut[c * 256 + p] = (p / 255 - mean[c]) / std[c];
  }

  /** Raw pixels of example i, a view [rows, cols, channels] (for drawing). */
  pixels(i: number): Uint8Array {
    const n = this.rows * this.cols * this.channels;
    return this.pixelData.subarray(i * n, (i + 1) * n);
  }

  /** Normalised example i, [rows, cols, channels] (e.g. for feature-map views). */
  image(i: number): Float32Array {
    return this.gather(Int32Array.of(i)).x;
  }

  /** Normalised copy of the given examples. */
  gather(indices: Int32Array): Batch {
    const c = this.channels;
    const n = this.rows * this.cols * c;
    const x = new Float32Array(indices.length * n);
    const y = new Int32Array(indices.length);
    for (let b = 0; b < indices.length; b++) {
      const i = indices[b];
      if (!(i >= 0 && i < this.count)) throw new RangeError(`example ${i} outside 0..${this.count - 1}`);
      const src = this.pixelData.subarray(i * n, (i + 1) * n);
      if (c === 1) for (let k = 0; k < n; k++) x[b * n + k] = this.lut[src[k]];
      else for (let k = 0; k < n; k++) x[b * n + k] = this.lut[(k % c) * 256 + src[k]];
      y[b] = this.labels[i];
    }
    return { x, y, indices };
  }

  /** All examples in file order, in batches of `batchSize` (the last may be smaller). */
  *batches(batchSize: number): Generator<Batch> {
    checkBatchSize(batchSize);
    for (let start = 0; start < this.count; start += batchSize) {
      const end = Math.min(start + batchSize, this.count);
      yield this.gather(Int32Array.from({ length: end - start }, (_, k) => start + k));
    }
  }

  /** Examples per class, [numClasses]. */
  classCounts(indices?: Int32Array): number[] {
    const counts = new Array<number>(this.info.numClasses).fill(0);
    if (indices) for (const i of indices) counts[this.labels[i]]++;
    else for (const l of this.labels) counts[l]++;
    return counts;
  }

  sampler(opts: SamplerOptions): Sampler {
    return new Sampler(this, opts);
  }
}

/**
 * Seeded epochs over a split (or a class-balanced subset of it). Epoch e is a permutation drawn
 * from its own stream, so it depends only on (seed, e): resuming at epoch e replays the same order.
 * Batches never straddle epochs: the last batch of an epoch may be smaller.
 */
export class Sampler {
  readonly indices: Int32Array; // examples this sampler draws from, ascending
  private order: Int32Array; // indices, shuffled for the current epoch
  private pos = 0;
  private epochIndex = 0;
  private readonly seed: number;

  constructor(
    readonly split: Split,
    opts: SamplerOptions,
  ) {
    this.seed = opts.seed;
    this.indices = balancedSubset(split, opts.subset ?? 0, Rng.derive(opts.subsetSeed ?? opts.seed, SUBSET_STREAM));
    this.order = this.indices;
    this.startEpoch(0);
  }

  get size(): number {
    return this.indices.length;
  }
  /** Epoch of the batches being served. */
  get epoch(): number {
    return this.epochIndex;
  }
  /** Examples already served in the current epoch. */
  get position(): number {
    return this.pos;
  }
  get epochDone(): boolean {
    return this.pos >= this.size;
  }

  batchesPerEpoch(batchSize: number): number {
    return Math.ceil(this.size / batchSize);
  }

  /** Jumps to the start of epoch e. */
  startEpoch(e: number): void {
    this.order = Rng.derive(this.seed, EPOCH_STREAM + e).shuffle(Int32Array.from(this.indices));
    this.epochIndex = e;
    this.pos = 0;
  }

  /** The next batch; moves on to the next epoch once the current one is used up. */
  nextBatch(batchSize: number): Batch {
    checkBatchSize(batchSize);
    if (this.epochDone) this.startEpoch(this.epochIndex + 1);
    const end = Math.min(this.pos + batchSize, this.size);
    const batch = this.split.gather(this.order.slice(this.pos, end));
    this.pos = end;
    return batch;
  }
}

/**
 * `n` examples, as even across classes as the class sizes allow: each class's examples are
 * shuffled, then classes (in a shuffled order, so no class always gets the remainder) take
 * turns giving one. n ≤ 0 or n ≥ count means the whole split. Returns ascending indices.
 */
export function balancedSubset(split: Split, n: number, rng: Rng): Int32Array {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`subset size must be a whole number ≥ 0, got ${n}`);
  if (n === 0 || n >= split.count) return Int32Array.from({ length: split.count }, (_, i) => i);
  const byClass: number[][] = Array.from({ length: split.info.numClasses }, () => []);
  split.labels.forEach((label, i) => byClass[label].push(i));
  for (const members of byClass) rng.shuffle(members);
  const classOrder = rng.shuffle(byClass.map((_, c) => c));
  const picked = new Int32Array(n);
  let taken = 0;
  for (let round = 0; taken < n; round++) {
    for (const c of classOrder) {
      if (taken === n) break;
      if (round < byClass[c].length) picked[taken++] = byClass[c][round];
    }
  }
  return picked.sort();
}

function checkBatchSize(batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize <= 0) throw new RangeError(`batch size must be a whole number > 0, got ${batchSize}`);
}

export async function loadManifest(fetchBytes: FetchBytes): Promise<Manifest> {
  return parseManifest(await fetchBytes(MANIFEST_PATH), MANIFEST_PATH);
}

/** Loads and validates one split. Pass the manifest when loading several. */
export async function loadSplit(id: DatasetId, split: SplitName, fetchBytes: FetchBytes, manifest?: Manifest): Promise<Split> {
  const info = datasetInfo(id);
  const entry = findEntry(manifest ?? (await loadManifest(fetchBytes)), id, split, MANIFEST_PATH);
  const expected = split === 'train' ? info.trainCount : info.testCount;
  if (entry.path !== splitPath(id, split) || entry.count !== expected || entry.rows !== info.imageSize || entry.cols !== info.imageSize) {
    throw new DataError(MANIFEST_PATH, 'manifest', `entry for ${id}/${split} does not match datasets.ts (path, count or size)`);
  }
  return new Split(info, split, await decodeSplit(await fetchBytes(entry.path), entry));
}

export async function loadDataset(id: DatasetId, fetchBytes: FetchBytes): Promise<Dataset> {
  const manifest = await loadManifest(fetchBytes);
  const [train, test] = await Promise.all([loadSplit(id, 'train', fetchBytes, manifest), loadSplit(id, 'test', fetchBytes, manifest)]);
  return { info: datasetInfo(id), train, test };
}

/** fetchBytes over HTTP, for the browser worker: `fetchBytesFromUrl(import.meta.env.BASE_URL)`. */
export function fetchBytesFromUrl(baseUrl: string): FetchBytes {
  return async (path) => {
    const url = new URL(path, new URL(baseUrl, globalThis.location?.href));
    let res: Response;
    try {
      res = await fetch(url);
    } catch (e) {
      throw new DataError(path, 'missing', `fetch failed (${(e as Error).message})`);
    }
    if (!res.ok) throw new DataError(path, 'missing', `HTTP ${res.status} from ${url.href}`);
    return new Uint8Array(await res.arrayBuffer());
  };
}
