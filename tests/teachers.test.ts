/** The shipped teachers: each loads, reaches its target and reproduces its manifest accuracy. */
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../src/node/backend';
import { nodeDataSources, nodeFetchBytes } from '../src/node/dataSource';
import { loadTeacher, loadTeacherManifest, type TeacherManifest } from '../src/core/models/teachers';
import { TEACHER_IDS, isShippedOn } from '../src/core/models/registry';
import { DATASET_IDS } from '../src/core/data/datasets';
import { evaluateNet } from '../src/core/train/trainer';
import { configTeacherKey, isShippedTeacher } from '../src/core/train/teacherPlan';

/** Issue targets for the main teacher of each dataset. */
const TARGETS: Record<string, number> = { mnist: 0.99, fashion: 0.91 };

let manifest: TeacherManifest;
beforeAll(async () => {
  await initNodeBackend('wasm');
  manifest = await loadTeacherManifest(nodeFetchBytes);
});

describe('shipped teachers', () => {
  it('every dataset has every teacher id it ships on, and no other', () => {
    for (const dataset of DATASET_IDS) {
      for (const id of TEACHER_IDS) expect(manifest.teachers.some((t) => t.dataset === dataset && t.id === id), `${dataset}/${id}`).toBe(isShippedOn(id, dataset));
    }
    expect(isShippedOn('resnet-w', 'fashion')).toBe(false); // not trained yet (about 3 h of one core): trained first there, like a spec
    expect(isShippedOn('resnet-xs', 'mnist')).toBe(false); // a student
    // Where it is not shipped, a registry teacher is trained first (the page's Train teacher, the runner's cache), under its spec's key.
    expect(isShippedTeacher({ dataset: 'mnist', teacher: 'resnet-w' })).toBe(true);
    expect(isShippedTeacher({ dataset: 'fashion', teacher: 'resnet-w' })).toBe(false);
    expect(isShippedTeacher({ dataset: 'fashion', teacher: 'resnet-t' })).toBe(true);
    expect(isShippedTeacher({ dataset: 'mnist', teacher: 'resnet:32-64-128x2' })).toBe(false);
    expect(configTeacherKey({ dataset: 'fashion', teacher: 'resnet-w' })).toBe(configTeacherKey({ dataset: 'fashion', teacher: 'resnet:32-64-128x1' }));
  });

  it.each(DATASET_IDS.flatMap((d) => TEACHER_IDS.filter((id) => isShippedOn(id, d)).map((id) => [d, id] as const)))('%s/%s matches its manifest accuracy on the full test set', async (dataset, id) => {
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
