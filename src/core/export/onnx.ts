/**
 * ONNX export of an ExportGraph: opset 13, input `pixels` float32 [N, C, H, W] in [0, 1] with
 * the dataset normalisation as the graph's first two nodes (Sub, Div), output `logits`
 * [N, classes], the batch dimension symbolic. Batch norm is folded into its conv (each conv
 * gets the bias β − μ·a and its filter is scaled by a = γ / √(σ² + ε)), which is exactly the
 * engine's inference-mode BN as an affine map. 'same' padding is written as explicit pads
 * (TF's rule: the odd pixel goes after), so no runtime has to guess it.
 *
 * The bytes come from onnx-proto: the official onnx.proto (ONNX 1.10, IR 8) compiled to static
 * protobufjs code with typed messages. We use it rather than protobufjs 7 reflection because
 * it is the schema itself, typed, and needs no .proto parsing or runtime code generation (which
 * a strict Content-Security-Policy would forbid in the page); its protobufjs 6.11.6 minimal
 * runtime is only the wire writer.
 */
import onnxProto from 'onnx-proto';
import { float32Bytes } from './engineModel';
import type { ExportGraph, Node, Shape } from './graph';
import { type ExportMetadata, metadataStrings } from './metadata';

const { onnx } = onnxProto;
type INode = onnxProto.onnx.INodeProto;
type ITensor = onnxProto.onnx.ITensorProto;

export const ONNX_OPSET = 13;
/** IR version 7 is the one that came with opset 13 (ONNX 1.8); every runtime since reads it. */
const IR_VERSION = 7;
export const ONNX_INPUT = 'pixels';
export const ONNX_OUTPUT = 'logits';
const BATCH_DIM = 'N';

const ints = (name: string, values: number[]) => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: values });
const int = (name: string, value: number) => ({ name, type: onnx.AttributeProto.AttributeType.INT, i: value });

function tensor(name: string, dims: number[], data: Float32Array): ITensor {
  return { name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: float32Bytes(data) };
}

/** [before, after] padding of a 'same' conv along one axis (TF / tfjs rule). */
export function samePads(size: number, kernel: number, stride: number): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + kernel - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** Conv + BN folded: NCHW filter [Cout, Cin/group, k, k] and bias [Cout]. */
function foldConvBn(n: Extract<Node, { op: 'convBn' }>): { weight: Float32Array; dims: number[]; bias: Float32Array } {
  const { kernel: k, filter, bn, depthwise } = n;
  const [, , cin, cout] = filter.shape; // [k, k, Cin, Cout] or depthwise [k, k, C, 1]
  const outC = depthwise ? cin : cout;
  const inPerGroup = depthwise ? 1 : cin;
  const a = new Float64Array(outC);
  const bias = new Float32Array(outC);
  for (let o = 0; o < outC; o++) {
    a[o] = bn.gamma[o] / Math.sqrt(bn.variance[o] + bn.eps);
    bias[o] = bn.beta[o] - bn.mean[o] * a[o];
  }
  const weight = new Float32Array(outC * inPerGroup * k * k);
  for (let o = 0; o < outC; o++) {
    for (let i = 0; i < inPerGroup; i++) {
      for (let y = 0; y < k; y++) {
        for (let x = 0; x < k; x++) {
          // engine filter index [y][x][ci][co]; depthwise: ci = o, co = 0
          const src = depthwise ? ((y * k + x) * cin + o) : ((y * k + x) * cin + i) * cout + o;
          weight[((o * inPerGroup + i) * k + y) * k + x] = filter.data[src] * a[o];
        }
      }
    }
  }
  return { weight, dims: [outC, inPerGroup, k, k], bias };
}

function convNode(n: Extract<Node, { op: 'convBn' }>, input: string, output: string, init: ITensor[]): INode {
  const { weight, dims, bias } = foldConvBn(n);
  const w = `${n.convName}.weight`;
  const b = `${n.convName}.bias`;
  init.push(tensor(w, dims, weight), tensor(b, [dims[0]], bias));
  const [top, bottom] = samePads(n.inShape[0], n.kernel, n.stride);
  const [left, right] = samePads(n.inShape[1], n.kernel, n.stride);
  return {
    name: `${n.convName}+${n.name}`,
    opType: 'Conv',
    input: [input, w, b],
    output: [output],
    attribute: [
      ints('kernel_shape', [n.kernel, n.kernel]),
      ints('strides', [n.stride, n.stride]),
      ints('pads', [top, left, bottom, right]),
      ints('dilations', [1, 1]),
      int('group', n.depthwise ? dims[0] : 1),
    ],
  };
}

/** One graph node as ONNX nodes (GAP is two: GlobalAveragePool [N, C, 1, 1], Flatten [N, C]). */
function onnxNodes(n: Node, out: (name: string) => string, init: ITensor[]): INode[] {
  const o = out(n.name);
  switch (n.op) {
    case 'normalize':
    {
      // One value: a scalar; per channel: [C, 1, 1], broadcast over the NCHW input's H and W.
      const dims = n.mean.length === 1 ? [] : [n.mean.length, 1, 1];
      init.push(tensor('normalize.mean', dims, Float32Array.from(n.mean)), tensor('normalize.std', dims, Float32Array.from(n.std)));
      return [
        { name: 'normalize_sub', opType: 'Sub', input: [n.input, 'normalize.mean'], output: [`${o}_centred`] },
        { name: 'normalize_div', opType: 'Div', input: [`${o}_centred`, 'normalize.std'], output: [o] },
      ];
    }
    case 'convBn':
      return [convNode(n, out(n.input), o, init)];
    case 'relu':
      return [{ name: n.name, opType: 'Relu', input: [out(n.input)], output: [o] }];
    case 'add':
      return [{ name: n.name, opType: 'Add', input: n.inputs.map(out), output: [o] }];
    case 'gap':
      return [
        { name: `${n.name}_gap`, opType: 'GlobalAveragePool', input: [out(n.input)], output: [`${o}_nc11`] },
        { name: `${n.name}_flatten`, opType: 'Flatten', input: [`${o}_nc11`], output: [o], attribute: [int('axis', 1)] },
      ];
    case 'dense':
      init.push(tensor(`${n.name}.kernel`, n.kernel.shape, n.kernel.data), tensor(`${n.name}.bias`, n.bias.shape, n.bias.data));
      return [{ name: n.name, opType: 'Gemm', input: [out(n.input), `${n.name}.kernel`, `${n.name}.bias`], output: [o] }];
  }
}

const valueInfo = (name: string, dims: (number | string)[]) => ({
  name,
  type: {
    tensorType: {
      elemType: onnx.TensorProto.DataType.FLOAT,
      shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
    },
  },
});

/** The graph as a serialised ONNX ModelProto. */
export function toOnnx(graph: ExportGraph, meta: ExportMetadata): Uint8Array {
  const init: ITensor[] = [];
  // Values are named after their node; the graph's input and output get the public names.
  const out = (name: string) => (name === graph.output ? ONNX_OUTPUT : name === graph.input.name ? ONNX_INPUT : name);
  const nodes = graph.nodes.flatMap((n) => onnxNodes(n, out, init));
  const [h, w, c]: Shape = graph.input.shape;
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: meta.producer,
    docString: `${meta.role} ${meta.architecture} trained on ${meta.dataset_name}: ${ONNX_INPUT} float32 [N, ${c}, ${h}, ${w}] in [0, 1] → ${ONNX_OUTPUT} [N, ${graph.classes}]`,
    graph: {
      name: `${meta.role}_${meta.architecture.replace(/[^a-z0-9]+/gi, '_')}`,
      node: nodes,
      initializer: init,
      input: [valueInfo(ONNX_INPUT, [BATCH_DIM, c, h, w])],
      output: [valueInfo(ONNX_OUTPUT, [BATCH_DIM, graph.classes])],
    },
    metadataProps: metadataStrings(meta).map(([key, value]) => ({ key, value })),
  });
  return onnx.ModelProto.encode(model).finish();
}
