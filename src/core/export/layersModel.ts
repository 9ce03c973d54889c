/**
 * tfjs Layers export of an ExportGraph: a model.json that `tf.loadLayersModel` turns into a real
 * functional LayersModel (Conv2D / DepthwiseConv2D, BatchNormalization, ReLU, Add for the
 * residuals, GlobalAveragePooling2D, Dense), plus its weights file. Input NHWC
 * [null, H, W, C] in [0, 1]; the dataset normalisation is the first layer (Rescaling:
 * x / std − mean / std). BN stays a layer with its running statistics, so the model can be
 * trained further in tfjs or Keras.
 *
 * The topology is written in the form tfjs's own `model.toJSON()` produces (snake_case Keras
 * configs, `inbound_nodes` lists); initializers and regularizers are left out and take their
 * defaults, which only matter for training from scratch.
 */
import { float32Bytes, type Weight } from './engineModel';
import type { ExportGraph, Node } from './graph';
import type { ExportMetadata } from './metadata';

export const LAYERS_WEIGHTS_FILE = 'weights.bin';
/** Keras's momentum counts the other way round: keras 0.9 = the engine's (PyTorch's) 0.1. */
const KERAS_BN_MOMENTUM = 0.9;

interface LayerJson {
  name: string;
  class_name: string;
  config: Record<string, unknown>;
  inbound_nodes: [string, number, number, Record<string, never>][][];
}

export interface LayersModelJson {
  format: 'layers-model';
  generatedBy: string;
  convertedBy: null;
  modelTopology: {
    class_name: 'Model';
    config: { name: string; layers: LayerJson[]; input_layers: [string, number, number][]; output_layers: [string, number, number][] };
    keras_version: string;
    backend: string;
  };
  weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: 'float32' }[] }[];
  userDefinedMetadata: ExportMetadata;
}

const inbound = (...names: string[]): LayerJson['inbound_nodes'] => [names.map((n) => [n, 0, 0, {}] as [string, number, number, Record<string, never>])];

function layer(name: string, className: string, config: Record<string, unknown>, inputs: string[]): LayerJson {
  return { name, class_name: className, config: { name, trainable: true, ...config }, inbound_nodes: inputs.length ? inbound(...inputs) : [] };
}

/** A node's layers and the weights they own, in the order tfjs lists a layer's weights. */
function layersOf(n: Node): { layers: LayerJson[]; weights: [string, Weight][] } {
  const vec = (data: Float32Array): Weight => ({ shape: [data.length], data });
  switch (n.op) {
    case 'normalize': {
      if (n.mean.length === 1) return { layers: [layer(n.name, 'Rescaling', { scale: 1 / n.std[0], offset: -n.mean[0] / n.std[0] }, [n.input])], weights: [] };
      // Rescaling takes one scale and offset; per channel it is a 1×1 depthwise conv: x·(1/std[c]) − mean[c]/std[c].
      const c = n.mean.length;
      const config = { kernel_size: [1, 1], strides: [1, 1], padding: 'valid', data_format: 'channels_last', dilation_rate: [1, 1], activation: 'linear', use_bias: true, depth_multiplier: 1 };
      const kernel: Weight = { shape: [1, 1, c, 1], data: Float32Array.from(n.std, (s) => 1 / s) };
      const bias = vec(Float32Array.from(n.mean, (m, i) => -m / n.std[i]));
      return { layers: [layer(n.name, 'DepthwiseConv2D', config, [n.input])], weights: [[`${n.name}/depthwise_kernel`, kernel], [`${n.name}/bias`, bias]] };
    }
    case 'convBn': {
      const common = { kernel_size: [n.kernel, n.kernel], strides: [n.stride, n.stride], padding: 'same', data_format: 'channels_last', dilation_rate: [1, 1], activation: 'linear', use_bias: false };
      const conv = n.depthwise
        ? layer(n.convName, 'DepthwiseConv2D', { ...common, depth_multiplier: 1 }, [n.input])
        : layer(n.convName, 'Conv2D', { ...common, filters: n.shape[2] }, [n.input]);
      const bn = layer(n.name, 'BatchNormalization', { axis: -1, momentum: KERAS_BN_MOMENTUM, epsilon: n.bn.eps, center: true, scale: true }, [n.convName]);
      return {
        layers: [conv, bn],
        weights: [
          [`${n.convName}/${n.depthwise ? 'depthwise_kernel' : 'kernel'}`, n.filter],
          [`${n.name}/gamma`, vec(n.bn.gamma)],
          [`${n.name}/beta`, vec(n.bn.beta)],
          [`${n.name}/moving_mean`, vec(n.bn.mean)],
          [`${n.name}/moving_variance`, vec(n.bn.variance)],
        ],
      };
    }
    case 'relu':
      return { layers: [layer(n.name, 'ReLU', { max_value: null }, [n.input])], weights: [] };
    case 'add':
      return { layers: [layer(n.name, 'Add', {}, n.inputs)], weights: [] };
    case 'gap':
      return { layers: [layer(n.name, 'GlobalAveragePooling2D', { data_format: 'channels_last' }, [n.input])], weights: [] };
    case 'dense':
      return {
        layers: [layer(n.name, 'Dense', { units: n.units, activation: 'linear', use_bias: true }, [n.input])],
        weights: [[`${n.name}/kernel`, n.kernel], [`${n.name}/bias`, n.bias]],
      };
  }
}

/** The graph as a tfjs Layers model.json and its weights (the manifest names `weightsFile`). */
export function toLayersModel(graph: ExportGraph, meta: ExportMetadata, weightsFile = LAYERS_WEIGHTS_FILE): { modelJson: LayersModelJson; weights: ArrayBuffer } {
  const input = layer(graph.input.name, 'InputLayer', { batch_input_shape: [null, ...graph.input.shape], dtype: 'float32', sparse: false }, []);
  delete input.config.trainable; // tfjs writes none for an InputLayer
  const parts = graph.nodes.map(layersOf);
  const named = parts.flatMap((p) => p.weights);
  const bytes = new Uint8Array(named.reduce((s, [, w]) => s + 4 * w.data.length, 0));
  let at = 0;
  for (const [, w] of named) {
    bytes.set(float32Bytes(w.data), at);
    at += 4 * w.data.length;
  }
  return {
    modelJson: {
      format: 'layers-model',
      generatedBy: meta.producer,
      convertedBy: null,
      modelTopology: {
        class_name: 'Model',
        config: {
          name: `${meta.role}_${meta.architecture.replace(/[^a-z0-9]+/gi, '_')}`,
          layers: [input, ...parts.flatMap((p) => p.layers)],
          input_layers: [[graph.input.name, 0, 0]],
          output_layers: [[graph.output, 0, 0]],
        },
        keras_version: 'tfjs-layers 4.22.0',
        backend: 'tensor_flow.js',
      },
      weightsManifest: [{ paths: [weightsFile], weights: named.map(([name, w]) => ({ name, shape: w.shape, dtype: 'float32' as const })) }],
      userDefinedMetadata: meta,
    },
    weights: bytes.buffer,
  };
}
