import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initNodeBackend } from '../src/node/backend';
import { NonFiniteLossError } from '../src/core/loop/nonFiniteLoss';
import type { StepMetrics } from '../src/core/train/trainer';
import type { Method } from '../src/core/distill/distiller';
import { tinyTrainer } from './helpers';
import type { Recipe } from '../src/core/optim/optimizer';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

async function run(o: Parameters<typeof tinyTrainer>[0], steps: number, teacherArch?: string): Promise<StepMetrics[]> {
  const { trainer, teacher } = await tinyTrainer(o, teacherArch);
  const out: StepMetrics[] = [];
  for (let i = 0; i < steps; i++) out.push(await trainer.step());
  trainer.dispose();
  teacher.dispose();
  return out;
}

describe('one loop, every method', () => {
  it.each(['none', 'kd', 'mimic', 'mgd', 'mgd+kd'] as Method[])('%s: finite metrics with the right terms', async (method) => {
    const [m] = await run({ method }, 1);
    for (const v of [m.loss, m.taskLoss, m.distillLoss, m.featureLoss, m.difference, m.trainAcc]) expect(Number.isFinite(v)).toBe(true);
    expect(m.loss).toBeCloseTo(m.taskLoss + m.distillLoss, 4);
    expect(m.difference).toBeGreaterThan(0);
    if (method === 'none') expect(m.distillLoss).toBe(0);
    if (method === 'kd') expect(m.featureLoss).toBe(0);
    if (method === 'kd') expect(m.distillLoss).toBeGreaterThan(0);
    if (method === 'mimic' || method === 'mgd') expect(m.distillLoss).toBeCloseTo(5e-4 * m.featureLoss, 5);
    if (method === 'mgd+kd') expect(m.distillLoss).toBeGreaterThan(5e-4 * m.featureLoss);
  });

  // The methods of MGD's Table 1: their tensors released every step, the teacher (whose
  // classifier SRRL backpropagates through) untouched, the student trained by the term.
  it.each(['at', 'rkd', 'wsld', 'srrl', 'crd', 'ofd'] as Method[])('%s: tensors flat over 10 steps, teacher frozen, a distillation term', async (method) => {
    const { trainer, teacher } = await tinyTrainer({ method, batch: 8 }, 'resnet-xs');
    const head = await teacher.params.get('head.w').data();
    for (let i = 0; i < 2; i++) await trainer.step();
    const start = tf.memory().numTensors;
    let m: StepMetrics | undefined;
    for (let i = 0; i < 10; i++) m = await trainer.step();
    expect(tf.memory().numTensors).toBe(start);
    expect(await teacher.params.get('head.w').data()).toEqual(head);
    expect(m!.distillLoss).toBeGreaterThan(0);
    expect(m!.loss).toBeCloseTo(m!.taskLoss + m!.distillLoss, 4);
    trainer.dispose();
    teacher.dispose();
  }, 120_000);

  it('mimic feature term equals the difference (no mask, no generator)', async () => {
    const [m] = await run({ method: 'mimic' }, 1);
    expect(m.featureLoss).toBeCloseTo(m.difference, 2);
  });
});

describe('align and generator', () => {
  it('align exists only when widths differ', async () => {
    const names = async (teacherArch: string, method: Method) => {
      const { trainer, teacher } = await tinyTrainer({ method }, teacherArch);
      const n = [...trainer.distiller.params.trainable.keys()];
      trainer.dispose();
      teacher.dispose();
      return n;
    };
    expect(await names('resnet-s', 'mgd')).toContain('align0.w'); // 32 → 64 channels
    expect((await names('resnet-xs', 'mgd')).some((n) => n.startsWith('align'))).toBe(false); // 32 = 32
    expect(await names('resnet-xs', 'mgd')).toEqual(['gen0.conv1.w', 'gen0.conv1.b', 'gen0.conv2.w', 'gen0.conv2.b']);
    expect(await names('resnet-xs', 'mimic')).toEqual([]);
  });
});

describe('training', () => {
  it('the teacher stays frozen', async () => {
    const { trainer, teacher } = await tinyTrainer({ method: 'mgd+kd' });
    const before = await teacher.params.get('s3.b1.conv2.w').data();
    const bnBefore = await teacher.params.get('s3.b1.bn2.mean').data();
    for (let i = 0; i < 3; i++) await trainer.step();
    expect(await teacher.params.get('s3.b1.conv2.w').data()).toEqual(before);
    expect(await teacher.params.get('s3.b1.bn2.mean').data()).toEqual(bnBefore);
    trainer.dispose();
    teacher.dispose();
  });

  it('is deterministic for a seed and differs for another', async () => {
    const a = await run({ seed: 3 }, 4);
    const b = await run({ seed: 3 }, 4);
    const c = await run({ seed: 4 }, 4);
    const strip = (ms: StepMetrics[]) => ms.map(({ stepMs: _t, ...rest }) => rest);
    expect(strip(b)).toEqual(strip(a));
    expect(strip(c)).not.toEqual(strip(a));
  });

  it('live α and λ apply at the next step and are recorded', async () => {
    const { trainer, teacher } = await tinyTrainer();
    const m1 = await trainer.step();
    trainer.setLive({ alpha: 1e-3, lambda: 0.25 });
    const m2 = await trainer.step();
    expect([m1.alpha, m1.lambda]).toEqual([5e-4, 0.5]);
    expect([m2.alpha, m2.lambda]).toEqual([1e-3, 0.25]);
    expect(m2.distillLoss).toBeCloseTo(1e-3 * m2.featureLoss, 5);
    trainer.dispose();
    teacher.dispose();
  });

  it('a NaN loss stops with a NonFiniteLossError naming the step', async () => {
    const { trainer, teacher } = await tinyTrainer();
    await trainer.step();
    trainer.setLive({ alpha: NaN });
    await expect(trainer.step()).rejects.toThrow(NonFiniteLossError);
    await expect(trainer.step()).rejects.toThrow(/step 3/);
    trainer.dispose();
    teacher.dispose();
  });

  it('cached teacher outputs are filled by the first batch of each image and equal a live teacher pass', async () => {
    const { trainer, teacher } = await tinyTrainer({ stages: [1, 2] });
    expect(await trainer.prepare()).toBe(true);
    const tr = (trainer as unknown as { train: { indices: Int32Array; batchOf(i: ArrayLike<number>): { x: Float32Array } } }).train;
    const batch = (idx: number[]) => tf.tensor4d(tr.batchOf(idx).x, [idx.length, 28, 28, 1]);
    const idx = Array.from(tr.indices.slice(0, 8));
    const runs = vi.spyOn(trainer.teacherOutputs, 'run');
    // Images 0–3 first, in a batch of their own; then 0–7: only 4–7 need the teacher.
    const x4 = batch(idx.slice(0, 4));
    const first = await trainer.teacherOutputs.forBatch(idx.slice(0, 4), x4);
    const x = batch(idx);
    const mixed = await trainer.teacherOutputs.forBatch(idx, x);
    const cached = await trainer.teacherOutputs.forBatch(idx, x);
    expect(runs).toHaveBeenCalledTimes(2); // the third call read every row from the cache
    const live = trainer.teacherOutputs.run(x.clone());
    for (const got of [mixed, cached]) {
      for (let k = 0; k < 2; k++) expect(Array.from(await got.features[k].data())).toEqual(Array.from(await live.features[k].data()));
      expect(Array.from(await got.logits.data())).toEqual(Array.from(await live.logits.data()));
    }
    // A batch of four gives each image the outputs a batch of eight does.
    expect(Array.from(await first.logits.data())).toEqual(Array.from(await live.logits.data()).slice(0, 4 * 10));
    runs.mockRestore();

    // Eager: every row filled before the first step (one pass per 256 images), the same numbers.
    const { trainer: eager, teacher: t2 } = await tinyTrainer({ stages: [1, 2] });
    expect(await eager.prepare({ eager: true })).toBe(true);
    const eagerRuns = vi.spyOn(eager.teacherOutputs, 'run');
    const fromEager = await eager.teacherOutputs.forBatch(idx, x);
    expect(eagerRuns).not.toHaveBeenCalled();
    expect(Array.from(await fromEager.logits.data())).toEqual(Array.from(await live.logits.data()));
    tf.dispose([fromEager.logits, ...fromEager.features]);
    eager.dispose();
    t2.dispose();
    tf.dispose([x, x4, first.logits, mixed.logits, cached.logits, live.logits, ...first.features, ...mixed.features, ...cached.features, ...live.features]);
    trainer.dispose();
    teacher.dispose();
  });

  it('the α helper makes α·feature term equal to the task loss', async () => {
    const { trainer, teacher } = await tinyTrainer();
    const alpha = await trainer.suggestAlpha();
    expect(alpha).toBeGreaterThan(0);
    const { trainer: none } = await tinyTrainer({ method: 'none' });
    expect(await none.suggestAlpha()).toBeNull();
    none.dispose();
    trainer.dispose();
    teacher.dispose();
  });

  it('keeps the tensor count flat over 200 steps', async () => {
    const { trainer, teacher } = await tinyTrainer({ method: 'mgd+kd', batch: 8 }, 'resnet-xs');
    await trainer.prepare();
    for (let i = 0; i < 5; i++) await trainer.step();
    await trainer.evaluate(100);
    const start = tf.memory().numTensors;
    for (let i = 0; i < 200; i++) await trainer.step();
    await trainer.evaluate(100);
    expect(tf.memory().numTensors).toBe(start);
    trainer.dispose();
    teacher.dispose();
  }, 300_000);

  it.each<[string, Recipe]>([
    ['SGD + momentum + L2, cosine to a floor after a warm-up', { optimizer: 'sgd', momentum: 0.9, weightDecay: 1e-3, schedule: { kind: 'cosine', lr: 0.01, steps: 30, floor: 0.1, every: 1, gamma: 1, warmup: 5 } }],
    ['AdamW, step decay', { optimizer: 'adam', momentum: 0, weightDecay: 0.01, schedule: { kind: 'step', lr: 1e-3, steps: 30, floor: 0, every: 4, gamma: 0.5, warmup: 0 } }],
  ])('keeps the tensor count flat with %s', async (_, recipe) => {
    const { trainer, teacher } = await tinyTrainer({ method: 'mgd', batch: 8, recipe }, 'resnet-xs');
    for (let i = 0; i < 3; i++) await trainer.step();
    const start = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) expect(Number.isFinite((await trainer.step()).loss)).toBe(true);
    expect(tf.memory().numTensors).toBe(start);
    trainer.dispose();
    teacher.dispose();
  }, 300_000);
});
