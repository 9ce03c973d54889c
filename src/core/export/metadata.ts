/**
 * What an exported model says about itself: dataset and class names, architecture spec, the
 * normalisation its graph applies, test accuracy and the playground URL of the run. Both formats
 * carry the same fields (ONNX as metadata_props strings, tfjs as userDefinedMetadata).
 */
import type { DatasetInfo } from '../data/datasets';
import { channelNormalisation } from './graph';
import { formatSpec } from '../models/spec';
import type { EngineModel } from './engineModel';

/** Where the page is served by `npm start`: the base of run URLs when a config came without one. */
export const DEFAULT_PLAYGROUND = 'http://127.0.0.1:5173/';

export interface ExportInfo {
  /** The dataset the net was trained on: a built-in's row, or a loaded dataset's (importedInfo of its manifest). */
  data: DatasetInfo;
  role: 'student' | 'teacher';
  /** Full-test-set accuracy of these weights; null when not measured (an export during a run). */
  testAcc: number | null;
  /** The playground URL that reproduces the run (or, for a shipped teacher, its training command). */
  url: string | null;
}

export interface ExportMetadata {
  producer: string;
  role: ExportInfo['role'];
  dataset: string; // a built-in id or import-<hash>
  dataset_name: string;
  class_names: string[];
  architecture: string; // spec string, e.g. resnet:16-32-64x1
  /** One value for grey data, one per channel for colour. */
  normalization: { mean: number | number[]; std: number | number[]; inside_model: string };
  test_accuracy: number | null;
  playground_url: string | null;
  /** Provenance the engine saved with the weights (method, seed, step, teacher…), as saved. */
  engine_meta: Record<string, unknown>;
}

/** A run's playground URL: `base` (an origin and path) with the config's query. */
export function runUrl(base: string, query: string): string {
  const b = base.split(/[?#]/)[0];
  return query ? `${b}?${query}` : b;
}

export function exportMetadata(model: EngineModel, info: ExportInfo): ExportMetadata {
  const ds = info.data;
  const norm = channelNormalisation(ds);
  const one = norm.mean.length === 1;
  if (ds.numClasses !== model.options.classes) throw new Error(`${ds.name} has ${ds.numClasses} classes, the net ${model.options.classes}`);
  return {
    producer: 'distill-playground',
    role: info.role,
    dataset: ds.id,
    dataset_name: ds.name,
    class_names: [...ds.classNames],
    architecture: formatSpec(model.spec),
    normalization: {
      mean: one ? norm.mean[0] : [...norm.mean],
      std: one ? norm.std[0] : [...norm.std],
      inside_model: one ? 'x = (pixels - mean) / std, pixels in [0, 1]' : 'x[c] = (pixels[c] - mean[c]) / std[c], pixels in [0, 1]',
    },
    test_accuracy: info.testAcc,
    playground_url: info.url,
    engine_meta: model.meta,
  };
}

/** The metadata as string pairs (ONNX metadata_props): strings as they are, anything else as JSON. */
export function metadataStrings(meta: ExportMetadata): [string, string][] {
  return Object.entries(meta).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]);
}
