/**
 * Times the import of a generated 60,000-image 32×32×3 dataset through the one pipeline:
 *   npm run bench:import [-- --format cifar|png-zip|both] [--images N]
 * cifar:   a cifar-10-binary.tar.gz laid out as published (5 train batches + test_batch)
 * png-zip: a .zip of PNGs in one folder per class (the decode path; Node decodes with pngjs)
 * Prints archive size, unpack and import seconds, and the heap + array memory after the import.
 */
import { parseArgs } from 'node:util';
import { PNG } from 'pngjs';
import { gzipSync, zipSync } from 'fflate';
import { createTar } from 'nanotar';
import { unpackArchive } from '../src/core/data/import/archive';
import { importDataset } from '../src/core/data/import/pipeline';
import { nodeImageDecoder } from '../src/node/imageDecode';
import { Rng } from '../src/core/random';

const { values } = parseArgs({ options: { format: { type: 'string', default: 'both' }, images: { type: 'string', default: '60000' } } });
const total = Number(values.images);
if (!(Number.isInteger(total) && total >= 60 && total % 6 === 0)) throw new Error('--images: a multiple of 6, at least 60');
const formats = values.format === 'both' ? ['cifar', 'png-zip'] : [values.format!];

/** One smooth-ish 32×32 RGB image (gradient + noise, class-tinted), planes R, G, B. */
function imagePlanes(rng: Rng, label: number): Uint8Array {
  const out = new Uint8Array(3072);
  const base = [rng.int(128), rng.int(128), rng.int(128)];
  for (let c = 0; c < 3; c++) {
    for (let p = 0; p < 1024; p++) out[c * 1024 + p] = Math.min(255, base[c] + ((p >> 5) + (p & 31)) * 2 + rng.int(16) + (label % 3 === c ? 60 : 0));
  }
  return out;
}

function cifarArchive(): Uint8Array {
  const rng = new Rng(1);
  const batch = (n: number) => {
    const b = new Uint8Array(n * 3073);
    for (let i = 0; i < n; i++) {
      const label = rng.int(10);
      b[i * 3073] = label;
      b.set(imagePlanes(rng, label), i * 3073 + 1);
    }
    return b;
  };
  const perBatch = total / 6;
  const files = [1, 2, 3, 4, 5].map((k) => ({ name: `cifar-10-batches-bin/data_batch_${k}.bin`, data: batch(perBatch) }));
  files.push({ name: 'cifar-10-batches-bin/test_batch.bin', data: batch(perBatch) });
  files.push({ name: 'cifar-10-batches-bin/batches.meta.txt', data: new TextEncoder().encode('airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n') });
  return gzipSync(createTar(files), { level: 6 });
}

function pngZip(): Uint8Array {
  const rng = new Rng(2);
  const files: Record<string, Uint8Array> = {};
  for (let i = 0; i < total; i++) {
    const label = i % 10;
    const planes = imagePlanes(rng, label);
    const png = new PNG({ width: 32, height: 32 });
    for (let p = 0; p < 1024; p++) png.data.set([planes[p], planes[1024 + p], planes[2048 + p], 255], 4 * p);
    files[`gen/class${label}/${String(i).padStart(5, '0')}.png`] = new Uint8Array(PNG.sync.write(png));
  }
  return zipSync(files, { level: 0 }); // PNGs are compressed already
}

const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;

for (const format of formats) {
  let t = performance.now();
  const archive = format === 'cifar' ? cifarArchive() : pngZip();
  const name = format === 'cifar' ? 'cifar-10-binary.tar.gz' : 'generated-png.zip';
  const genS = (performance.now() - t) / 1000;
  t = performance.now();
  const files = unpackArchive(name, archive);
  const unpackS = (performance.now() - t) / 1000;
  t = performance.now();
  const ds = await importDataset(name, files, { side: 32, decode: nodeImageDecoder });
  const importS = (performance.now() - t) / 1000;
  const m = ds.manifest;
  const mem = process.memoryUsage();
  const uint8 = ds.train.pixels.byteLength + ds.test.pixels.byteLength;
  process.stdout.write(
    `${format}: ${m.images.used} images ${m.side}×${m.side}×${m.channels} (train ${m.counts.train} / test ${m.counts.test}), archive ${mib(archive.length)} (generated in ${genS.toFixed(1)} s)\n` +
      `  unpack ${unpackS.toFixed(2)} s, import ${importS.toFixed(2)} s, total ${(unpackS + importS).toFixed(2)} s; stored uint8 ${mib(uint8)}, rss ${mib(mem.rss)}, array buffers ${mib(mem.arrayBuffers)}\n`,
  );
}
