/**
 * The one import pipeline (page and runner): unpacked files → recognised source → every image
 * decoded, brought to side×side (resize.ts) and the chosen channels as uint8 → train/test split
 * (the source's, else seeded per class) → per-channel mean/std of the train split → content
 * hash and manifest. It either returns the whole dataset or throws an ImportError: nothing is
 * ever half-made. Images that cannot be used are skipped and counted with their reason.
 *
 *   const files = unpackArchive(name, bytes);
 *   const ds = await importDataset(name, files, { side: 32, decode });
 *   ds.train.pixels  // [count, 32, 32, channels] uint8
 */
import { Rng } from '../../random';
import type { DatasetInfo } from '../datasets';
import type { SplitData } from '../decode';
import { type Dataset, Split } from '../loader';
import { type ImportFile } from './archive';
import { ImportError } from './idx';
import { MAX_CLASSES, SIDES, type Side } from './limits';
import { fitSquare } from './resize';
import { type RawImage, type RawItem, type Skip, type SourceOptions, readSource } from './sources';

export { MAX_CLASSES, SIDES, type Side } from './limits';
export const DEFAULT_TEST_FRACTION = 0.2;
export const DEFAULT_SPLIT_SEED = 1;
/** Images whose width·height exceeds this are skipped (a 4096² photo decodes to 64 MiB of RGBA). */
export const MAX_IMAGE_PIXELS = 4096 * 4096;
export const RESIZE_METHOD = 'centre square crop of the shorter side, resampled to side×side with an antialiased bilinear (triangle) filter';

/**
 * Decodes one image file; throws (or rejects) when it cannot. In Node: src/node/imageDecode.ts
 * (synchronous); in the page: src/worker/imageDecode.ts (createImageBitmap, asynchronous).
 */
export type ImageDecoder = (bytes: Uint8Array, path: string) => RawImage | Promise<RawImage>;

export interface ImportOptions extends SourceOptions {
  side?: Side; // default: the source's own side when it is one of SIDES, else 32
  channels?: 1 | 3; // default: 3 for colour sources, 1 when every image is grey
  testFraction?: number; // of each class, when the source gives no train/test split
  seed?: number; // of that split
  decode?: ImageDecoder; // needed for image files
  /**
   * Called as images are read: `done` of `total` source items (every PROGRESS_EVERY and at the
   * end), and awaited: the page's worker yields there to take a cancel, and throws to end the import.
   */
  onProgress?: (done: number, total: number) => void | Promise<void>;
}

const PROGRESS_EVERY = 256;

export type SplitOrigin = { kind: 'given' } | { kind: 'seeded'; testFraction: number; seed: number };

export interface ImportManifest {
  version: 1;
  hash: string; // sha256 hex of the stored content (see contentHash)
  name: string;
  source: { name: string; format: string };
  side: number;
  channels: 1 | 3;
  resize: string;
  classNames: string[];
  split: SplitOrigin;
  counts: { train: number; test: number; trainPerClass: number[]; testPerClass: number[] };
  /** Per channel, of p/255 over the train split: x = (p/255 − mean[c]) / std[c]. */
  normalisation: { mean: number[]; std: number[] };
  images: { used: number; resized: number; skipped: number; skippedByReason: Record<string, number>; skippedFiles: Skip[] };
}

export interface ImportedDataset {
  manifest: ImportManifest;
  info: DatasetInfo;
  train: SplitData; // pixels [count, side, side, channels]
  test: SplitData;
}

/** At most this many skipped files are listed by name in the manifest (all are counted). */
const LISTED_SKIPS = 50;
const SPLIT_STREAM = 0x5e1117;

export async function importDataset(name: string, files: ImportFile[], o: ImportOptions = {}): Promise<ImportedDataset> {
  const raw = readSource(name, files, o);
  const classes = raw.classNames.length;
  if (classes < 2) throw new ImportError(name, `one class only ("${raw.classNames[0] ?? ''}"): need at least 2`);
  if (classes > MAX_CLASSES) throw new ImportError(name, `${classes} classes, over the limit of ${MAX_CLASSES}`);

  const first = raw.items.find((it) => it.image)?.image;
  const side = o.side ?? (first && first.width === first.height && (SIDES as readonly number[]).includes(first.width) ? (first.width as Side) : 32);
  if (!(SIDES as readonly number[]).includes(side)) throw new ImportError(name, `side ${side} is not one of ${SIDES.join(', ')}`);

  const skipped = [...raw.skipped];
  // Folders may hold colour or grey images: fit them as RGB and reduce to grey at the end if all were grey.
  const known = o.channels ?? (raw.format === 'idx' ? 1 : raw.format === 'folders' ? undefined : 3);
  const fitChannels = known ?? 3;
  const per = side * side * fitChannels;
  let pixels: Uint8Array = new Uint8Array(raw.items.length * per);
  const used: RawItem[] = [];
  let resized = 0;
  let anyColour = false;
  for (const [k, item] of raw.items.entries()) {
    if (k % PROGRESS_EVERY === 0) await o.onProgress?.(k, raw.items.length);
    const img = item.image ?? (await decodeItem(item, o.decode, skipped));
    if (!img) continue;
    if (img.width !== side || img.height !== side) resized++;
    if (img.channels >= 3 && !anyColour) anyColour = !isGrey(img);
    fitSquare(img, side, fitChannels, pixels, used.length * per);
    used.push(item);
  }
  await o.onProgress?.(raw.items.length, raw.items.length);
  const channels = known ?? (anyColour ? 3 : 1);
  pixels = pixels.subarray(0, used.length * per);
  if (channels !== fitChannels) pixels = toGrey(pixels);

  const labels = Uint16Array.from(used, (it) => it.label);
  const present = new Set(labels);
  const empty = raw.classNames.filter((_, c) => !present.has(c));
  if (used.length === 0) throw new ImportError(name, `no usable images (${skipped.length} skipped${skipped[0] ? `, e.g. ${skipped[0].path}: ${skipped[0].reason}` : ''})`);
  // A class folder with nothing usable is a mistake; CIFAR and IDX name their classes up front, a sample may lack some.
  if (raw.format === 'folders' && empty.length > 0) throw new ImportError(name, `no usable images in class${empty.length > 1 ? 'es' : ''} ${empty.slice(0, 5).map((c) => `"${c}"`).join(', ')}${empty.length > 5 ? '…' : ''}`);

  const { isTest, origin } = chooseSplit(used, labels, classes, o);
  const pick = (test: boolean) => used.map((_, i) => i).filter((i) => isTest[i] === test);
  const trainIdx = pick(false);
  const testIdx = pick(true);
  if (trainIdx.length === 0 || testIdx.length === 0) throw new ImportError(name, `the ${trainIdx.length === 0 ? 'train' : 'test'} split is empty`);
  const n = side * side * channels;
  const gatherSplit = (idx: number[]): SplitData => {
    // A split given as whole files (CIFAR batches, IDX pairs) is one run of images: a view, not a copy.
    const run = idx.every((v, k) => v === idx[0] + k);
    const px = run ? pixels.subarray(idx[0] * n, (idx[0] + idx.length) * n) : new Uint8Array(idx.length * n);
    if (!run) idx.forEach((i, k) => px.set(pixels.subarray(i * n, (i + 1) * n), k * n));
    return { count: idx.length, rows: side, cols: side, pixels: px, labels: Uint16Array.from(idx, (i) => labels[i]) };
  };
  const train = gatherSplit(trainIdx);
  const test = gatherSplit(testIdx);
  const normalisation = channelStats(train.pixels, channels, name);
  const hash = await contentHash(side, channels, raw.classNames, train, test);

  const byReason: Record<string, number> = {};
  for (const s of skipped) byReason[s.reason.replace(/ \(.*$/, '')] = (byReason[s.reason.replace(/ \(.*$/, '')] ?? 0) + 1;
  const perClass = (d: SplitData) => {
    const c = new Array<number>(classes).fill(0);
    for (const l of d.labels) c[l]++;
    return c;
  };
  const manifest: ImportManifest = {
    version: 1,
    hash,
    name: name.replace(/^.*\//, '').replace(/\.(zip|tar|tgz|tar\.gz|gz)$/i, ''),
    source: { name, format: raw.format },
    side,
    channels,
    resize: RESIZE_METHOD,
    classNames: raw.classNames,
    split: origin,
    counts: { train: train.count, test: test.count, trainPerClass: perClass(train), testPerClass: perClass(test) },
    normalisation,
    images: { used: used.length, resized, skipped: skipped.length, skippedByReason: byReason, skippedFiles: skipped.slice(0, LISTED_SKIPS) },
  };
  return { manifest, info: importedInfo(manifest), train, test };
}

/** The loader's description of an imported dataset (id `import-<first 12 hash digits>`). */
export function importedInfo(m: ImportManifest): DatasetInfo {
  const { mean, std } = m.normalisation;
  return {
    id: `import-${m.hash.slice(0, 12)}`,
    name: m.name,
    classNames: m.classNames,
    imageSize: m.side,
    channels: m.channels,
    numClasses: m.classNames.length,
    trainCount: m.counts.train,
    testCount: m.counts.test,
    mean: mean.reduce((a, b) => a + b, 0) / mean.length,
    std: Math.sqrt(std.reduce((a, b) => a + b * b, 0) / std.length),
    channelMean: mean,
    channelStd: std,
  };
}

/** The imported dataset as the loader serves the built-in ones (normalised batches). */
export function importedAsDataset(ds: ImportedDataset): Dataset {
  return { info: ds.info, train: new Split(ds.info, 'train', ds.train), test: new Split(ds.info, 'test', ds.test) };
}

const PNG = [0x89, 0x50, 0x4e, 0x47];
const JPEG = [0xff, 0xd8, 0xff];
const startsWith = (b: Uint8Array, sig: number[], at = 0) => sig.every((v, i) => b[at + i] === v);
/** PNG, JPEG, GIF, BMP, WebP by their magic bytes: what could be an image at all. */
function looksLikeImage(b: Uint8Array): boolean {
  const riffWebp = startsWith(b, [0x52, 0x49, 0x46, 0x46]) && startsWith(b, [0x57, 0x45, 0x42, 0x50], 8);
  return startsWith(b, PNG) || startsWith(b, JPEG) || startsWith(b, [0x47, 0x49, 0x46, 0x38]) || startsWith(b, [0x42, 0x4d]) || riffWebp;
}

async function decodeItem(item: RawItem, decode: ImageDecoder | undefined, skipped: Skip[]): Promise<RawImage | null> {
  const bytes = item.bytes!;
  const skip = (reason: string) => (skipped.push({ path: item.path, reason }), null);
  if (bytes.length === 0) return skip('empty file');
  if (!looksLikeImage(bytes)) return skip('not an image file');
  if (!decode) throw new ImportError(item.path, 'image files need a decoder, none was given');
  let img: RawImage;
  try {
    img = await decode(bytes, item.path);
  } catch (e) {
    return skip(`undecodable image (${(e as Error).message})`);
  }
  return checkedImage(img, skip);
}

/** A decoded image the pipeline can use, or a skip: too large first (a decoder may stop at the size). */
function checkedImage(img: RawImage, skip: (reason: string) => null): RawImage | null {
  if (img.width * img.height > MAX_IMAGE_PIXELS) return skip(`image too large (${img.width}×${img.height}, limit ${MAX_IMAGE_PIXELS} pixels)`);
  if (!(img.width > 0 && img.height > 0) || img.channels < 1 || img.channels > 4 || img.data.length < img.width * img.height * img.channels) {
    return skip(`undecodable image (decoder returned ${img.width}×${img.height}×${img.channels})`);
  }
  return img;
}

function isGrey(img: RawImage): boolean {
  const { data, channels: k } = img;
  for (let i = 0; i < data.length; i += k) if (data[i] !== data[i + 1] || data[i] !== data[i + 2]) return false;
  return true;
}

/** [N, S, S, 3] → [N, S, S, 1] by ITU-R 601 luma (grey sources come out unchanged: R = G = B). */
function toGrey(rgb: Uint8Array): Uint8Array {
  const out = new Uint8Array(rgb.length / 3);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(0.299 * rgb[3 * i] + 0.587 * rgb[3 * i + 1] + 0.114 * rgb[3 * i + 2]);
  return out;
}

/** The source's split when every image has one and both are non-empty; else a seeded per-class split. */
function chooseSplit(items: RawItem[], labels: Uint16Array, classes: number, o: ImportOptions): { isTest: boolean[]; origin: SplitOrigin } {
  const given = items.every((it) => it.split) && items.some((it) => it.split === 'test') && items.some((it) => it.split === 'train');
  if (given) return { isTest: items.map((it) => it.split === 'test'), origin: { kind: 'given' } };
  const testFraction = o.testFraction ?? DEFAULT_TEST_FRACTION;
  if (!(testFraction > 0 && testFraction < 1)) throw new ImportError('testFraction', `must be in (0, 1), got ${testFraction}`);
  const seed = o.seed ?? DEFAULT_SPLIT_SEED;
  const rng = Rng.derive(seed, SPLIT_STREAM);
  const isTest = new Array<boolean>(items.length).fill(false);
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  labels.forEach((l, i) => byClass[l].push(i));
  for (const members of byClass) {
    rng.shuffle(members);
    // At least one test image per class with 2 or more, never the whole class.
    const nTest = members.length < 2 ? 0 : Math.min(members.length - 1, Math.max(1, Math.round(testFraction * members.length)));
    for (let k = 0; k < nTest; k++) isTest[members[k]] = true;
  }
  return { isTest, origin: { kind: 'seeded', testFraction, seed } };
}

/** Exact per-channel mean/std of p/255 from 256-bin histograms. */
function channelStats(pixels: Uint8Array, channels: number, name: string): { mean: number[]; std: number[] } {
  const hist = Array.from({ length: channels }, () => new Float64Array(256));
  for (let c = 0; c < channels; c++) {
    const h = hist[c];
    for (let i = c; i < pixels.length; i += channels) h[pixels[i]]++;
  }
  const mean: number[] = [];
  const std: number[] = [];
  hist.forEach((h, c) => {
    let n = 0, s = 0, s2 = 0;
    for (let p = 0; p < 256; p++) {
      n += h[p];
      s += h[p] * (p / 255);
      s2 += h[p] * (p / 255) ** 2;
    }
    const m = s / n;
    const sd = Math.sqrt(Math.max(0, s2 / n - m * m));
    if (!(sd > 1e-6)) throw new ImportError(name, `every train pixel of channel ${c} has the same value: nothing to learn from`);
    mean.push(m);
    std.push(sd);
  });
  return { mean, std };
}

/**
 * sha256 over what is stored and nothing else: a header (side, channels, class names, split
 * sizes), then the digests of train pixels, train labels, test pixels, test labels. The file
 * names, archive kind and archive order do not enter it (folders are read in sorted order).
 */
export async function contentHash(side: number, channels: number, classNames: string[], train: SplitData, test: SplitData): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new ImportError('hash', 'crypto.subtle is not available here (a secure context is needed)');
  const digest = async (b: Uint8Array) => new Uint8Array(await subtle.digest('SHA-256', b as Uint8Array<ArrayBuffer>));
  const header = new TextEncoder().encode(JSON.stringify({ v: 1, side, channels, classNames, train: train.count, test: test.count }));
  const labelBytes = (d: SplitData) => new Uint8Array(d.labels.buffer, d.labels.byteOffset, d.labels.byteLength);
  const parts = await Promise.all([header, train.pixels, labelBytes(train), test.pixels, labelBytes(test)].map(digest));
  const all = new Uint8Array(parts.length * 32);
  parts.forEach((p, i) => all.set(p, i * 32));
  return [...(await digest(all))].map((b) => b.toString(16).padStart(2, '0')).join('');
}
