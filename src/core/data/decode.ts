/**
 * Turns the bytes of one split file (`data/<dataset>-<split>.bin.gz`) into pixels and labels,
 * checking them against the manifest. File layout after gunzip:
 *   pixels uint8 [N, rows, cols] row-major, then labels uint8 [N].
 * Every failure is a DataError that names the file and says what is wrong.
 */
import { gunzipSync } from 'fflate';
import type { DatasetId, SplitName } from './datasets';

export type DataErrorKind = 'missing' | 'truncated' | 'corrupt-gzip' | 'checksum' | 'bad-label' | 'manifest';

export class DataError extends Error {
  constructor(
    readonly file: string,
    readonly kind: DataErrorKind,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'DataError';
  }
}

/** One file's entry in public/data/manifest.json (written by scripts/build-data.ts). */
export interface ManifestEntry {
  path: string; // relative to public/
  dataset: DatasetId;
  split: SplitName;
  count: number;
  rows: number;
  cols: number;
  numClasses: number;
  rawBytes: number; // count · (rows·cols + 1)
  gzBytes: number;
  sha256Raw: string;
  sha256Gz: string;
  mean: number;
  std: number;
  labelCounts: number[];
  source: {
    package: string;
    origin: string;
    files: { name: string; sha256: string; sha256Uncompressed?: string }[];
  };
  licence: string;
}

export interface Manifest {
  version: number;
  format: string;
  files: ManifestEntry[];
}

/** Decoded split; pixels and labels are views into one buffer. */
export interface SplitData {
  count: number;
  rows: number;
  cols: number;
  pixels: Uint8Array; // [count, rows, cols]
  labels: Uint8Array | Uint16Array; // [count] (Uint16 for imported datasets of over 256 classes)
}

export function parseManifest(bytes: Uint8Array, path: string): Manifest {
  let m: Manifest;
  try {
    m = JSON.parse(new TextDecoder().decode(bytes)) as Manifest;
  } catch (e) {
    throw new DataError(path, 'manifest', `not valid JSON (${(e as Error).message})`);
  }
  if (!m || !Array.isArray(m.files)) throw new DataError(path, 'manifest', 'has no "files" list');
  return m;
}

export function findEntry(manifest: Manifest, dataset: DatasetId, split: SplitName, manifestPath: string): ManifestEntry {
  const entry = manifest.files.find((f) => f.dataset === dataset && f.split === split);
  if (!entry) throw new DataError(manifestPath, 'manifest', `no entry for ${dataset}/${split} (rebuild with npm run data:build)`);
  for (const k of ['count', 'rows', 'cols', 'numClasses', 'rawBytes'] as const) {
    if (!Number.isInteger(entry[k]) || entry[k] <= 0) throw new DataError(manifestPath, 'manifest', `${entry.path}: bad ${k}`);
  }
  return entry;
}

/** Validates and unpacks one split file. `bytes` may already be inflated (see below). */
export async function decodeSplit(bytes: Uint8Array, entry: ManifestEntry): Promise<SplitData> {
  const file = entry.path;
  const { count, rows, cols } = entry;
  const rawLength = count * (rows * cols + 1);
  if (rawLength !== entry.rawBytes) throw new DataError(file, 'manifest', `manifest says ${entry.rawBytes} raw bytes, count·(rows·cols+1) = ${rawLength}`);

  const raw = inflate(bytes, entry, rawLength);

  // crypto.subtle exists in Node ≥ 19 and in secure browser contexts (https, localhost) only;
  // elsewhere we fall back to the length and label checks.
  const subtle = globalThis.crypto?.subtle;
  if (subtle) {
    const digest = await subtle.digest('SHA-256', raw as Uint8Array<ArrayBuffer>);
    const hex = toHex(new Uint8Array(digest));
    if (hex !== entry.sha256Raw) throw new DataError(file, 'checksum', `checksum mismatch: sha256 of the inflated data is ${hex}, the manifest expects ${entry.sha256Raw}`);
  }

  const pixels = raw.subarray(0, count * rows * cols);
  const labels = raw.subarray(count * rows * cols);
  for (let i = 0; i < count; i++) {
    if (labels[i] >= entry.numClasses) throw new DataError(file, 'bad-label', `bad label: ${labels[i]} at example ${i} is outside 0..${entry.numClasses - 1}`);
  }
  return { count, rows, cols, pixels, labels };
}

function inflate(bytes: Uint8Array, entry: ManifestEntry, rawLength: number): Uint8Array {
  const file = entry.path;
  const isGzip = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  if (!isGzip) {
    // Some static servers send *.gz with Content-Encoding: gzip, so fetch has inflated it already.
    if (bytes.length === rawLength) return bytes;
    if (bytes.length === 0) throw new DataError(file, 'truncated', 'truncated: the file is empty');
    if (bytes[0] === 0x3c /* '<' */) throw new DataError(file, 'missing', 'got an HTML page instead of data (file missing on the server?)');
    throw new DataError(file, 'corrupt-gzip', `corrupt gzip: not a gzip file (starts with 0x${toHex(bytes.subarray(0, 4))})`);
  }
  if (bytes.length < entry.gzBytes) throw new DataError(file, 'truncated', `truncated: ${bytes.length} bytes, expected ${entry.gzBytes}`);
  // The gzip trailer ends with the inflated size mod 2^32; checking it first means a damaged
  // trailer cannot make us allocate a huge buffer, and overflow cannot be silently clipped.
  const n = bytes.length;
  const isize = (bytes[n - 4] | (bytes[n - 3] << 8) | (bytes[n - 2] << 16) | (bytes[n - 1] << 24)) >>> 0;
  if (isize !== rawLength >>> 0) throw new DataError(file, 'corrupt-gzip', `corrupt gzip: its trailer says ${isize} bytes, expected ${rawLength}`);
  let raw: Uint8Array;
  try {
    raw = gunzipSync(bytes, { out: new Uint8Array(rawLength) });
  } catch (e) {
    throw new DataError(file, 'corrupt-gzip', `corrupt gzip: gunzip failed (${(e as Error).message})`);
  }
  if (raw.length !== rawLength) throw new DataError(file, 'truncated', `truncated: inflates to ${raw.length} bytes, expected ${rawLength}`);
  return raw;
}

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}
