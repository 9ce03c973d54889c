/**
 * The engine's saved-net format, without tfjs: a model.json holding the architecture spec and a
 * standard tfjs `weightsManifest`, plus one binary weights file. Here (not in serialize.ts) so
 * code that only reads the format, such as the exporters the page runs, needs no tfjs.
 */
import type { NetOptions } from './net';

export const NET_FORMAT = 'distill-playground/net';
export const WEIGHTS_FILE = 'weights.bin';

/** One tensor's entry in a tfjs weights manifest (the subset of tf.io.WeightsManifestEntry we write). */
export interface WeightsEntry {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool' | 'string' | 'complex64';
  quantization?: unknown;
}

export interface NetModelJson {
  format: typeof NET_FORMAT;
  arch: string;
  options: NetOptions;
  /** Free-form provenance (dataset, accuracy, command…) kept next to the weights. */
  meta?: Record<string, unknown>;
  weightsManifest: { paths: string[]; weights: WeightsEntry[] }[];
}
