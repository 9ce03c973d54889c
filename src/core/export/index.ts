/**
 * Standard formats of a trained net, from the engine's saved form (model.json + weights, what
 * serializeNet writes and the worker's export sends): no tfjs involved, so the runner and the
 * page's main thread run the same code.
 *
 *   const bytes = exportOnnx(engineJson, engineWeights, { dataset: 'mnist', role: 'student', testAcc, url });
 *   const { modelJson, weights } = exportLayersModel(engineJson, engineWeights, info);
 */
import { readEngineModel } from './engineModel';
import { channelNormalisation, exportGraph, type ExportGraph } from './graph';
import { type ExportInfo, type ExportMetadata, exportMetadata } from './metadata';
import { toOnnx } from './onnx';
import { type LayersModelJson, LAYERS_WEIGHTS_FILE, toLayersModel } from './layersModel';

export { type ExportInfo, type ExportMetadata, DEFAULT_PLAYGROUND, runUrl } from './metadata';
export { type LayersModelJson, LAYERS_WEIGHTS_FILE } from './layersModel';
export { ONNX_INPUT, ONNX_OPSET, ONNX_OUTPUT } from './onnx';

function prepare(modelJson: unknown, weights: ArrayBuffer, info: ExportInfo): { graph: ExportGraph; meta: ExportMetadata } {
  const source = `${info.role} model.json`;
  const model = readEngineModel(modelJson, weights, source);
  try {
    return { graph: exportGraph(model, channelNormalisation(info.data)), meta: exportMetadata(model, info) };
  } catch (e) {
    throw new Error(`${source}: ${(e as Error).message}`);
  }
}

/** The net as a .onnx file's bytes. */
export function exportOnnx(modelJson: unknown, weights: ArrayBuffer, info: ExportInfo): Uint8Array {
  const { graph, meta } = prepare(modelJson, weights, info);
  return toOnnx(graph, meta);
}

/** The net as a tfjs Layers model.json and its weights file (named `weightsFile` in the manifest). */
export function exportLayersModel(modelJson: unknown, weights: ArrayBuffer, info: ExportInfo, weightsFile = LAYERS_WEIGHTS_FILE): { modelJson: LayersModelJson; weights: ArrayBuffer } {
  const { graph, meta } = prepare(modelJson, weights, info);
  return toLayersModel(graph, meta, weightsFile);
}
