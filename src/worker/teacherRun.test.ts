/**
 * "Train teacher" in the worker against the runner's teacher cache: the same key, the same
 * weights (both on wasm, same core recipe); progress with a test accuracy as it goes; a stop
 * ends it between steps with nothing stored and no tensor left behind.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../core/config';
import { importRefText } from '../core/data/datasetRef';
import { type ImportedDataset, importedAsDataset } from '../core/data/import/pipeline';
import { resolveArch } from '../core/models/registry';
import { serializeNet } from '../core/models/serialize';
import { teacherKey } from '../core/train/teacherPlan';
import { DATASETS } from '../core/data/datasets';
import { initNodeBackend } from '../node/backend';
import { importFromDisk } from '../node/dataSource';
import { TEACHER_CACHE_DIR, nodeImportedTeacher, teacherCacheDir } from '../node/teacherStore';
import { tempDir, writeClassFolder } from '../../tests/importFixtures';
import type { StoredTeacher } from './datasetStore';
import type { WorkerEvent } from './protocol';
import { TeacherJob, type TeacherPort, trainTeacherInWorker } from './teacherRun';
import { DataService } from './dataService';
import { memoryTables, storeOver } from './datasetStore';
import { browserEnvironment } from './environment';

const SPEC = 'resnet:4-8x1';
let ds: ImportedDataset;

beforeAll(async () => {
  await initNodeBackend('wasm');
  ds = await importFromDisk(writeClassFolder(tempDir('teacher-'), { perClass: 30 }), { side: 28, channels: 3 });
});

function port(saved: StoredTeacher[]): TeacherPort {
  return {
    initBackend: async () => ({ name: 'wasm', adapter: null, lost: null, kernels: 'reference', timings: [] }) as never,
    dataset: async () => importedAsDataset(ds),
    saveTeacher: async (_id, t) => (saved.push(t), null),
    list: async () => {},
  };
}

const stoppedJob = () => {
  const job = new TeacherJob();
  job.stop();
  return job;
};

const configFor = () => validateConfig({ dataset: importRefText(ds.manifest), teacher: SPEC, backend: 'wasm' }).config;

describe('Train teacher in the worker', () => {
  it('trains with the runner\'s recipe: same key, same weights as the runner\'s cached teacher; progress on the way', async () => {
    const events: WorkerEvent[] = [];
    const saved: StoredTeacher[] = [];
    let t = 0;
    await trainTeacherInWorker({ config: configFor(), port: port(saved), emit: (e) => events.push(e), now: () => (t += 100), yieldToEvents: async () => {}, job: new TeacherJob() });
    const done = events.at(-1)!;
    expect(done).toMatchObject({ type: 'teacher-done', reason: 'completed', info: { key: teacherKey(ds.info.id, resolveArch(SPEC), ds.info), spec: SPEC, steps: 3, epochs: 2, backend: 'wasm' } });
    const progress = events.filter((e) => e.type === 'teacher-progress');
    expect(progress.map((e) => e.step)).toEqual([1, 2, 3]); // 2 epochs × 72 train images / batch 64
    expect(progress.at(-1)!.testAcc).toBeGreaterThanOrEqual(0);

    rmSync(path.join(TEACHER_CACHE_DIR, ds.info.id), { recursive: true, force: true });
    const runner = await nodeImportedTeacher(ds, SPEC);
    try {
      const { weights } = await serializeNet(runner);
      expect(new Uint8Array(saved[0].weights)).toEqual(new Uint8Array(weights));
      // The runner's cache names it by the same key: its folder and its model.json.
      const cached = JSON.parse(readFileSync(path.join(teacherCacheDir(ds.info.id, resolveArch(SPEC), ds.info), 'model.json'), 'utf8'));
      expect(cached.meta.key).toBe(saved[0].info.key);
    } finally {
      runner.dispose();
      rmSync(path.join(TEACHER_CACHE_DIR, ds.info.id), { recursive: true, force: true });
    }
  });

  it('a stop ends it after a step: nothing stored, no tensors left', async () => {
    const before = tf.memory().numTensors;
    const events: WorkerEvent[] = [];
    const saved: StoredTeacher[] = [];
    await trainTeacherInWorker({ config: configFor(), port: port(saved), emit: (e) => events.push(e), now: () => 0, yieldToEvents: async () => {}, job: stoppedJob() });
    expect(events.filter((e) => e.type === 'teacher-progress')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: 'teacher-done', reason: 'stopped', info: null, message: 'stopped after 0 s; nothing stored' });
    expect(saved).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a pause holds it at a progress point (no step while paused); resumed, it ends with the same weights', async () => {
    const train = async (job: TeacherJob, events: WorkerEvent[], saved: StoredTeacher[]) => {
      let t = 0;
      await trainTeacherInWorker({ config: configFor(), port: port(saved), emit: (e) => events.push(e), now: () => (t += 100), yieldToEvents: async () => {}, job });
    };
    const plain: StoredTeacher[] = [];
    await train(new TeacherJob(), [], plain);

    const job = new TeacherJob();
    job.pause(); // taken at the first progress point
    const events: WorkerEvent[] = [];
    const saved: StoredTeacher[] = [];
    const done = train(job, events, saved);
    await expect.poll(() => events.some((e) => e.type === 'teacher-progress' && e.paused)).toBe(true);
    const held = events.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(events.length).toBe(held); // nothing moves while paused
    const pausedAt = events.at(-1)!;
    expect(pausedAt).toMatchObject({ type: 'teacher-progress', step: 1, paused: true });
    job.resume();
    await done;
    const progress = events.filter((e) => e.type === 'teacher-progress');
    expect(progress.map((e) => [e.step, e.paused])).toEqual([[1, false], [1, true], [2, false], [3, false]]);
    expect(events.at(-1)).toMatchObject({ type: 'teacher-done', reason: 'completed' });
    expect(new Uint8Array(saved[0].weights)).toEqual(new Uint8Array(plain[0].weights));
  });

  it('a stop while paused ends it at once: nothing stored', async () => {
    const job = new TeacherJob();
    job.pause();
    const events: WorkerEvent[] = [];
    const saved: StoredTeacher[] = [];
    const done = trainTeacherInWorker({ config: configFor(), port: port(saved), emit: (e) => events.push(e), now: () => 0, yieldToEvents: async () => {}, job });
    await expect.poll(() => events.some((e) => e.type === 'teacher-progress' && e.paused)).toBe(true);
    job.stop();
    await done;
    expect(events.at(-1)).toMatchObject({ type: 'teacher-done', reason: 'stopped', info: null });
    expect(saved).toEqual([]);
  });
});

describe('a teacher spec on a built-in dataset', () => {
  // A stand-in for MNIST (28×28 grey) with the folder's 72 images, so the recipe's 2 epochs are 3 steps.
  let grey: ImportedDataset;
  beforeAll(async () => {
    grey = await importFromDisk(writeClassFolder(tempDir('teacher-grey-'), { perClass: 30 }), { side: 28, channels: 1 });
  });
  const mnistLike = () => {
    const d = importedAsDataset(grey);
    return { ...d, info: { ...d.info, id: 'mnist' } };
  };

  it('is trained in the page, stored under the runner\'s key for that dataset, listed as the dataset\'s, and then serves runs', async () => {
    const events: WorkerEvent[] = [];
    const data = new DataService(storeOver(memoryTables()), (e) => events.push(e));
    const p: TeacherPort = { ...port([]), dataset: async () => mnistLike(), saveTeacher: (id, t) => data.saveTeacher(id, t), list: () => data.list() };
    const config = validateConfig({ dataset: 'mnist', teacher: SPEC, backend: 'wasm' }).config;
    await trainTeacherInWorker({ config, port: p, emit: (e) => events.push(e), now: () => 0, yieldToEvents: async () => {}, job: new TeacherJob() });
    const key = teacherKey('mnist', resolveArch(SPEC), DATASETS.mnist);
    expect(events.find((e) => e.type === 'teacher-done')).toMatchObject({ reason: 'completed', info: { key, steps: 3 } });
    expect(events.at(-1)).toMatchObject({ type: 'datasets', datasets: [], builtinTeachers: { mnist: [expect.objectContaining({ key, spec: SPEC })] } });

    const env = browserEnvironment(data, async (file) => {
      throw new Error(`no file ${file} in this test`); // a spec teacher is never fetched
    });
    const net = await env.loadTeacher(config);
    try {
      expect(net.arch).toBe(SPEC);
    } finally {
      net.dispose();
    }
    // Another built-in dataset has no such teacher: the run says to train it.
    await expect(env.loadTeacher({ ...config, dataset: 'fashion' })).rejects.toThrow(`no teacher ${SPEC} is trained for Fashion-MNIST yet: press "Train teacher"`);
  });

  it('a shipped teacher is not trained again', async () => {
    const events: WorkerEvent[] = [];
    const saved: StoredTeacher[] = [];
    const config = validateConfig({ dataset: 'mnist', teacher: 'resnet-t', backend: 'wasm' }).config;
    await trainTeacherInWorker({ config, port: { ...port(saved), dataset: async () => mnistLike() }, emit: (e) => events.push(e), now: () => 0, yieldToEvents: async () => {}, job: new TeacherJob() });
    expect(events.at(-1)).toMatchObject({ type: 'teacher-done', reason: 'failed', message: 'resnet-t is shipped trained for mnist; the page trains the teachers that are not' });
    expect(saved).toEqual([]);
  });
});
