/** The shipped teachers: each loads, reaches its target and reproduces its manifest accuracy. */
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../src/node/backend';
import { nodeDataSources, nodeFetchBytes } from '../src/node/dataSource';
import { loadTeacher, loadTeacherManifest, type TeacherManifest } from '../src/core/models/teachers';
import { TEACHER_IDS } from '../src/core/models/registry';
import { DATASET_IDS } from '../src/core/data/datasets';
import { evaluateNet } from '../src/core/train/trainer';

/** Issue targets for the main teacher of each dataset. */
const TARGETS: Record<string, number> = { mnist: 0.99, fashion: 0.91 };

let manifest: TeacherManifest;
beforeAll(async () => {
  await initNodeBackend('wasm');
  manifest = await loadTeacherManifest(nodeFetchBytes);
});

describe('shipped teachers', () => {
  it('every dataset has every teacher id', () => {
    for (const dataset of DATASET_IDS) {
      for (const id of TEACHER_IDS) expect(manifest.teachers.find((t) => t.dataset === dataset && t.id === id), `${dataset}/${id}`).toBeDefined();
    }
  });

  it.each(DATASET_IDS.flatMap((d) => TEACHER_IDS.map((id) => [d, id] as const)))('%s/%s matches its manifest accuracy on the full test set', async (dataset, id) => {
    const record = manifest.teachers.find((t) => t.dataset === dataset && t.id === id)!;
    const net = await loadTeacher(dataset, id, nodeFetchBytes);
    const { test } = await nodeDataSources(dataset, 0, 1);
    const acc = await evaluateNet(net, test);
    net.dispose();
    expect(test.count).toBe(10000);
    expect(Math.abs(acc - record.testAcc)).toBeLessThanOrEqual(0.002);
    expect(net.arch).toBe(record.arch);
    if (id === 'resnet-t') expect(acc).toBeGreaterThanOrEqual(TARGETS[dataset]);
  }, 120_000);
});
