/**
 * Recognises which format a list of unpacked files is and turns it into labelled items:
 *   CIFAR-10   data_batch_*.bin + test_batch.bin (+ batches.meta.txt for class names)
 *   CIFAR-100  train.bin + test.bin (+ fine_label_names.txt / coarse_label_names.txt)
 *   IDX        *-images-idx3-ubyte[.gz] beside *-labels-idx1-ubyte[.gz] (train/t10k or train/test in the name)
 *   folders    <class>/<image> or train|test/<class>/<image>, below any common top folder
 * Items of the binary formats arrive decoded; folder items carry their file bytes for the decoder.
 */
import { type ImportFile, baseName } from './archive';
import { type CifarKind, parseCifarBatch, parseLabelNames } from './cifar';
import { ImportError, maybeGunzip, parseIdxPair } from './idx';

export type SplitHint = 'train' | 'test';
export type SourceFormat = CifarKind | 'idx' | 'folders';

/** A decoded image, [height, width, channels] row-major; channels 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA. */
export interface RawImage {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array;
}

export interface RawItem {
  path: string; // for messages: the file (or record) it came from
  label: number;
  split?: SplitHint; // given by the source; otherwise the pipeline draws a seeded split
  image?: RawImage; // binary formats
  bytes?: Uint8Array; // image files, to decode
}

export interface Skip {
  path: string;
  reason: string;
}

export interface RawSource {
  format: SourceFormat;
  classNames: string[];
  items: RawItem[];
  skipped: Skip[];
}

export interface SourceOptions {
  /** CIFAR-100 has 100 fine and 20 coarse classes; fine by default. */
  cifar100Labels?: 'fine' | 'coarse';
}

const CIFAR10_BATCH = /^(data_batch_\d+|test_batch)\.bin$/;
const CIFAR100_BATCH = /^(train|test)\.bin$/;
const IDX_IMAGES = /images[-.]idx3[-.]ubyte(\.gz)?$/;
// System clutter that archivers add; not the user's data, so not reported as skipped.
const CLUTTER = /(^|\/)(__MACOSX\/|\.[^/]*$|Thumbs\.db$|desktop\.ini$)/i;

export function readSource(name: string, files: ImportFile[], o: SourceOptions = {}): RawSource {
  const wanted = files.filter((f) => !CLUTTER.test(f.path));
  if (wanted.length === 0) throw new ImportError(name, 'contains no files');
  const names = wanted.map((f) => baseName(f.path));
  if (names.some((n) => CIFAR10_BATCH.test(n))) return readCifar(name, wanted, 'cifar10', o);
  if (names.some((n) => CIFAR100_BATCH.test(n)) && names.some((n) => /label_names\.txt$/.test(n))) return readCifar(name, wanted, 'cifar100', o);
  if (names.some((n) => IDX_IMAGES.test(n))) return readIdx(name, wanted);
  return readFolders(name, wanted);
}

function splitOf(fileName: string): SplitHint | undefined {
  if (/test|t10k/i.test(fileName)) return 'test';
  if (/train|data_batch/i.test(fileName)) return 'train';
  return undefined;
}

function readCifar(name: string, files: ImportFile[], kind: CifarKind, o: SourceOptions): RawSource {
  const pattern = kind === 'cifar10' ? CIFAR10_BATCH : CIFAR100_BATCH;
  const coarse = kind === 'cifar100' && o.cifar100Labels === 'coarse';
  const namesFile = kind === 'cifar10' ? 'batches.meta.txt' : coarse ? 'coarse_label_names.txt' : 'fine_label_names.txt';
  const meta = files.find((f) => baseName(f.path) === namesFile);
  const count = kind === 'cifar10' ? 10 : coarse ? 20 : 100;
  const classNames = meta ? parseLabelNames(new TextDecoder().decode(meta.bytes)) : Array.from({ length: count }, (_, i) => String(i));
  if (classNames.length !== count) throw new ImportError(`${name}/${namesFile}`, `${classNames.length} class names, ${kind} has ${count}`);
  const items: RawItem[] = [];
  const batches = files.filter((f) => pattern.test(baseName(f.path))).sort((a, b) => a.path.localeCompare(b.path));
  for (const f of batches) {
    const batch = parseCifarBatch(f.bytes, kind, `${name}/${f.path}`);
    const labels = coarse ? batch.coarseLabels! : batch.labels;
    const split = splitOf(baseName(f.path));
    for (let i = 0; i < batch.count; i++) {
      const data = batch.pixels.subarray(i * 3072, (i + 1) * 3072);
      items.push({ path: `${f.path}#${i}`, label: labels[i], split, image: { width: 32, height: 32, channels: 3, data } });
    }
  }
  return { format: kind, classNames, items, skipped: [] };
}

function readIdx(name: string, files: ImportFile[]): RawSource {
  const items: RawItem[] = [];
  let classes = 0;
  const imageFiles = files.filter((f) => IDX_IMAGES.test(baseName(f.path))).sort((a, b) => a.path.localeCompare(b.path));
  for (const img of imageFiles) {
    const labelPath = img.path.replace(/images([-.])idx3/, 'labels$1idx1');
    const lab = files.find((f) => f.path === labelPath) ?? files.find((f) => f.path.replace(/\.gz$/, '') === labelPath.replace(/\.gz$/, ''));
    if (!lab) throw new ImportError(`${name}/${img.path}`, `no labels file beside it (expected ${labelPath})`);
    const pair = parseIdxPair(maybeGunzip(img.bytes, img.path), maybeGunzip(lab.bytes, lab.path), `${name}/${img.path}`, `${name}/${lab.path}`);
    const n = pair.rows * pair.cols;
    const split = splitOf(baseName(img.path));
    for (let i = 0; i < pair.count; i++) {
      classes = Math.max(classes, pair.labels[i] + 1);
      const data = pair.pixels.subarray(i * n, (i + 1) * n);
      items.push({ path: `${img.path}#${i}`, label: pair.labels[i], split, image: { width: pair.cols, height: pair.rows, channels: 1, data } });
    }
  }
  const classNames = Array.from({ length: classes }, (_, i) => String(i));
  return { format: 'idx', classNames, items, skipped: [] };
}

function readFolders(name: string, files: ImportFile[]): RawSource {
  const split = files.map((f) => f.path.split('/').filter((p) => p.length > 0));
  // Drop the top folders every file shares (e.g. the zip's own folder).
  let common = 0;
  while (split.every((p) => p.length > common + 1 && p[common] === split[0][common])) common++;
  const rel = split.map((p) => p.slice(common));
  const isSplitDir = (s: string) => /^(train|test)$/i.test(s);
  const splitGiven = rel.every((p) => p.length >= 2 && isSplitDir(p[0]));
  const skipped: Skip[] = [];
  const byClass = new Map<string, { path: string; bytes: Uint8Array; split?: SplitHint }[]>();
  files.forEach((f, i) => {
    const parts = splitGiven ? rel[i].slice(1) : rel[i];
    if (parts.length !== 2) {
      skipped.push({ path: f.path, reason: parts.length < 2 ? 'not inside a class folder' : 'nested below a class folder' });
      return;
    }
    const hint = splitGiven ? (rel[i][0].toLowerCase() as SplitHint) : undefined;
    const list = byClass.get(parts[0]) ?? [];
    list.push({ path: f.path, bytes: f.bytes, split: hint });
    byClass.set(parts[0], list);
  });
  const classNames = [...byClass.keys()].sort((a, b) => a.localeCompare(b, 'en'));
  const items: RawItem[] = [];
  classNames.forEach((c, label) => {
    // Sorted paths: the same folder gives the same order (and hash) whatever order the archive listed it in.
    for (const f of byClass.get(c)!.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) items.push({ path: f.path, label, split: f.split, bytes: f.bytes });
  });
  if (items.length === 0 && common > 0) {
    throw new ImportError(name, `every file is in one folder ("${split[0].slice(0, common).join('/')}"): need one subfolder per class, at least 2 classes`);
  }
  if (items.length === 0) throw new ImportError(name, 'found no files inside class folders (expected <class>/<image> or train|test/<class>/<image>)');
  return { format: 'folders', classNames, items, skipped };
}
