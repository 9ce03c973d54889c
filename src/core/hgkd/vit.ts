/**
 * A small Vision Transformer, the H-GKD teacher: 4×4 patches of the image (28×28 → 7×7 = 49 tokens),
 * pre-LN blocks (attention + MLP), fixed 2-D sin-cos position embeddings (as MAE), no class token.
 * `encode` returns one embedding per patch [N, T, D] and their mean as the pooled embedding [N, D].
 * Token subsets (MAE's "encoder on visible patches only") are chosen by one-hot selection matrices
 * rather than tf.gather, whose gradient (UnsortedSegmentSum) the wasm backend lacks.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random';
import { ParamStore } from '../models/params';
import { customOp } from '../kernels/customOp';

export interface VitOptions {
  inputSize: number; // square image side: the dataset's
  inChannels: number; // the dataset's
  patch: number; // patch side (4 → 7×7 tokens)
  dim: number; // token width D
  depth: number; // encoder blocks
  heads: number;
  mlpRatio: number; // MLP hidden = mlpRatio·D
}

/** The architecture alone; the image sizes come from the dataset (vitOptionsFor). */
export type VitArch = Omit<VitOptions, 'inputSize' | 'inChannels'>;
export const VIT_ARCH: VitArch = { patch: 4, dim: 64, depth: 4, heads: 4, mlpRatio: 2 };

/** A ViT of `arch` for a dataset's images (its side and channels; DatasetInfo fits). */
export function vitOptionsFor(d: { imageSize: number; channels: number }, arch: VitArch = VIT_ARCH): VitOptions {
  return { ...arch, inputSize: d.imageSize, inChannels: d.channels };
}

export const LN_EPS = 1e-6;

/** y = x·W + b over the last axis: x [..., Din] → [..., Dout]. */
export type Linear = (x: tf.Tensor) => tf.Tensor;
export type Block = (x: tf.Tensor3D) => tf.Tensor3D;

/**
 * x [M, Din] · w [Din, Dout] with the input gradient taken as dy · (wᵀ made explicitly): wasm's
 * matMul with transposeB (autograd's dy · wᵀ) is several times slower than a plain one.
 */
const matMulExplicitT = customOp(([x, w], save) => {
  save([x, w]);
  return {
    value: tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D),
    gradFunc: (dy, [xs, ws]) => [tf.matMul(dy as tf.Tensor2D, ws.transpose() as tf.Tensor2D), tf.matMul(xs as tf.Tensor2D, dy as tf.Tensor2D, true, false)],
  };
});

export function addLinear(p: ParamStore, rng: Rng, name: string, din: number, dout: number): Linear {
  const w = p.uniform(`${name}.w`, rng, [din, dout], din);
  const b = p.constant(`${name}.b`, [dout], 0, true);
  return (x) => {
    const lead = x.shape.slice(0, -1);
    const y = tf.add(matMulExplicitT(x.reshape([-1, din]), w), b);
    return y.reshape([...lead, dout]);
  };
}

/** Layer norm over the last axis with learned scale and shift. */
export function addLayerNorm(p: ParamStore, name: string, d: number): Linear {
  const g = p.constant(`${name}.g`, [d], 1, true);
  const b = p.constant(`${name}.b`, [d], 0, true);
  return (x) => {
    const xc = tf.sub(x, tf.mean(x, -1, true));
    const variance = tf.mean(tf.square(xc), -1, true);
    return tf.add(tf.mul(tf.mul(xc, tf.rsqrt(tf.add(variance, LN_EPS))), g), b);
  };
}

/** GELU by its sigmoid approximation x·σ(1.702x): every op has a gradient on every backend. */
export const gelu = (x: tf.Tensor): tf.Tensor => tf.mul(x, tf.sigmoid(tf.mul(x, 1.702)));

/** Pre-LN transformer block: x + Attn(LN(x)), then + MLP(LN(x)). x [N, T, D]. */
export function addBlock(p: ParamStore, rng: Rng, name: string, d: number, heads: number, mlpRatio: number): Block {
  if (d % heads !== 0) throw new Error(`width ${d} is not divisible by ${heads} heads`);
  const dh = d / heads;
  const ln1 = addLayerNorm(p, `${name}.ln1`, d);
  // Three projections rather than one split [D, 3D]: SplitV is slow on wasm.
  const [wq, wk, wv] = ['q', 'k', 'v'].map((t) => addLinear(p, rng, `${name}.${t}`, d, d));
  const proj = addLinear(p, rng, `${name}.proj`, d, d);
  const ln2 = addLayerNorm(p, `${name}.ln2`, d);
  const fc1 = addLinear(p, rng, `${name}.fc1`, d, mlpRatio * d);
  const fc2 = addLinear(p, rng, `${name}.fc2`, mlpRatio * d, d);
  const toHeads = (t: tf.Tensor, n: number, len: number) => t.reshape([n, len, heads, dh]).transpose([0, 2, 1, 3]); // [N, h, T, dh]
  return (x) => {
    const [n, len] = x.shape;
    const normed = ln1(x);
    const [q, k, v] = [wq, wk, wv].map((f) => toHeads(f(normed), n, len));
    const att = tf.softmax(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dh))); // [N, h, T, T]
    const mixed = tf.matMul(att, v).transpose([0, 2, 1, 3]).reshape([n, len, d]); // [N, T, D]
    const h = tf.add(x, proj(mixed));
    return tf.add(h, fc2(gelu(fc1(ln2(h))))) as tf.Tensor3D;
  };
}

/** Fixed 2-D sin-cos position embedding [g·g, d] (MAE): half the channels encode the row, half the column. */
export function sinCosPositions(grid: number, d: number): tf.Tensor2D {
  if (d % 4 !== 0) throw new Error(`position embedding width ${d} must be a multiple of 4`);
  const quarter = d / 4;
  const out = new Float32Array(grid * grid * d);
  for (let r = 0; r < grid; r++) {
    for (let c = 0; c < grid; c++) {
      const row = out.subarray((r * grid + c) * d, (r * grid + c + 1) * d);
      for (let i = 0; i < quarter; i++) {
        const omega = 1 / 10000 ** (i / quarter);
        row[i] = Math.sin(c * omega);
        row[quarter + i] = Math.cos(c * omega);
        row[2 * quarter + i] = Math.sin(r * omega);
        row[3 * quarter + i] = Math.cos(r * omega);
      }
    }
  }
  return tf.tensor2d(out, [grid * grid, d]);
}

/** Applies blocks in order. */
export function runBlocks(blocks: Block[], x: tf.Tensor3D): tf.Tensor3D {
  return blocks.reduce((h, b) => b(h), x);
}

export interface VitOutput {
  tokens: tf.Tensor3D; // [N, T, D] per-patch embeddings (after the final layer norm)
  pooled: tf.Tensor2D; // [N, D] mean over tokens
}

export class Vit {
  readonly params: ParamStore;
  readonly grid: number; // tokens per side
  readonly positions: tf.Tensor2D; // [T, D], fixed
  private readonly patchW: tf.Variable; // [p, p, Cin, D]
  private readonly patchB: tf.Variable; // [D]
  private readonly blocks: Block[];
  private readonly norm: Linear;

  constructor(readonly options: VitOptions, seed: number, scope: string) {
    const { inputSize, inChannels, patch, dim, depth, heads, mlpRatio } = options;
    if (inputSize % patch !== 0) throw new Error(`patch ${patch} does not divide the image side ${inputSize}`);
    const rng = new Rng(seed);
    const p = (this.params = new ParamStore(scope));
    this.grid = inputSize / patch;
    this.patchW = p.uniform('patch.w', rng, [patch, patch, inChannels, dim], patch * patch * inChannels);
    this.patchB = p.constant('patch.b', [dim], 0, true);
    this.blocks = Array.from({ length: depth }, (_, i) => addBlock(p, rng, `block${i + 1}`, dim, heads, mlpRatio));
    this.norm = addLayerNorm(p, 'norm', dim);
    this.positions = sinCosPositions(this.grid, dim);
  }

  get tokenCount(): number {
    return this.grid * this.grid;
  }

  /** x [N, H, W, Cin] → patch tokens with positions [N, T, D]. */
  embed(x: tf.Tensor4D): tf.Tensor3D {
    const n = x.shape[0];
    const t = tf.conv2d(x, this.patchW as tf.Tensor4D, this.options.patch, 'valid'); // [N, g, g, D]
    return tf.add(tf.add(t.reshape([n, this.tokenCount, this.options.dim]), this.patchB), this.positions) as tf.Tensor3D;
  }

  /**
   * Encodes an image. With `select` [N, V, T] (one-hot rows) only the V selected tokens enter the
   * encoder (MAE); without it all T do. Returns the encoded tokens and their mean.
   */
  encode(x: tf.Tensor4D, select?: tf.Tensor3D): VitOutput {
    return tf.tidy(() => {
      let h = this.embed(x);
      if (select) h = tf.matMul(select, h); // [N, V, D]
      const tokens = this.norm(runBlocks(this.blocks, h)) as tf.Tensor3D;
      return { tokens, pooled: tf.mean(tokens, 1) as tf.Tensor2D };
    });
  }

  trainableVariables(): tf.Variable[] {
    return [...this.params.trainable.values()];
  }

  dispose(): void {
    this.params.dispose();
    this.positions.dispose();
  }
}

/** Short architecture label for manifests: vit:p4-d64-l4-h4. */
export function vitArch(o: VitOptions): string {
  return `vit:p${o.patch}-d${o.dim}-l${o.depth}-h${o.heads}`;
}
