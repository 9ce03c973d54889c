import { describe, expect, it } from 'vitest';
import { decodeConfig, encodeConfig, paperScaledAlpha, validateConfig } from '../src/core/config';
import { datasetKey, datasetShape, describeDataset, importRefText, parseDatasetRef } from '../src/core/data/datasetRef';
import { importFromDisk } from '../src/node/dataSource';
import { tempDir, writeClassFolder } from './importFixtures';

const REF = 'import-3f2a9c0b1d2e:flowers:32x3:5:800:200';

describe('the dataset field names a loaded dataset by its hash', () => {
  it('keeps the built-in links as they were', () => {
    for (const id of ['mnist', 'fashion']) {
      const { config, issues } = decodeConfig(`dataset=${id}&seed=3`);
      expect(issues).toEqual([]);
      expect(config.dataset).toBe(id);
      expect(encodeConfig(config)).toBe(id === 'mnist' ? 'v=2&lrSchedule=constant&seed=3' : 'v=2&dataset=fashion&lrSchedule=constant&seed=3');
    }
  });

  it('round-trips an imported dataset through the URL, readable', () => {
    const { config, issues } = decodeConfig(`#dataset=${REF}&seed=1`);
    expect(issues).toEqual([]);
    expect(config.dataset).toBe(REF);
    expect(encodeConfig(config)).toBe(`v=2&dataset=${REF}&lrSchedule=constant&seed=1`);
    expect(parseDatasetRef(REF)).toEqual({ kind: 'import', id: 'import-3f2a9c0b1d2e', name: 'flowers', side: 32, channels: 3, classes: 5, train: 800, test: 200 });
    expect(datasetKey(REF)).toBe('import-3f2a9c0b1d2e');
    expect(datasetShape(REF)).toEqual({ imageSize: 32, channels: 3, numClasses: 5, trainCount: 800, testCount: 200 });
    expect(describeDataset(REF)).toBe('"flowers" (import-3f2a9c0b1d2e; 5 classes, 800 train + 200 test images, 32×32×3)');
  });

  it('rejects malformed references by name, falling back to mnist', () => {
    const bad = [
      'import-3f2a9c0b1d2e', // no description: a page without it could not say what to load
      'import-3F2A9C0B1D2E:flowers:32x3:5:800:200', // upper-case hex
      'import-3f2a9c0b1d:flowers:32x3:5:800:200', // 10 digits
      'import-3f2a9c0b1d2e:flo wers:32x3:5:800:200',
      'import-3f2a9c0b1d2e:flowers:30x3:5:800:200', // side not offered
      'import-3f2a9c0b1d2e:flowers:32x2:5:800:200',
      'import-3f2a9c0b1d2e:flowers:32x3:1:800:200', // one class
      'import-3f2a9c0b1d2e:flowers:32x3:1001:800:200', // over 1000 classes
      'import-3f2a9c0b1d2e:flowers:32x3:5:0:200',
      'import-3f2a9c0b1d2e::32x3:5:800:200',
      `import-3f2a9c0b1d2e:${'n'.repeat(41)}:32x3:5:800:200`,
      'MNIST', '__proto__', '',
    ];
    for (const text of bad) {
      const { config, issues } = decodeConfig(`dataset=${encodeURIComponent(text)}`);
      expect(config.dataset, text).toBe('mnist');
      expect(issues.map((i) => i.field), text).toEqual(['dataset']);
    }
  });

  it('sizes the paper α by the dataset side, and keeps hgkd on the built-in datasets', () => {
    const base = validateConfig({}).config;
    expect(paperScaledAlpha(base)).toBe(5.6e-4); // 64×7×7
    expect(paperScaledAlpha({ ...base, dataset: REF })).toBe(Number(((7e-5 * 25088) / (64 * 8 * 8)).toPrecision(3)));
    const { config, issues } = validateConfig({ dataset: REF, method: 'hgkd' });
    expect(config.method).toBe('mgd');
    expect(issues.map((i) => i.field)).toEqual(['method']);
  });

  it('writes the reference of an imported manifest (name made URL-safe) and it parses back to its counts', async () => {
    const root = writeClassFolder(tempDir('ref-'), { perClass: 5, top: 'My Photos (2024)' });
    const { manifest: m, info } = await importFromDisk(root, { side: 28, channels: 1 });
    const text = importRefText(m);
    expect(text).toBe(`${info.id}:My_Photos_2024_:28x1:3:${m.counts.train}:${m.counts.test}`);
    expect(decodeConfig(`dataset=${text}`).config.dataset).toBe(text);
  });
});
