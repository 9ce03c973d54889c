/**
 * The H-GKD student's encoder: the ResNet family's skeleton (3×3 stem, basic blocks, stride 2
 * at the first block of every stage after the first) with every convolution and batch norm
 * switchable between
 *   - sparse (`masks` given): submanifold convs and BN statistics over visible positions only
 *     (SparK); the mask at each scale is the patch mask downsampled, and since every op writes
 *     exactly 0 at inactive positions (ReLU(0) = 0, residual sums of zeros), holes stay exact zeros;
 *   - dense (`masks` null): ordinary conv and BN, used for fine-tuning (full image) and for the
 *     "sparse off" ablation (masked image, holes fill in layer by layer).
 * Same parameters either way, so a distilled backbone fine-tunes as an ordinary CNN.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random';
import { ParamStore } from '../models/params';
import { BN_EPS, updateRunningStats } from '../models/layers';
import { batchNormInfer, batchNormTrain } from '../ops/batchNorm';
import { sparseBatchNorm, sparseBatchNormInfer, sparseConv2d } from '../kernels';
import type { ArchSpec } from '../models/spec';

/** Per-scale active masks [N, H_s, W_s, 1] (scale 0 = input resolution), or null for dense. */
export type ScaleMasks = tf.Tensor4D[] | null;

interface Ctx {
  masks: ScaleMasks;
  training: boolean;
}

/** A layer at scale `scale` (its input's scale): x → y. */
type Layer = (x: tf.Tensor4D, ctx: Ctx) => tf.Tensor4D;

function addConv(p: ParamStore, rng: Rng, name: string, k: number, cin: number, cout: number, stride: number, scale: number): Layer {
  const w = p.convFilter(`${name}.w`, rng, k, k, cin, cout) as tf.Variable<tf.Rank.R4>;
  return (x, { masks }) => (masks ? sparseConv2d(x, masks[scale], w, stride) : tf.conv2d(x, w, stride, 'same'));
}

function addBatchNorm(p: ParamStore, name: string, c: number, scale: number): Layer {
  const gamma = p.constant(`${name}.gamma`, [c], 1, true) as tf.Variable<tf.Rank.R1>;
  const beta = p.constant(`${name}.beta`, [c], 0, true) as tf.Variable<tf.Rank.R1>;
  const runMean = p.constant(`${name}.mean`, [c], 0, false) as tf.Variable<tf.Rank.R1>;
  const runVar = p.constant(`${name}.var`, [c], 1, false) as tf.Variable<tf.Rank.R1>;
  return (x, { masks, training }) => {
    const active = masks?.[scale];
    if (!training) return active ? sparseBatchNormInfer(x, active, gamma, beta, runMean, runVar, BN_EPS) : batchNormInfer(x, gamma, beta, runMean, runVar, BN_EPS);
    const { y, mean, variance } = active ? sparseBatchNorm(x, active, gamma, beta, BN_EPS) : batchNormTrain(x, gamma, beta, BN_EPS);
    // n: the values per channel the statistics were taken over (the active positions, for sparse BN).
    const n = active ? tf.sum<tf.Scalar>(active) : x.size / c;
    updateRunningStats(runMean, runVar, mean, variance, n);
    if (typeof n !== 'number') n.dispose();
    return y;
  };
}

const chain = (...layers: Layer[]): Layer => (x, ctx) => layers.reduce((h, f) => f(h, ctx), x);
const relu: Layer = (x) => tf.relu(x);

/** Basic block at input scale `scale`; with stride 2 its output is at scale + 1. */
function addBlock(p: ParamStore, rng: Rng, name: string, cin: number, cout: number, stride: number, scale: number): Layer {
  const out = stride === 2 ? scale + 1 : scale;
  const main = chain(
    addConv(p, rng, `${name}.conv1`, 3, cin, cout, stride, scale),
    addBatchNorm(p, `${name}.bn1`, cout, out),
    relu,
    addConv(p, rng, `${name}.conv2`, 3, cout, cout, 1, out),
    addBatchNorm(p, `${name}.bn2`, cout, out),
  );
  const shortcut: Layer | null =
    stride !== 1 || cin !== cout ? chain(addConv(p, rng, `${name}.down`, 1, cin, cout, stride, scale), addBatchNorm(p, `${name}.downbn`, cout, out)) : null;
  return (x, ctx) => tf.relu(tf.add(main(x, ctx), shortcut ? shortcut(x, ctx) : x)) as tf.Tensor4D;
}

export class SparseEncoder {
  readonly params: ParamStore;
  private readonly stem: Layer;
  private readonly stages: Layer[];

  constructor(readonly spec: ArchSpec, seed: number, scope: string, inChannels = 1) {
    if (spec.family !== 'resnet') throw new Error(`the H-GKD student must be a resnet spec, got ${spec.family}`);
    const rng = new Rng(seed);
    const p = (this.params = new ParamStore(scope));
    const w0 = spec.widths[0];
    this.stem = chain(addConv(p, rng, 'stem.conv', 3, inChannels, w0, 1, 0), addBatchNorm(p, 'stem.bn', w0, 0), relu);
    let cin = w0;
    this.stages = spec.widths.map((w, s) => {
      const blocks: Layer[] = [];
      for (let b = 0; b < spec.blocks[s]; b++) {
        const stride = s > 0 && b === 0 ? 2 : 1;
        blocks.push(addBlock(p, rng, `s${s + 1}.b${b + 1}`, cin, w, stride, stride === 2 ? s - 1 : s));
        cin = w;
      }
      return chain(...blocks);
    });
  }

  get scales(): number {
    return this.spec.widths.length;
  }

  /** x [N, H, W, Cin] → per-stage features [N, H/2^s, W/2^s, C_s]; sparse when `masks` is given. */
  apply(x: tf.Tensor4D, masks: ScaleMasks, training: boolean): tf.Tensor4D[] {
    if (masks && masks.length < this.scales) throw new Error(`need ${this.scales} scale masks, got ${masks.length}`);
    const ctx = { masks, training };
    let h = this.stem(x, ctx);
    return this.stages.map((stage) => (h = stage(h, ctx)));
  }

  trainableVariables(): tf.Variable[] {
    return [...this.params.trainable.values()];
  }

  dispose(): void {
    this.params.dispose();
  }
}
