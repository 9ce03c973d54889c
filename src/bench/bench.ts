/**
 * The kernel benchmark, run in a page on WebGPU (scripts/bench-kernels.ts drives it):
 *  - fused maskedConv2d vs conv2d(x ⊙ mask) in stock tfjs ops, forward and forward+backward;
 *  - sparseConv2d vs dense conv + re-mask (its reference) at several masked ratios;
 *  - one MGD training step (resnet-t → resnet-s, real MNIST), with or without the WGSL kernels
 *    (the page is loaded twice: `registerWebGPUKernels()` is skipped for the second).
 * Each measurement: warm-up runs (shader compilation), then `reps` timed runs, each synced by
 * awaiting `data()` of one scalar that depends on every output; the median is reported.
 */
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_CONFIG, validateConfig } from '../core/config';
import { loadDataset } from '../core/data/loader';
import { datasetInfo } from '../core/data/datasets';
import { maskedConv2d, maskedConv2dReference, sparseConv2d, sparseConv2dReference } from '../core/kernels';
import { loadTeacher } from '../core/models/teachers';
import { buildTrainer } from '../core/train/experiment';
import { trainerSources } from '../core/train/sources';
import { Rng } from '../core/random';
import type { BenchPart } from './parts';
import { fetchPublicBytes } from '../worker/environment';

export interface BenchOptions {
  reps: number;
  batch: number; // N of the kernel shapes and the MGD step
  part: BenchPart;
}

export interface BenchRow {
  table: 'masked' | 'sparse' | 'step';
  shape: string;
  variant: string; // what was timed
  ms: number; // median
}

const WARMUP = 2;
/** Masked-conv shapes: MGD's pixel mask at two sizes, and its channel-mask option. */
const MASKED_CASES: { side: number; mask: 'pixel' | 'channel' }[] = [
  { side: 7, mask: 'pixel' },
  { side: 14, mask: 'pixel' },
  { side: 14, mask: 'channel' },
];
const CHANNELS = 64;
const MASKED_RATIOS = [0, 0.25, 0.5, 0.75, 0.9];
const SPARSE_SIDE = 14;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median ms of `reps` runs of `run` after WARMUP untimed ones (shader compilation, buffer pools). */
async function medianMs(reps: number, run: () => Promise<void>): Promise<number> {
  for (let i = 0; i < WARMUP; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await run();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

/** `ops`' outputs summed into one scalar and read back: the GPU has finished them all. */
function synced(ops: () => tf.Tensor[]): () => Promise<void> {
  return async () => {
    const sync = tf.tidy(() => tf.addN(ops().map((t) => t.sum())));
    await sync.data();
    sync.dispose();
  };
}

function randomTensor(rng: Rng, shape: number[]): tf.Tensor {
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()), shape);
}

/** 0/1 [N, H, W, 1]: each position masked (0) with probability `ratio`. */
function pixelMask(rng: Rng, [n, h, w]: number[], ratio: number): tf.Tensor4D {
  return tf.tensor4d(Float32Array.from({ length: n * h * w }, () => (rng.uniform() < ratio ? 0 : 1)), [n, h, w, 1]);
}

/** 0/1 [N, 1, 1, C]: each channel of each image masked (0) with probability `ratio`. */
function channelMask(rng: Rng, [n, , , c]: number[], ratio: number): tf.Tensor4D {
  return tf.tensor4d(Float32Array.from({ length: n * c }, () => (rng.uniform() < ratio ? 0 : 1)), [n, 1, 1, c]);
}

type Conv = (x: tf.Tensor4D, m: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D;

/** Forward, and forward + gradients of Σ y·r with respect to x and w. */
function passes(conv: Conv, x: tf.Tensor4D, m: tf.Tensor4D, w: tf.Tensor4D, r: tf.Tensor): Record<'forward' | 'forward+backward', () => tf.Tensor[]> {
  return {
    forward: () => [conv(x, m, w)],
    'forward+backward': () => tf.grads((xi, wi) => conv(xi as tf.Tensor4D, m, wi as tf.Tensor4D).mul(r).sum())([x, w]),
  };
}

async function maskedRows(o: BenchOptions): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const rng = new Rng(7);
  for (const { side, mask } of MASKED_CASES) {
    const shape = [o.batch, side, side, CHANNELS];
    const x = randomTensor(rng, shape) as tf.Tensor4D;
    const m = mask === 'pixel' ? pixelMask(rng, shape, 0.5) : channelMask(rng, shape, 0.5); // MGD's default λ
    const w = randomTensor(rng, [3, 3, CHANNELS, CHANNELS]) as tf.Tensor4D;
    const b = tf.zeros([CHANNELS]) as tf.Tensor1D;
    const r = randomTensor(rng, shape);
    const label = `N=${o.batch} ${side}×${side}×${CHANNELS} 3×3${mask === 'channel' ? ', channel mask' : ''}`;
    const fused = passes((xi, mi, wi) => maskedConv2d(xi, mi, wi, b), x, m, w, r);
    const stock = passes((xi, mi, wi) => maskedConv2dReference(xi, mi, wi, b, 1, 'same'), x, m, w, r);
    for (const pass of ['forward', 'forward+backward'] as const) {
      rows.push({ table: 'masked', shape: label, variant: `fused ${pass}`, ms: await medianMs(o.reps, synced(fused[pass])) });
      rows.push({ table: 'masked', shape: label, variant: `stock ${pass}`, ms: await medianMs(o.reps, synced(stock[pass])) });
    }
    tf.dispose([x, m, w, b, r]);
  }
  return rows;
}

async function sparseRows(o: BenchOptions): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const rng = new Rng(8);
  const shape = [o.batch, SPARSE_SIDE, SPARSE_SIDE, CHANNELS];
  const x = randomTensor(rng, shape) as tf.Tensor4D;
  const w = randomTensor(rng, [3, 3, CHANNELS, CHANNELS]) as tf.Tensor4D;
  const r = randomTensor(rng, shape);
  for (const ratio of MASKED_RATIOS) {
    const a = pixelMask(rng, shape, ratio);
    const label = `N=${o.batch} ${SPARSE_SIDE}×${SPARSE_SIDE}×${CHANNELS} 3×3, ${Math.round(ratio * 100)}% masked`;
    const sparse = passes((xi, ai, wi) => sparseConv2d(xi, ai, wi, 1), x, a, w, r);
    const dense = passes((xi, ai, wi) => sparseConv2dReference(xi, ai, wi, 1), x, a, w, r);
    for (const pass of ['forward', 'forward+backward'] as const) {
      rows.push({ table: 'sparse', shape: label, variant: `sparse ${pass}`, ms: await medianMs(o.reps, synced(sparse[pass])) });
      rows.push({ table: 'sparse', shape: label, variant: `dense+re-mask ${pass}`, ms: await medianMs(o.reps, synced(dense[pass])) });
    }
    a.dispose();
  }
  tf.dispose([x, w, r]);
  return rows;
}

/** One MGD step of the default pair on real MNIST, as the playground runs it. */
async function stepRow(o: BenchOptions, variant: string): Promise<BenchRow> {
  const fetchBytes = fetchPublicBytes('/');
  const config = validateConfig({ ...DEFAULT_CONFIG, method: 'mgd', batch: o.batch, subset: o.batch * 2, backend: 'webgpu' }).config;
  const [teacher, ds] = await Promise.all([loadTeacher(config.dataset, config.teacher, fetchBytes), loadDataset(datasetInfo(config.dataset).id, fetchBytes)]);
  const { train, test } = trainerSources(ds, config.subset, config.seed);
  const trainer = buildTrainer(config, teacher, train, test);
  try {
    await trainer.prepare({ eager: true });
    // A step reads its metrics back, so it is synced by itself.
    const ms = await medianMs(o.reps, async () => void (await trainer.step()));
    return { table: 'step', shape: `${config.teacher}→${config.student} MGD, batch ${o.batch}`, variant, ms };
  } finally {
    trainer.dispose();
    teacher.dispose();
  }
}

export async function runBench(o: BenchOptions, withKernels: boolean): Promise<BenchRow[]> {
  if (o.part === 'step') return [await stepRow(o, withKernels ? 'with WGSL kernels' : 'reference path (stock tfjs ops)')];
  return o.part === 'masked' ? maskedRows(o) : sparseRows(o);
}
