/** The shipped MIM teachers reproduce their manifest figures from the shipped weights. */
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../src/node/backend';
import { nodeDataSources, nodeFetchBytes } from '../src/node/dataSource';
import { loadMimTeacher } from '../src/core/hgkd/mimTeacher';
import { loadTeacherManifest } from '../src/core/models/teachers';
import { measureMimTeacher, PROBE_TRAIN_SUBSET } from '../src/core/hgkd/measureMim';
import { disposeMimTeacher } from '../src/core/hgkd/mimTeacher';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

describe('shipped MIM teachers', async () => {
  const manifest = await loadTeacherManifest(nodeFetchBytes);
  const records = manifest.mim ?? [];

  it('include the MNIST ViT', () => {
    expect(records.map((r) => `${r.dataset}/${r.id}`)).toContain('mnist/vit-mim');
  });

  it.each(records.map((r) => [`${r.dataset}/${r.id}`, r] as const))(
    '%s: reconstruction loss and linear-probe accuracy as recorded',
    async (_, r) => {
      const teacher = await loadMimTeacher(r.dataset, r.id, nodeFetchBytes);
      expect(teacher.vit.params.countTrainable()).toBe(r.params);
      const probeTrain = (await nodeDataSources(r.dataset, PROBE_TRAIN_SUBSET, r.seed)).train;
      const { test, info } = await nodeDataSources(r.dataset, 0, r.seed);
      const m = await measureMimTeacher(teacher, { probeTrain, test, classes: info.numClasses });
      disposeMimTeacher(teacher);
      expect(Math.abs(m.reconLoss - r.reconLoss) / r.reconLoss).toBeLessThan(0.01);
      expect(Math.abs(m.probeAcc - r.probeAcc)).toBeLessThanOrEqual(0.005);
      // Far above chance (10 classes), though weak: mean-pooled MAE embeddings after one epoch (see README).
      expect(m.probeAcc).toBeGreaterThan(0.5);
    },
    1_200_000,
  );
});
