import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import { createTar } from 'nanotar';
import { unpackArchive } from '../src/core/data/import/archive';
import { ImportError } from '../src/core/data/import/idx';
import { importDataset, MAX_CLASSES } from '../src/core/data/import/pipeline';
import { fitSquare } from '../src/core/data/import/resize';
import { Split } from '../src/core/data/loader';
import { importFromDisk, readImportFiles } from '../src/node/dataSource';
import { nodeImageDecoder } from '../src/node/imageDecode';
import { packFolder, tempDir, writeCifarArchive, writeClassFolder } from './importFixtures';

const decode = nodeImageDecoder;

describe('class folders', () => {
  it('reads a folder, its .zip and its .tar.gz alike: counts, skips with reasons, resize count, same hash', async () => {
    const dir = tempDir('imp-folder-');
    const root = writeClassFolder(dir, { perClass: 9, bad: true });
    const fromFolder = await importFromDisk(root, { side: 32 });
    const m = fromFolder.manifest;
    expect(m.source.format).toBe('folders');
    expect(m.classNames).toEqual(['circle', 'square', 'stripes']);
    expect([m.side, m.channels]).toEqual([32, 3]);
    expect(m.images.used).toBe(27);
    // 40×40 and 50×30 need resizing, 32×32 does not: 2 of every 3 images.
    expect(m.images.resized).toBe(18);
    expect(m.images.skippedByReason).toEqual({ 'empty file': 1, 'not an image file': 1, 'undecodable image': 1 });
    expect(m.images.skippedFiles.map((s) => path.basename(s.path)).sort()).toEqual(['broken.png', 'empty.png', 'notes.txt']);
    // Seeded 0.2 split per class: round(0.2·9) = 2 test images a class.
    expect(m.split).toEqual({ kind: 'seeded', testFraction: 0.2, seed: 1 });
    expect(m.counts).toEqual({ train: 21, test: 6, trainPerClass: [7, 7, 7], testPerClass: [2, 2, 2] });
    expect(fromFolder.train.pixels.length).toBe(21 * 32 * 32 * 3);
    expect(m.hash).toMatch(/^[0-9a-f]{64}$/);
    for (const kind of ['zip', 'tar.gz'] as const) {
      const fromArchive = await importFromDisk(packFolder(root, kind), { side: 32 });
      expect(fromArchive.manifest.hash).toBe(m.hash);
      expect(fromArchive.manifest.counts).toEqual(m.counts);
    }
    // Another seed, side or channel count is other content.
    const other = await Promise.all([
      importFromDisk(root, { side: 32, seed: 2 }),
      importFromDisk(root, { side: 28 }),
      importFromDisk(root, { side: 32, channels: 1 }),
    ]);
    expect(new Set([m.hash, ...other.map((o) => o.manifest.hash)]).size).toBe(4);
    expect(other[1].train.pixels.length).toBe(21 * 28 * 28 * 3);
    expect(other[2].manifest.channels).toBe(1);
  }, 60_000);

  it('hash is stable: a fixed folder gives a fixed hash, one changed pixel changes it', async () => {
    // A tiny folder built in TS (PNG via pngjs) so the expected hash does not depend on PIL.
    const { PNG } = await import('pngjs');
    const png = (v: number) => {
      const p = new PNG({ width: 4, height: 4 });
      for (let i = 0; i < 16; i++) p.data.set([v + i, 2 * i, 255 - v, 255], 4 * i);
      return new Uint8Array(PNG.sync.write(p));
    };
    const files = ['a', 'b'].flatMap((c, ci) => [0, 1, 2].map((i) => ({ path: `${c}/${i}.png`, bytes: png(40 * ci + 10 * i) })));
    const a = await importDataset('tiny', files, { side: 28, decode });
    const b = await importDataset('tiny-again', [...files].reverse(), { side: 28, decode });
    expect(b.manifest.hash).toBe(a.manifest.hash);
    const changed = files.map((f, i) => (i === 0 ? { ...f, bytes: png(1) } : f));
    expect((await importDataset('tiny', changed, { side: 28, decode })).manifest.hash).not.toBe(a.manifest.hash);
    // The same content run twice in separate processes would give this value; recompute it from the stored arrays.
    const py = execFileSync('/usr/bin/python3', ['-c', `
import hashlib, json, sys
d = json.loads(sys.stdin.read())
h = lambda b: hashlib.sha256(bytes(b)).digest()
head = json.dumps({"v":1,"side":28,"channels":3,"classNames":["a","b"],"train":d["ntrain"],"test":d["ntest"]}, separators=(',', ':')).encode()
u16 = lambda l: b''.join(int(x).to_bytes(2, 'little') for x in l)
print(hashlib.sha256(h(head) + h(d["trp"]) + h(u16(d["trl"])) + h(d["tep"]) + h(u16(d["tel"]))).hexdigest())`], {
      input: JSON.stringify({ ntrain: a.train.count, ntest: a.test.count, trp: [...a.train.pixels], trl: [...a.train.labels], tep: [...a.test.pixels], tel: [...a.test.labels] }),
      encoding: 'utf8',
    }).trim();
    expect(a.manifest.hash).toBe(py);
  });

  it('uses train/ and test/ folders when given; grey images give one channel', async () => {
    const root = writeClassFolder(tempDir('imp-split-'), { perClass: 8, splitDirs: true, grey: true });
    const ds = await importFromDisk(root, { side: 28 });
    expect(ds.manifest.split).toEqual({ kind: 'given' });
    expect(ds.manifest.counts).toEqual({ train: 18, test: 6, trainPerClass: [6, 6, 6], testPerClass: [2, 2, 2] });
    expect(ds.manifest.channels).toBe(1);
    expect(ds.train.pixels.length).toBe(18 * 28 * 28);
  }, 30_000);

  it('per-channel mean/std of the train split match numpy, and the loader normalises with them', async () => {
    const root = writeClassFolder(tempDir('imp-stats-'), { perClass: 6 });
    const ds = await importFromDisk(root, { side: 32 });
    const out = execFileSync('/usr/bin/python3', ['-c', `
import numpy as np, sys
p = np.frombuffer(sys.stdin.buffer.read(), np.uint8).reshape(-1, 3) / 255.0
print(' '.join(f'{v:.10f}' for v in list(p.mean(0)) + list(p.std(0))))`], { input: ds.train.pixels }).toString().trim().split(' ').map(Number);
    const { mean, std } = ds.manifest.normalisation;
    [...mean, ...std].forEach((v, i) => expect(v).toBeCloseTo(out[i], 8));
    const split = new Split(ds.info, 'train', ds.train);
    const x = split.image(0); // [32, 32, 3]
    expect(x.length).toBe(32 * 32 * 3);
    expect(x[5]).toBeCloseTo((ds.train.pixels[5] / 255 - mean[2]) / std[2], 5);
  }, 30_000);

  it('refuses one class only, over 1,000 classes and folders with nothing usable, with messages', async () => {
    const root = writeClassFolder(tempDir('imp-one-'), { perClass: 3 });
    const files = await readImportFiles(root);
    const one = files.filter((f) => f.path.startsWith('circle/'));
    await expect(importDataset('one', one, { decode })).rejects.toThrow(/every file is in one folder \("circle"\).*at least 2 classes/);
    const oneInTop = one.map((f) => ({ ...f, path: `top/${f.path}` })).concat([{ path: 'top/readme.md', bytes: new Uint8Array([35]) }]);
    await expect(importDataset('one', oneInTop, { decode })).rejects.toThrow(/one class only \("circle"\)/);
    const many = Array.from({ length: MAX_CLASSES + 1 }, (_, i) => ({ path: `c${i}/x.png`, bytes: files[0].bytes }));
    await expect(importDataset('many', many, { decode })).rejects.toThrow(/1001 classes, over the limit of 1000/);
    const junk = ['a', 'b'].map((c) => ({ path: `${c}/x.txt`, bytes: new TextEncoder().encode('hello') }));
    await expect(importDataset('junk', junk, { decode })).rejects.toThrow(/no usable images \(2 skipped, e.g. a\/x.txt: not an image file\)/);
    const halfJunk = [...files.filter((f) => f.path.startsWith('circle/')), { path: 'dog/x.txt', bytes: new Uint8Array(3) }];
    await expect(importDataset('half', halfJunk, { decode })).rejects.toThrow(/no usable images in class "dog"/);
  }, 30_000);
});

describe('archives', () => {
  it('reads cifar-10-binary.tar.gz as published: names, given split, 32×32×3, pixels as in the records', async () => {
    const archive = writeCifarArchive(tempDir('imp-c10-'), 'cifar10', 20);
    const ds = await importFromDisk(archive);
    const m = ds.manifest;
    expect(m.source.format).toBe('cifar10');
    expect(m.classNames.slice(0, 3)).toEqual(['airplane', 'automobile', 'bird']);
    expect([m.side, m.channels, m.counts.train, m.counts.test, m.images.resized, m.images.skipped]).toEqual([32, 3, 100, 20, 0, 0]);
    expect(m.split).toEqual({ kind: 'given' });
    // First train image = first record of data_batch_1, planes interleaved to HWC.
    const py = execFileSync('/usr/bin/python3', ['-c', `
import tarfile, sys, numpy as np
t = tarfile.open(sys.argv[1]); b = t.extractfile('cifar-10-batches-bin/data_batch_1.bin').read()
r = np.frombuffer(b[:3073], np.uint8); print(r[0], int(r[1:].reshape(3, 32, 32).transpose(1, 2, 0)[5, 7, 2]))`, archive]).toString().trim();
    expect(`${ds.train.labels[0]} ${ds.train.pixels[(5 * 32 + 7) * 3 + 2]}`).toBe(py);
  }, 30_000);

  it('reads cifar-100-binary.tar.gz with fine or coarse labels, and resizes to 48', async () => {
    const archive = writeCifarArchive(tempDir('imp-c100-'), 'cifar100', 10);
    const fine = await importFromDisk(archive, { side: 48 });
    expect(fine.manifest.classNames.length).toBe(100);
    expect([fine.manifest.counts.train, fine.manifest.counts.test, fine.manifest.images.resized]).toEqual([50, 10, 60]);
    expect(fine.train.pixels.length).toBe(50 * 48 * 48 * 3);
    const coarse = await importFromDisk(archive, { cifar100Labels: 'coarse' });
    expect(coarse.manifest.classNames[0]).toBe('coarse0');
    expect([...coarse.train.labels].map((l, i) => l === Math.floor(fine.train.labels[i] / 5)).every(Boolean)).toBe(true);
  }, 30_000);

  it('reads IDX pairs gzipped, plain, in a zip, and in a tar (built in TS with nanotar); a lone train pair gets a seeded split', async () => {
    const { gzipSync } = await import('fflate');
    const idx = (dims: number[], data: Uint8Array) => {
      const head = new Uint8Array(4 + 4 * dims.length);
      head.set([0, 0, 8, dims.length]);
      const v = new DataView(head.buffer);
      dims.forEach((d, i) => v.setUint32(4 + 4 * i, d, false));
      return Uint8Array.from([...head, ...data]);
    };
    const n = 30;
    const px = Uint8Array.from({ length: n * 28 * 28 }, (_, i) => (i * 7) % 256);
    const lab = Uint8Array.from({ length: n }, (_, i) => i % 3);
    const files = {
      'train-images-idx3-ubyte.gz': gzipSync(idx([n, 28, 28], px)),
      'train-labels-idx1-ubyte.gz': gzipSync(idx([n], lab)),
      't10k-images-idx3-ubyte': idx([6, 28, 28], px.subarray(0, 6 * 784)),
      't10k-labels-idx1-ubyte': idx([6], lab.subarray(0, 6)),
    };
    const viaZip = await importDataset('idx.zip', unpackArchive('idx.zip', zipSync(files)));
    expect([viaZip.manifest.source.format, viaZip.manifest.channels, viaZip.manifest.side]).toEqual(['idx', 1, 28]);
    expect(viaZip.manifest.counts).toEqual({ train: 30, test: 6, trainPerClass: [10, 10, 10], testPerClass: [2, 2, 2] });
    expect(viaZip.train.pixels.subarray(0, 784)).toEqual(px.subarray(0, 784));
    const tar = createTar(Object.entries(files).map(([name, data]) => ({ name: `mnist/${name}`, data })));
    const viaTar = await importDataset('idx.tar', unpackArchive('idx.tar', tar));
    expect(viaTar.manifest.hash).toBe(viaZip.manifest.hash);
    const trainOnly = Object.entries(files).filter(([k]) => k.startsWith('train')).map(([path, bytes]) => ({ path, bytes }));
    const seeded = await importDataset('train-only', trainOnly);
    expect(seeded.manifest.split.kind).toBe('seeded');
    expect(seeded.manifest.counts.test).toBe(6);
    await expect(importDataset('x', [{ path: 'train-images-idx3-ubyte', bytes: files['t10k-images-idx3-ubyte'] }])).rejects.toThrow(/no labels file beside it/);
  });

  it('refuses archives over the stated size, corrupt archives and zip bombs before inflating', () => {
    const big = new Uint8Array(2048);
    expect(() => unpackArchive('big.zip', big, { maxArchiveBytes: 1024, maxExpandedBytes: 4096 })).toThrow(/big.zip: 0.0 MiB is over the 0.0 MiB archive limit/);
    const zip = zipSync({ 'a/x.bin': new Uint8Array(10_000) });
    expect(() => unpackArchive('bomb.zip', zip, { maxArchiveBytes: 1 << 20, maxExpandedBytes: 5000 })).toThrow(/bomb.zip: unpacks to more than the/);
    const corrupt = zip.slice(0, zip.length - 30);
    expect(() => unpackArchive('cut.zip', corrupt)).toThrow(ImportError);
    const gz = readFileSync(writeCifarArchive(tempDir('imp-gz-'), 'cifar10', 2));
    expect(() => unpackArchive('c.tar.gz', gz, { maxArchiveBytes: 1 << 20, maxExpandedBytes: 1000 })).toThrow(/c.tar.gz: unpacks to 0.0 MiB, over the/);
    const bad = gz.slice();
    bad.fill(7, 20, 200);
    expect(() => unpackArchive('bad.tar.gz', bad)).toThrow(/bad.tar.gz: corrupt gzip data/);
  });
});

describe('fitSquare', () => {
  it('matches PIL ImageOps.fit (bilinear, centre) within 1 level on random non-square images', () => {
    for (const [w, h, side] of [[50, 30, 28], [37, 61, 32], [20, 20, 48], [130, 90, 64]]) {
      const out = execFileSync('/usr/bin/python3', ['-c', `
import sys, numpy as np
from PIL import Image, ImageOps
w, h, s = map(int, sys.argv[1:4])
a = np.random.RandomState(w).randint(0, 256, (h, w, 3)).astype(np.uint8)
a = np.clip(a.astype(int) // 4 + np.linspace(0, 190, w)[None, :, None].astype(int), 0, 255).astype(np.uint8)
f = np.asarray(ImageOps.fit(Image.fromarray(a), (s, s), Image.BILINEAR))
sys.stdout.buffer.write(a.tobytes() + f.tobytes())`, String(w), String(h), String(side)]);
      const src = new Uint8Array(out.buffer, out.byteOffset, w * h * 3);
      const pil = new Uint8Array(out.buffer, out.byteOffset + w * h * 3, side * side * 3);
      const mine = new Uint8Array(side * side * 3);
      fitSquare({ width: w, height: h, channels: 3, data: src }, side, 3, mine, 0);
      let worst = 0;
      for (let i = 0; i < mine.length; i++) worst = Math.max(worst, Math.abs(mine[i] - pil[i]));
      expect(worst, `${w}×${h} → ${side}`).toBeLessThanOrEqual(1);
    }
  });

  it('passes same-size images unchanged and converts to grey by ITU-R 601 luma', () => {
    const same = { width: 2, height: 2, channels: 3, data: Uint8Array.from([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120]) };
    const rgb = new Uint8Array(12);
    fitSquare(same, 2, 3, rgb, 0);
    expect(rgb).toEqual(same.data);
    const grey = new Uint8Array(4);
    fitSquare(same, 2, 1, grey, 0);
    expect(grey[0]).toBe(Math.round(0.299 * 10 + 0.587 * 20 + 0.114 * 30));
  });
});

describe("nets take the imported dataset's side, channels and classes", () => {
  it.each([
    [48, 3, 100],
    [64, 1, 20],
  ])('side %i, %i channel(s), %i classes: logits and stage features follow', async (side, channels, classes) => {
    const tf = await import('@tensorflow/tfjs');
    const { initNodeBackend } = await import('../src/node/backend');
    const { Net, netOptionsFor } = await import('../src/core/models/net');
    const { parseSpec, stageShapes } = await import('../src/core/models/spec');
    const { paramCount } = await import('../src/core/models/paramCount');
    await initNodeBackend('cpu');
    const spec = parseSpec('resnet:4-8-8x1');
    const net = new Net(spec, 1, 'imp', netOptionsFor({ imageSize: side, channels, numClasses: classes }));
    const x = tf.randomNormal([2, side, side, channels]) as import('@tensorflow/tfjs').Tensor4D;
    const out = net.apply(x, false);
    expect(out.logits.shape).toEqual([2, classes]);
    expect(out.features.map((f) => f.shape.slice(1))).toEqual(stageShapes(spec, side));
    expect(stageShapes(spec, side).map((s) => s[0])).toEqual([side, side / 2, side / 4]);
    expect(net.params.countTrainable()).toBe(paramCount(spec, { inChannels: channels, classes }));
    tf.dispose([x, out.logits, ...out.features]);
    net.dispose();
  });
});
