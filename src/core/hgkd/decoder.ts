/**
 * The H-GKD student's light decoders, mapping encoder features to the teacher's token grid and
 * width ([N, T, D_t], T = g·g):
 *   - UNet (SparK's design): at each scale the holes are filled with that level's learned mask
 *     token and projected (1×1 conv) to the decoder width; from the deepest scale up, a ×2
 *     transposed-conv upsampling, the projected encoder feature of the next scale added as a
 *     skip, then a 3×3 conv-BN-ReLU; finally a p×p stride-p conv maps the full-resolution map to
 *     the g×g grid (as a ViT's patch embedding) at the teacher's width.
 *   - Plain ("UNet off", paper Table 5): the deepest feature only, the same number of 3×3
 *     conv-BN-ReLU blocks at that scale, then a 1×1 projection to the teacher's width.
 * Decoder convs are dense: only the encoder is sparse.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random';
import { ParamStore } from '../models/params';
import { type Apply, addBatchNorm, addConv, chain, relu } from '../models/layers';

export interface DecoderOptions {
  widths: number[]; // encoder widths per scale
  inputSize: number; // scale-0 side (28)
  width: number; // decoder width
  tokenGrid: number; // teacher grid side g (7)
  teacherDim: number; // D_t
  unet: boolean;
}

export interface DecoderOutput {
  tokens: tf.Tensor3D; // [N, T, D_t]
  pooled: tf.Tensor2D; // [N, D_t] mean over tokens
}

/** Conv with a bias, any padding and stride: x [N, H, W, Cin] → [N, H', W', Cout]. */
function addBiasedConv(p: ParamStore, rng: Rng, name: string, k: number, cin: number, cout: number, stride: number, pad: 'same' | 'valid'): Apply {
  const w = p.convFilter(`${name}.w`, rng, k, k, cin, cout) as tf.Variable<tf.Rank.R4>;
  const b = p.constant(`${name}.b`, [cout], 0, true);
  return (x) => tf.add(tf.conv2d(x, w, stride, pad), b) as tf.Tensor4D;
}

/** ×2 learned upsampling (2×2 transposed conv, stride 2, as SparK's decoder): [N, H, W, C] → [N, 2H, 2W, C]. */
function addUpsample(p: ParamStore, rng: Rng, name: string, c: number): Apply {
  const w = p.convFilter(`${name}.w`, rng, 2, 2, c, c) as tf.Variable<tf.Rank.R4>;
  return (x) => tf.conv2dTranspose(x, w, [x.shape[0], 2 * x.shape[1], 2 * x.shape[2], c], 2, 'valid');
}

const addConvBnRelu = (p: ParamStore, rng: Rng, name: string, c: number): Apply => chain(addConv(p, rng, `${name}.conv`, 3, c, c, 1), addBatchNorm(p, `${name}.bn`, c), relu);

export class Decoder {
  readonly params: ParamStore;
  private readonly tokens: tf.Variable[] = []; // [C_s] per scale (UNet only)
  private readonly projections: Apply[]; // per scale, C_s → width (UNet), or the deepest only (plain)
  private readonly upsamples: Apply[] = [];
  private readonly blocks: Apply[];
  private readonly out: Apply;

  constructor(readonly options: DecoderOptions, seed: number, scope: string) {
    const { widths, inputSize, width, tokenGrid, teacherDim, unet } = options;
    const levels = widths.length;
    const deepest = inputSize / 2 ** (levels - 1);
    if (!Number.isInteger(deepest) || inputSize % tokenGrid !== 0 || deepest < tokenGrid || deepest % tokenGrid !== 0) {
      throw new Error(`a ${levels}-stage student on ${inputSize}×${inputSize} cannot map onto the teacher's ${tokenGrid}×${tokenGrid} grid`);
    }
    const rng = new Rng(seed);
    const p = (this.params = new ParamStore(scope));
    if (unet) {
      widths.forEach((c, s) => this.tokens.push(p.constant(`token${s}`, [c], 0, true)));
      this.projections = widths.map((c, s) => addBiasedConv(p, rng, `proj${s}`, 1, c, width, 1, 'same'));
      for (let s = 0; s < levels - 1; s++) this.upsamples.push(addUpsample(p, rng, `up${s}`, width));
      this.blocks = widths.map((_, s) => addConvBnRelu(p, rng, `block${s}`, width));
      const patch = inputSize / tokenGrid;
      this.out = addBiasedConv(p, rng, 'out', patch, width, teacherDim, patch, 'valid');
    } else {
      this.projections = [addBiasedConv(p, rng, 'proj', 1, widths[levels - 1], width, 1, 'same')];
      this.blocks = widths.map((_, s) => addConvBnRelu(p, rng, `block${s}`, width));
      const patch = deepest / tokenGrid;
      this.out = addBiasedConv(p, rng, 'out', patch, width, teacherDim, patch, 'valid');
    }
  }

  /**
   * features: per scale [N, H_s, W_s, C_s]; masks: per scale [N, H_s, W_s, 1] (1 = visible),
   * used by the UNet to fill holes with the mask tokens.
   */
  apply(features: tf.Tensor4D[], masks: tf.Tensor4D[], training: boolean): DecoderOutput {
    const levels = features.length;
    let h: tf.Tensor4D;
    if (this.options.unet) {
      const filled = (s: number) => {
        const hole = tf.sub(1, masks[s]); // [N, H_s, W_s, 1]
        const f = tf.add(tf.mul(features[s], masks[s]), tf.mul(hole, this.tokens[s])) as tf.Tensor4D;
        return this.projections[s](f, training);
      };
      h = this.blocks[levels - 1](filled(levels - 1), training);
      for (let s = levels - 2; s >= 0; s--) {
        h = this.blocks[s](tf.add(this.upsamples[s](h, training), filled(s)) as tf.Tensor4D, training);
      }
    } else {
      h = this.projections[0](features[levels - 1], training);
      for (const block of this.blocks) h = block(h, training);
    }
    const grid = this.out(h, training); // [N, g, g, D_t]
    const [n, g, , d] = grid.shape;
    const tokens = grid.reshape([n, g * g, d]) as tf.Tensor3D;
    return { tokens, pooled: tf.mean(tokens, 1) as tf.Tensor2D };
  }

  trainableVariables(): tf.Variable[] {
    return [...this.params.trainable.values()];
  }

  dispose(): void {
    this.params.dispose();
  }
}
