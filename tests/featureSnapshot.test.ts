/** Feature snapshots on real MNIST test images: shapes, the mask, values against direct tfjs computations, no leaks. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { featureSnapshot, snapshotBuffers, type FeatureMapData, type FeatureSnapshot } from '../src/core/distill/featureSnapshot';
import { Net } from '../src/core/models/net';
import { resolveArch } from '../src/core/models/registry';
import { Trainer, type TrainerSettings } from '../src/core/train/trainer';
import type { TestSource } from '../src/core/loop/sources';
import { initNodeBackend } from '../src/node/backend';
import { nodeDataSources } from '../src/node/dataSource';
import { tinySettings } from './helpers';
import { MNIST_NET } from './helpers';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

async function setup(o: Partial<TrainerSettings> = {}) {
  const { train, test } = await nodeDataSources('mnist', 256, 1);
  const teacher = new Net(resolveArch('resnet-s'), 99, 'teacher', MNIST_NET);
  const trainer = new Trainer(tinySettings(o), teacher, train, test);
  const done = () => {
    trainer.dispose();
    teacher.dispose();
  };
  return { trainer, teacher, test, done };
}

const byKind = (s: FeatureSnapshot, kind: FeatureMapData['kind']): FeatureMapData => {
  const m = s.maps.find((x) => x.kind === kind);
  if (!m) throw new Error(`no ${kind} map`);
  return m;
};

function expectClose(got: Float32Array, want: ArrayLike<number>): void {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
  expect(worst).toBeLessThan(1e-4);
}

/** The features the snapshot should hold, computed directly from the trainer's parts. */
async function direct(trainer: Trainer, test: TestSource, index: number, mask: FeatureMapData) {
  const stage = trainer.settings.stages[0];
  const x = tf.tensor4d(test.batch(index, 1).x, [1, 28, 28, 1]);
  const t = trainer.teacher.apply(x, false).features[stage];
  const aligned = trainer.distiller.align(0, trainer.student.apply(x, false).features[stage]);
  const m = tf.tensor4d(mask.values, [1, ...mask.shape]);
  const generated = trainer.distiller.generate(0, aligned, m);
  const out = {
    teacher: await t.data(),
    student: await aligned.data(),
    generated: await generated.data(),
    error: await tf.abs(tf.sub(generated, t)).data(),
    teacherAttention: await tf.mean(tf.abs(t), 3).data(), // [1, H, W]
  };
  tf.dispose([x, t, aligned, m, generated]);
  return out;
}

describe('feature snapshot', () => {
  it('MGD, pixel mask: every map with its shape, the mask applied, values as computed directly', async () => {
    const { trainer, test, done } = await setup({ method: 'mgd', mask: 'pixel', lambda: 0.5 });
    for (let i = 0; i < 3; i++) await trainer.step(); // weights away from init
    const s = await featureSnapshot(trainer, test, 7);
    expect(s.index).toBe(7);
    expect(s.label).toBe(test.batch(7, 1).y[0]);
    expect(s.stage).toBe(3);
    expect(s.maps.map((m) => [m.kind, m.shape])).toEqual([
      ['input', [28, 28, 1]],
      ['teacher', [7, 7, 64]],
      ['student', [7, 7, 64]], // resnet-xs 32 channels, aligned to 64
      ['mask', [7, 7, 1]],
      ['masked', [7, 7, 64]],
      ['generated', [7, 7, 64]],
      ['error', [7, 7, 64]],
    ]);
    for (const m of s.maps) {
      expect(m.values.length).toBe(m.shape[0] * m.shape[1] * m.shape[2]);
      expect(m.attention.length).toBe(m.shape[0] * m.shape[1]);
    }
    expectClose(byKind(s, 'input').values, test.batch(7, 1).x);

    const mask = byKind(s, 'mask').values;
    const zeros = mask.filter((v) => v === 0).length;
    expect(mask.every((v) => v === 0 || v === 1)).toBe(true);
    expect(zeros).toBeGreaterThan(5); // λ = 0.5 of 49 positions
    expect(zeros).toBeLessThan(44);
    const student = byKind(s, 'student').values;
    const masked = byKind(s, 'masked').values;
    for (let p = 0; p < 49; p++) for (let c = 0; c < 64; c++) expect(masked[p * 64 + c]).toBe(student[p * 64 + c] * mask[p]);

    const want = await direct(trainer, test, 7, byKind(s, 'mask'));
    expectClose(byKind(s, 'teacher').values, want.teacher);
    expectClose(student, want.student);
    expectClose(byKind(s, 'generated').values, want.generated);
    expectClose(byKind(s, 'error').values, want.error);
    expectClose(byKind(s, 'teacher').attention, want.teacherAttention);
    expect(byKind(s, 'mask').attention).toEqual(mask); // one channel: |m| = m
    done();
  });

  it('channel mask and a method without a generator: no generated or error map', async () => {
    const { trainer, test, done } = await setup({ method: 'mimic', mask: 'channel', lambda: 0.5 });
    const s = await featureSnapshot(trainer, test, 0);
    expect(s.maps.map((m) => m.kind)).toEqual(['input', 'teacher', 'student', 'mask', 'masked']);
    const mask = byKind(s, 'mask');
    expect(mask.shape).toEqual([1, 1, 64]);
    const student = byKind(s, 'student').values;
    const masked = byKind(s, 'masked').values;
    for (let i = 0; i < student.length; i++) expect(masked[i]).toBe(student[i] * mask.values[i % 64]);
    done();
  });

  it('the mask is fixed across snapshots, and a snapshot changes nothing in training', async () => {
    const a = await setup({ method: 'mgd' });
    const b = await setup({ method: 'mgd' });
    const first = await featureSnapshot(a.trainer, a.test, 3);
    await a.trainer.step();
    const second = await featureSnapshot(a.trainer, a.test, 3);
    expect(byKind(second, 'mask').values).toEqual(byKind(first, 'mask').values);
    expect(byKind(second, 'student').values).not.toEqual(byKind(first, 'student').values); // the step moved the student
    // Training masks, BN statistics and weights are untouched: the same steps with and without snapshots.
    const withSnapshots = [(await a.trainer.step()).loss];
    await b.trainer.step();
    const without = [(await b.trainer.step()).loss];
    expect(withSnapshots).toEqual(without);
    a.done();
    b.done();
  });

  it('leaks no tensors; each map owns a separate buffer; a missing image is a clear error', async () => {
    const { trainer, test, done } = await setup({ method: 'mgd+kd' });
    await featureSnapshot(trainer, test, 1); // warm-up: kernels may cache tensors once
    const before = tf.memory().numTensors;
    const s = await featureSnapshot(trainer, test, 2);
    expect(tf.memory().numTensors).toBe(before);
    const buffers = snapshotBuffers(s);
    expect(new Set(buffers).size).toBe(buffers.length);
    expect(buffers[0].byteLength).toBe(28 * 28 * 4);
    await expect(featureSnapshot(trainer, test, test.count)).rejects.toThrow(/does not exist: the test set has images 0…/);
    await expect(featureSnapshot(trainer, test, -1)).rejects.toThrow(RangeError);
    expect(tf.memory().numTensors).toBe(before);
    done();
  });
});
