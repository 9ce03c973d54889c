/**
 * A net as a framework-neutral graph of layers, built from the engine's saved form: the one
 * place the exporters learn the architecture, so ONNX and tfjs Layers cannot disagree. It
 * mirrors net.ts and families.ts (stem → stages of blocks → global average pool → linear
 * head, BN after every conv, 'same' padding) and claims every saved weight by the engine's own
 * name: a weight missing, misshapen or left over is an error, so a change to the engine's
 * layers that the exporters do not follow fails loudly instead of exporting a different net.
 * The tests compare each format's outputs with the engine's.
 */
import { BN_EPS } from '../models/bnSettings';
import type { EngineModel, Weight } from './engineModel';

/** Activation shape [H, W, C] (NHWC without the batch). */
export type Shape = [number, number, number];

export interface BatchNormParams {
  gamma: Float32Array; // [C]
  beta: Float32Array; // [C]
  mean: Float32Array; // [C] running mean
  variance: Float32Array; // [C] running variance
  eps: number;
}

export type Node =
  /** (x − mean) / std on the [0, 1] input: the dataset normalisation, inside the model. */
  /** Per channel (length C, or 1 for all): x[c] = (p[c] − mean[c]) / std[c]. */
  | { op: 'normalize'; name: string; input: string; mean: readonly number[]; std: readonly number[]; shape: Shape }
  /** Conv without bias, 'same' padding, then batch norm (every conv of the engine has one); `name` is the BN's output. */
  | {
      op: 'convBn'; name: string; convName: string; input: string; kernel: number; stride: number;
      depthwise: boolean;
      filter: Weight; // [k, k, Cin, Cout], depthwise: [k, k, C, 1]
      bn: BatchNormParams; inShape: Shape; shape: Shape;
    }
  | { op: 'relu'; name: string; input: string; shape: Shape }
  | { op: 'add'; name: string; inputs: [string, string]; shape: Shape }
  /** Global average pooling over H, W: [N, H, W, C] → [N, C]. */
  | { op: 'gap'; name: string; input: string; shape: Shape }
  /** logits = x · kernel + bias: kernel [C, classes], bias [classes]. */
  | { op: 'dense'; name: string; input: string; kernel: Weight; bias: Weight; units: number };

export interface ExportGraph {
  input: { name: string; shape: Shape }; // [H, W, C], values in [0, 1]
  nodes: Node[]; // in topological order; the last one's output is the logits
  output: string;
  classes: number;
}

export const INPUT_NAME = 'pixels';

/** Layer names: the engine's parameter prefix with dots → underscores (`s1.b1.conv1` → `s1_b1_conv1`). */
const layerName = (engineName: string) => engineName.replace(/\./g, '_');

/** Out side of a 'same' conv: ceil(in / stride). */
const sameOut = (size: number, stride: number) => Math.ceil(size / stride);

class GraphBuilder {
  readonly nodes: Node[] = [];
  private readonly unclaimed: Set<string>;

  constructor(private readonly model: EngineModel) {
    this.unclaimed = new Set(model.weights.keys());
  }

  /** The saved weight `name`, which must have `shape`; each weight is claimed once. */
  private take(name: string, shape: number[]): Weight {
    const w = this.model.weights.get(name);
    if (!w) throw new Error(`weight ${name} missing from the saved net`);
    if (w.shape.length !== shape.length || w.shape.some((d, i) => d !== shape[i])) {
      throw new Error(`weight ${name} has shape [${w.shape}], expected [${shape}] for ${this.model.spec.family}`);
    }
    this.unclaimed.delete(name);
    return w;
  }

  private shapeOf(value: string): Shape {
    if (value === INPUT_NAME) {
      const o = this.model.options;
      return [o.inputSize, o.inputSize, o.inChannels];
    }
    const node = this.nodes.find((n) => n.name === value);
    if (!node || node.op === 'dense') throw new Error(`no feature map named ${value}`);
    return node.shape;
  }

  normalize(input: string, mean: readonly number[], std: readonly number[]): string {
    const c = this.shapeOf(input)[2];
    if (mean.length !== std.length || (mean.length !== 1 && mean.length !== c)) throw new Error(`normalisation for ${mean.length} channels, the input has ${c}`);
    this.nodes.push({ op: 'normalize', name: 'normalize', input, mean, std, shape: this.shapeOf(input) });
    return 'normalize';
  }

  /** engine `conv` (+ `.w`) followed by batch norm `bn`; depthwise keeps the channels. */
  convBn(input: string, conv: string, bn: string, kernel: number, stride: number, cout: number, depthwise = false): string {
    const inShape = this.shapeOf(input);
    const cin = inShape[2];
    const filter = this.take(`${conv}.w`, depthwise ? [kernel, kernel, cin, 1] : [kernel, kernel, cin, cout]);
    const c = depthwise ? cin : cout;
    const params: BatchNormParams = {
      gamma: this.take(`${bn}.gamma`, [c]).data,
      beta: this.take(`${bn}.beta`, [c]).data,
      mean: this.take(`${bn}.mean`, [c]).data,
      variance: this.take(`${bn}.var`, [c]).data,
      eps: BN_EPS,
    };
    const shape: Shape = [sameOut(inShape[0], stride), sameOut(inShape[1], stride), c];
    const name = layerName(bn);
    this.nodes.push({ op: 'convBn', name, convName: layerName(conv), input, kernel, stride, depthwise, filter, bn: params, inShape, shape });
    return name;
  }

  relu(input: string, name: string): string {
    this.nodes.push({ op: 'relu', name, input, shape: this.shapeOf(input) });
    return name;
  }

  add(a: string, b: string, name: string): string {
    this.nodes.push({ op: 'add', name, inputs: [a, b], shape: this.shapeOf(a) });
    return name;
  }

  gap(input: string): string {
    this.nodes.push({ op: 'gap', name: 'pool', input, shape: this.shapeOf(input) });
    return 'pool';
  }

  dense(input: string, c: number, classes: number): string {
    const kernel = this.take('head.w', [c, classes]);
    const bias = this.take('head.b', [classes]);
    this.nodes.push({ op: 'dense', name: 'head', input, kernel, bias, units: classes });
    return 'head';
  }

  /** Throws when the saved net holds weights this graph did not use. */
  checkAllClaimed(): void {
    if (this.unclaimed.size > 0) throw new Error(`the saved net has weights the ${this.model.spec.family} exporter does not know: ${[...this.unclaimed].join(', ')}`);
  }
}

/** ResNet basic block (families.ts): conv-BN-ReLU-conv-BN + identity or 1×1 conv-BN shortcut, add, ReLU. */
function resnetBlock(g: GraphBuilder, x: string, name: string, cin: number, cout: number, stride: number): string {
  const n = layerName(name);
  let h = g.convBn(x, `${name}.conv1`, `${name}.bn1`, 3, stride, cout);
  h = g.relu(h, `${n}_relu1`);
  h = g.convBn(h, `${name}.conv2`, `${name}.bn2`, 3, 1, cout);
  const shortcut = stride !== 1 || cin !== cout ? g.convBn(x, `${name}.down`, `${name}.downbn`, 1, stride, cout) : x;
  return g.relu(g.add(h, shortcut, `${n}_add`), `${n}_out`);
}

/** MobileNet-v1 block (families.ts): dw3×3-BN-ReLU then pw1×1-BN-ReLU. */
function mobilenetBlock(g: GraphBuilder, x: string, name: string, cin: number, cout: number, stride: number): string {
  const n = layerName(name);
  let h = g.convBn(x, `${name}.dw`, `${name}.dwbn`, 3, stride, cin, true);
  h = g.relu(h, `${n}_dwrelu`);
  h = g.convBn(h, `${name}.pw`, `${name}.pwbn`, 1, 1, cout);
  return g.relu(h, `${n}_pwrelu`);
}

const BLOCKS = { resnet: resnetBlock, mobilenet: mobilenetBlock } as const;

/** A dataset's normalisation per channel (DatasetInfo: channelMean/channelStd, else its one mean/std). */
export function channelNormalisation(ds: { mean: number; std: number; channelMean?: readonly number[]; channelStd?: readonly number[] }): { mean: readonly number[]; std: readonly number[] } {
  return { mean: ds.channelMean ?? [ds.mean], std: ds.channelStd ?? [ds.std] };
}

/** The exported graph of a saved net, normalising its [0, 1] input with the dataset's mean and std (per channel). */
export function exportGraph(model: EngineModel, norm: { mean: readonly number[]; std: readonly number[] }): ExportGraph {
  const { spec, options } = model;
  const g = new GraphBuilder(model);
  let h = g.normalize(INPUT_NAME, norm.mean, norm.std);
  const w0 = spec.widths[0];
  h = g.relu(g.convBn(h, 'stem.conv', 'stem.bn', 3, 1, w0), 'stem_relu');
  let cin = w0;
  spec.widths.forEach((w, s) => {
    for (let b = 0; b < spec.blocks[s]; b++) {
      h = BLOCKS[spec.family](g, h, `s${s + 1}.b${b + 1}`, cin, w, s > 0 && b === 0 ? 2 : 1);
      cin = w;
    }
  });
  const logits = g.dense(g.gap(h), cin, options.classes);
  g.checkAllClaimed();
  return { input: { name: INPUT_NAME, shape: [options.inputSize, options.inputSize, options.inChannels] }, nodes: g.nodes, output: logits, classes: options.classes };
}
