/**
 * H-GKD snapshots on real MNIST test images: shapes, the mask, holes exactly zero at every scale
 * with sparse conv and filled in without it, the queue view, transfer buffers, no leaks.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { resolveArch } from '../src/core/models/registry';
import { HgkdTrainer, type HgkdSettings } from '../src/core/hgkd/hgkdTrainer';
import { hgkdSnapshot, hgkdSnapshotBuffers, type HgkdSnapshot } from '../src/core/hgkd/snapshot';
import { DATASETS } from '../src/core/data/datasets';
import { Vit, vitOptionsFor } from '../src/core/hgkd/vit';
import { initNodeBackend } from '../src/node/backend';
import { nodeDataSources } from '../src/node/dataSource';
import { constantAdam } from '../src/core/optim/optimizer';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

const settings = (o: Partial<HgkdSettings> = {}): HgkdSettings => ({
  student: resolveArch('resnet-xs'), recipe: constantAdam(1e-3), batch: 4, seed: 3, maskRatio: 0.6, queueSize: 16, tau: 0.05,
  mseW: 1, simW: 1, sparse: true, unet: true, sim: true, ...o,
});

/** A snapshot after `steps` training steps of a tiny trainer (untrained one-block ViT teacher). */
async function snapshotAfter(steps: number, o: Partial<HgkdSettings> = {}, index = 7): Promise<HgkdSnapshot> {
  const { train, test } = await nodeDataSources('mnist', 64, 1);
  const teacher = new Vit({ ...vitOptionsFor(DATASETS.mnist), depth: 1 }, 5, 'teacher');
  const trainer = new HgkdTrainer(settings(o), teacher, train);
  try {
    for (let i = 0; i < steps; i++) await trainer.step();
    return await hgkdSnapshot(trainer, test, index);
  } finally {
    trainer.dispose();
    teacher.dispose();
  }
}

/** Per position of a [H, W, C] map: the largest |value| over channels. */
function maxAbsPerPosition(m: HgkdSnapshot['scales'][number]): Float32Array {
  const [h, w, c] = m.shape;
  const out = new Float32Array(h * w);
  for (let p = 0; p < h * w; p++) for (let k = 0; k < c; k++) out[p] = Math.max(out[p], Math.abs(m.values[p * c + k]));
  return out;
}

describe('hgkdSnapshot', () => {
  it('has the image, its patch mask, the masked image and one map per encoder scale', async () => {
    const s = await snapshotAfter(1);
    expect(s).toMatchObject({ index: 7, sparse: true, maskRatio: 0.6, size: 28 });
    expect(s.label).toBeGreaterThanOrEqual(0);
    expect(s.label).toBeLessThan(10);
    for (const a of [s.image, s.mask, s.masked]) expect(a).toHaveLength(28 * 28);
    expect(s.scales.map((m) => m.shape)).toEqual([[28, 28, 8], [14, 14, 16], [7, 7, 32]]);
    for (const m of s.scales) {
      expect(m.active).toHaveLength(m.shape[0] * m.shape[1]);
      expect(m.attention).toHaveLength(m.shape[0] * m.shape[1]);
    }
    // 49 patches of 4×4, round(49·0.4) = 20 visible: 320 of 784 pixels.
    expect(s.mask.reduce((a, b) => a + b, 0)).toBe(320);
    for (let p = 0; p < 28 * 28; p++) {
      expect(s.mask[p] === 0 || s.mask[p] === 1).toBe(true);
      expect(s.masked[p]).toBe(s.image[p] * s.mask[p]);
    }
    // The patch mask on the 7×7 grid is the deepest scale's mask.
    expect(s.scales[2].active.reduce((a, b) => a + b, 0)).toBe(20);
  });

  it('with sparse conv, every hole is exactly zero at every scale and visible positions carry signal', async () => {
    const s = await snapshotAfter(1);
    for (const m of s.scales) {
      const peak = maxAbsPerPosition(m);
      let holes = 0;
      let liveVisible = 0;
      for (let p = 0; p < peak.length; p++) {
        if (m.active[p] === 0) {
          holes++;
          expect(peak[p]).toBe(0);
          expect(m.attention[p]).toBe(0);
        } else if (peak[p] > 0) liveVisible++;
      }
      expect(holes).toBeGreaterThan(0);
      expect(liveVisible).toBeGreaterThan(0);
    }
  });

  it('with sparse off, the holes fill in', async () => {
    const s = await snapshotAfter(1, { sparse: false });
    expect(s.sparse).toBe(false);
    for (const m of s.scales) {
      const peak = maxAbsPerPosition(m);
      const filled = Array.from(peak).filter((v, p) => m.active[p] === 0 && v > 0).length;
      const holes = m.active.filter((a) => a === 0).length;
      expect(filled).toBeGreaterThan(holes / 2);
    }
  });

  it('shows the queue: fill and the last step’s two similarity distributions over it', async () => {
    const s = await snapshotAfter(2);
    expect(s.queue.fill).toBe(8); // two batches of 4
    expect(s.queue.capacity).toBe(16);
    for (const d of [s.queue.teacher!, s.queue.student!]) {
      expect(d).toHaveLength(8);
      expect(d.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4); // a softmax
    }
  });

  it('has no queue distributions before the first step and rejects a missing image', async () => {
    const s = await snapshotAfter(0);
    expect(s.queue).toEqual({ fill: 0, capacity: 16, teacher: null, student: null });
    await expect(snapshotAfter(0, {}, 10_000)).rejects.toThrow(/test image 10000 does not exist/);
  });

  it('gives every array a buffer of its own (transferable) and leaves no tensors behind', async () => {
    await snapshotAfter(1); // tfjs keeps some constants for good after the first use
    const before = tf.memory().numTensors;
    const s = await snapshotAfter(1);
    expect(tf.memory().numTensors).toBe(before);
    const buffers = hgkdSnapshotBuffers(s);
    expect(buffers).toHaveLength(3 + 3 * 3 + 2);
    expect(new Set(buffers).size).toBe(buffers.length);
  });
});
