import { readFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { gzipSync } from 'fflate';
import { parseIdx, parseIdxPair, ImportError } from '../src/core/data/import/idx';
import { parseCifarBatch, parseLabelNames } from '../src/core/data/import/cifar';

const FASHION = '/usr/share/datasets/fashion-mnist';

describe('IDX import', () => {
  it.skipIf(!existsSync(FASHION))('reads the real Fashion-MNIST t10k IDX pair (gzipped and not)', () => {
    const img = readFileSync(`${FASHION}/t10k-images-idx3-ubyte.gz`);
    const lab = readFileSync(`${FASHION}/t10k-labels-idx1-ubyte.gz`);
    const pair = parseIdxPair(img, lab, 'images', 'labels');
    expect([pair.count, pair.rows, pair.cols]).toEqual([10000, 28, 28]);
    const counts = new Array(10).fill(0);
    for (const l of pair.labels) counts[l]++;
    expect(counts).toEqual(new Array(10).fill(1000));
    // Python reads the same first label and pixel sum.
    const py = execFileSync('/usr/bin/python3', ['-c',
      `import gzip;d=gzip.open('${FASHION}/t10k-images-idx3-ubyte.gz').read();l=gzip.open('${FASHION}/t10k-labels-idx1-ubyte.gz').read();print(l[8], sum(d[16:16+784]))`]).toString().trim();
    const sum = pair.pixels.subarray(0, 784).reduce((a, b) => a + b, 0);
    expect(`${pair.labels[0]} ${sum}`).toBe(py);
    const plain = parseIdx(new Uint8Array(gunzipSync(lab)), 'labels');
    expect(plain.data).toEqual(pair.labels);
  });

  it('refuses bad input with a message naming the file', () => {
    expect(() => parseIdx(new Uint8Array(0), 'empty.idx')).toThrow(/empty.idx: too short/);
    expect(() => parseIdx(new Uint8Array([1, 2, 8, 1, 0, 0, 0, 1, 5]), 'x')).toThrow(/not an IDX/);
    expect(() => parseIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 5]), 't')).toThrow(/body has 1 bytes/);
    expect(() => parseIdx(new Uint8Array([0x1f, 0x8b, 1, 2]), 'g')).toThrow(/corrupt gzip/);
    const labels = gzipSync(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 1, 2]));
    const images = new Uint8Array([0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 7]);
    expect(() => parseIdxPair(images, labels, 'i', 'l')).toThrow(ImportError);
  });
});

describe('CIFAR binary import', () => {
  it('matches numpy on a CIFAR-10 and a CIFAR-100 record file built by python3', () => {
    for (const [kind, lb] of [['cifar10', 1], ['cifar100', 2]] as const) {
      const out = execFileSync('/usr/bin/python3', ['-c', `
import numpy as np, sys
r=np.random.RandomState(0); n=3
lab=r.randint(0,10,(n,${lb})).astype(np.uint8); px=r.randint(0,256,(n,3,32,32)).astype(np.uint8)
rec=np.concatenate([lab, px.reshape(n,-1)],1)
sys.stdout.write(rec.tobytes().hex()+' '+px.transpose(0,2,3,1).tobytes().hex()+' '+lab[:,-1].tobytes().hex())`]).toString();
      const [rec, hwc, labels] = out.split(' ').map((h) => Uint8Array.from(Buffer.from(h, 'hex')));
      const b = parseCifarBatch(rec, kind, 'data_batch_1.bin');
      expect(b.count).toBe(3);
      expect(b.pixels).toEqual(hwc);
      expect(b.labels).toEqual(labels);
    }
    expect(() => parseCifarBatch(new Uint8Array(100), 'cifar10', 'b.bin')).toThrow(/b.bin: 100 bytes/);
    expect(parseLabelNames('airplane\nautomobile\n\n')).toEqual(['airplane', 'automobile']);
  });
});
