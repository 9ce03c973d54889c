/**
 * MAE-style masked image modelling for the ViT teacher (He et al. 2022): mask most patches, run
 * the encoder on the visible ones only, and let a light decoder (mask tokens + fixed positions +
 * one transformer block) reconstruct the per-patch normalised pixels; the loss counts masked
 * patches only. Labels are never read.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random';
import { cosineToZero, lrAt } from '../optim/lrSchedule';
import { ParamStore } from '../models/params';
import type { TrainSource } from '../loop/sources';
import { type Block, type Linear, Vit, addBlock, addLayerNorm, addLinear, runBlocks, sinCosPositions } from './vit';
import { drawVisible, selectionMatrix } from './patchMask';

export interface MaeDecoderOptions {
  dim: number; // decoder width
  depth: number;
  heads: number;
}

export const MAE_DECODER_DEFAULTS: MaeDecoderOptions = { dim: 32, depth: 1, heads: 2 };

/** Pixels of every patch, each patch normalised to zero mean and unit variance (MAE's norm_pix_loss). */
export function patchTargets(x: Float32Array, n: number, size: number, patch: number): Float32Array {
  const grid = size / patch;
  const pp = patch * patch;
  const out = new Float32Array(n * grid * grid * pp);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < grid * grid; t++) {
      const y0 = Math.floor(t / grid) * patch;
      const x0 = (t % grid) * patch;
      const dst = out.subarray((i * grid * grid + t) * pp, (i * grid * grid + t + 1) * pp);
      for (let k = 0; k < pp; k++) dst[k] = x[(i * size + y0 + Math.floor(k / patch)) * size + x0 + (k % patch)];
      let mean = 0;
      for (let k = 0; k < pp; k++) mean += dst[k];
      mean /= pp;
      let variance = 0;
      for (let k = 0; k < pp; k++) variance += (dst[k] - mean) ** 2;
      const inv = 1 / Math.sqrt(variance / pp + 1e-6);
      for (let k = 0; k < pp; k++) dst[k] = (dst[k] - mean) * inv;
    }
  }
  return out;
}

export class MaeDecoder {
  readonly params: ParamStore;
  private readonly embed: Linear;
  private readonly maskToken: tf.Variable; // [Dd]
  private readonly positions: tf.Tensor2D; // [T, Dd], fixed
  private readonly blocks: Block[];
  private readonly norm: Linear;
  private readonly head: Linear;

  constructor(vit: Vit, readonly options: MaeDecoderOptions, seed: number, scope: string) {
    const rng = new Rng(seed);
    const p = (this.params = new ParamStore(scope));
    const { dim, depth, heads } = options;
    const pixels = vit.options.patch * vit.options.patch * vit.options.inChannels;
    this.embed = addLinear(p, rng, 'embed', vit.options.dim, dim);
    this.maskToken = p.constant('maskToken', [dim], 0, true);
    this.blocks = Array.from({ length: depth }, (_, i) => addBlock(p, rng, `block${i + 1}`, dim, heads, 2));
    this.norm = addLayerNorm(p, 'norm', dim);
    this.head = addLinear(p, rng, 'head', dim, pixels);
    this.positions = sinCosPositions(vit.grid, dim);
  }

  /**
   * encoded [N, V, D] visible tokens, select [N, V, T], visible [N, T] (0/1) →
   * predicted pixels [N, T, p·p·C]: visible tokens go back to their places, mask tokens elsewhere.
   */
  apply(encoded: tf.Tensor3D, select: tf.Tensor3D, visible: tf.Tensor2D): tf.Tensor3D {
    const placed = tf.matMul(select, this.embed(encoded) as tf.Tensor3D, true, false); // [N, T, Dd]
    const holes = tf.mul(tf.sub(1, visible).expandDims(2), this.maskToken); // [N, T, Dd]
    const h = tf.add(tf.add(placed, holes), this.positions) as tf.Tensor3D;
    return this.head(this.norm(runBlocks(this.blocks, h))) as tf.Tensor3D;
  }

  trainableVariables(): tf.Variable[] {
    return [...this.params.trainable.values()];
  }

  dispose(): void {
    this.params.dispose();
    this.positions.dispose();
  }
}

/** One MIM batch as tensors: images, the token selection, the visible map and the pixel targets. */
export interface MimBatch {
  x: tf.Tensor4D; // [N, H, W, C]
  select: tf.Tensor3D; // [N, V, T]
  visible: tf.Tensor2D; // [N, T]
  targets: tf.Tensor3D; // [N, T, p·p·C]
}

export function mimBatch(vit: Vit, pixels: Float32Array, n: number, ratio: number, rng: Rng): MimBatch {
  const { inputSize: s, inChannels: c, patch } = vit.options;
  const t = vit.tokenCount;
  const vis = drawVisible(n, t, ratio, rng);
  return {
    x: tf.tensor4d(pixels, [n, s, s, c]),
    select: selectionMatrix(vis, n, t),
    visible: tf.tensor2d(Float32Array.from(vis), [n, t]),
    targets: tf.tensor3d(patchTargets(pixels, n, s, patch), [n, t, patch * patch * c]),
  };
}

export function disposeMimBatch(b: MimBatch): void {
  tf.dispose([b.x, b.select, b.visible, b.targets]);
}

/** Mean squared error over the pixels of masked patches only. */
export function mimLoss(vit: Vit, decoder: MaeDecoder, b: MimBatch): tf.Scalar {
  return tf.tidy(() => {
    const pred = decoder.apply(vit.encode(b.x, b.select).tokens, b.select, b.visible); // [N, T, P]
    const perPatch = tf.mean(tf.squaredDifference(pred, b.targets), 2); // [N, T]
    const masked = tf.sub(1, b.visible);
    return tf.div(tf.sum(tf.mul(perPatch, masked)), tf.maximum(tf.sum(masked), 1)) as tf.Scalar;
  });
}

export interface MimTrainOptions {
  steps: number;
  batch: number;
  lr: number;
  weightDecay: number; // decoupled (AdamW-style), applied to every weight each step
  seed: number;
  maskRatio: number;
  logEvery?: number;
  onStep?: (step: number, loss: number) => void;
}

/** Pre-trains `vit` (and `decoder`) on unlabelled batches: Adam with cosine decay to 0, seeded masks. */
export async function trainMim(vit: Vit, decoder: MaeDecoder, train: TrainSource, o: MimTrainOptions): Promise<void> {
  const optimizer = tf.train.adam(o.lr, 0.9, 0.95);
  const schedule = cosineToZero(o.lr, o.steps);
  const rng = Rng.derive(o.seed, 7);
  const vars = [...vit.trainableVariables(), ...decoder.trainableVariables()];
  const logEvery = o.logEvery ?? 50;
  for (let step = 1; step <= o.steps; step++) {
    const lr = lrAt(schedule, step);
    (optimizer as unknown as { learningRate: number }).learningRate = lr;
    const raw = train.nextBatch(o.batch);
    const b = mimBatch(vit, raw.x, raw.y.length, o.maskRatio, rng);
    const cost = optimizer.minimize(() => mimLoss(vit, decoder, b), true, vars);
    disposeMimBatch(b);
    if (o.weightDecay > 0) tf.tidy(() => vars.forEach((v) => v.assign(tf.mul(v, 1 - lr * o.weightDecay))));
    if (step % logEvery === 0 || step === o.steps) {
      const loss = (await cost!.data())[0];
      if (!Number.isFinite(loss)) throw new Error(`MIM pre-training diverged at step ${step} (loss ${loss})`);
      o.onStep?.(step, loss);
    }
    cost?.dispose();
  }
  optimizer.dispose();
}

/** Mean masked-patch reconstruction loss over `images` with masks drawn from `seed` (fixed, so re-measurable). */
export async function reconstructionLoss(
  vit: Vit,
  decoder: MaeDecoder,
  batches: Iterable<{ x: Float32Array; n: number }>,
  ratio: number,
  seed: number,
): Promise<number> {
  const rng = Rng.derive(seed, 8);
  let sum = 0;
  let count = 0;
  for (const { x, n } of batches) {
    const b = mimBatch(vit, x, n, ratio, rng);
    const loss = mimLoss(vit, decoder, b);
    sum += (await loss.data())[0] * n;
    count += n;
    loss.dispose();
    disposeMimBatch(b);
  }
  return sum / count;
}
