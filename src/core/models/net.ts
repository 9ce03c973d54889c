/**
 * A network built from an ArchSpec: 3×3 stem at full resolution → stages → global average
 * pooling → linear head. `apply` returns the logits and every stage's output feature map, so
 * distillation can hook any stage.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random';
import { type ArchSpec, formatSpec, stageShapes } from './spec';
import { ParamStore } from './params';
import { type Apply, addBatchNorm, addConv, chain, relu } from './layers';
import { BLOCKS, type Block } from './families';

export interface NetOutput {
  logits: tf.Tensor2D; // [N, classes]
  features: tf.Tensor4D[]; // per stage: [N, H_s, W_s, C_s]
  preRelu: tf.Tensor4D[]; // per stage, its output before the last ReLU (features = relu(preRelu)) [N, H_s, W_s, C_s]
  pooled: tf.Tensor2D; // the penultimate feature: last stage globally average-pooled [N, C_last]
}

/** The affine parameters of the BN before a stage's last ReLU, [C] each. */
export interface PreReluBn {
  gamma: tf.Tensor1D;
  beta: tf.Tensor1D;
}

/** The input and head sizes of a net: always its dataset's (netOptionsFor), never assumed. */
export interface NetOptions {
  inputSize: number; // square input side
  inChannels: number;
  classes: number;
}

/** The input and head sizes a dataset needs (its side, channels and classes; DatasetInfo fits). */
export function netOptionsFor(d: { imageSize: number; channels: number; numClasses: number }): NetOptions {
  return { inputSize: d.imageSize, inChannels: d.channels, classes: d.numClasses };
}

export class Net {
  readonly params: ParamStore;
  readonly stageShapes: [number, number, number][];
  private readonly stem: Apply;
  private readonly stages: Block[][];
  private readonly headW: tf.Variable; // [C_last, classes]
  private readonly headB: tf.Variable; // [classes]

  constructor(
    readonly spec: ArchSpec,
    seed: number,
    scope: string,
    readonly options: NetOptions,
  ) {
    const rng = new Rng(seed);
    const p = (this.params = new ParamStore(scope));
    const block = BLOCKS[spec.family];
    const w0 = spec.widths[0];
    this.stem = chain(addConv(p, rng, 'stem.conv', 3, options.inChannels, w0, 1), addBatchNorm(p, 'stem.bn', w0), relu);
    let cin = w0;
    this.stages = spec.widths.map((w, s) => {
      const blocks: Block[] = [];
      for (let b = 0; b < spec.blocks[s]; b++) {
        blocks.push(block(p, rng, `s${s + 1}.b${b + 1}`, cin, w, s > 0 && b === 0 ? 2 : 1));
        cin = w;
      }
      return blocks;
    });
    this.headW = p.uniform('head.w', rng, [cin, options.classes], cin);
    this.headB = p.uniform('head.b', rng, [options.classes], cin);
    this.stageShapes = stageShapes(spec, options.inputSize);
  }

  get arch(): string {
    return formatSpec(this.spec);
  }

  /** x [N, H, W, Cin] → logits and per-stage features. Training mode updates BN running stats. */
  apply(x: tf.Tensor4D, training: boolean): NetOutput {
    let h = this.stem(x, training);
    const features: tf.Tensor4D[] = [];
    const preRelu: tf.Tensor4D[] = [];
    for (const blocks of this.stages) {
      let pre = h;
      for (const block of blocks) {
        pre = block.preRelu(h, training);
        h = tf.relu(pre);
      }
      preRelu.push(pre);
      features.push(h);
    }
    const pooled = tf.mean(h, [1, 2]) as tf.Tensor2D; // [N, C_last]
    return { logits: this.head(pooled), features, preRelu, pooled };
  }

  /** Stage s's (0-based) last BN before its ReLU: its γ and β variables, [C_s] each (OFD's margin). */
  preReluBn(s: number): PreReluBn {
    const bn = this.stages[s].at(-1)!.lastBn;
    return { gamma: this.params.get(`${bn}.gamma`) as tf.Variable<tf.Rank.R1>, beta: this.params.get(`${bn}.beta`) as tf.Variable<tf.Rank.R1> };
  }

  /** The linear classifier on a penultimate feature: [N, C_last] → logits [N, classes]. */
  head(pooled: tf.Tensor2D): tf.Tensor2D {
    return tf.add(tf.matMul(pooled, this.headW as tf.Tensor2D), this.headB) as tf.Tensor2D;
  }

  /** Width of the penultimate feature (the last stage's channels). */
  get pooledWidth(): number {
    return this.headW.shape[0];
  }

  trainableVariables(): tf.Variable[] {
    return [...this.params.trainable.values()];
  }

  dispose(): void {
    this.params.dispose();
  }
}
