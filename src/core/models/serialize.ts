/**
 * Saving and loading nets in the tfjs weights format (netFormat.ts): a model.json holding the
 * architecture spec and a standard `weightsManifest`, plus one binary weights file. Local
 * parameter names (no scope prefix) are the keys, so a saved net loads into any fresh Net of
 * the same spec.
 */
import * as tf from '@tensorflow/tfjs';
import { Net } from './net';
import { parseSpec } from './spec';
import { NET_FORMAT, type NetModelJson, WEIGHTS_FILE } from './netFormat';

export { NET_FORMAT, WEIGHTS_FILE, type NetModelJson };

/** Named variables → one weights buffer and its manifest entries (tfjs weights format). */
export async function encodeVariables(named: [string, tf.Variable][]): Promise<{ data: ArrayBuffer; specs: tf.io.WeightsManifestEntry[] }> {
  const map: tf.NamedTensorMap = {};
  for (const [name, v] of named) map[name] = v;
  return tf.io.encodeWeights(map);
}

/** Assigns decoded weights to `named` variables; throws naming `source` when one is missing or misshapen. */
export function assignVariables(named: [string, tf.Variable][], weights: ArrayBuffer, specs: tf.io.WeightsManifestEntry[], source: string): void {
  const tensors = tf.io.decodeWeights(weights, specs);
  try {
    for (const [name, v] of named) {
      const t = tensors[name];
      if (!t) throw new Error(`${source}: weight ${name} missing`);
      if (!tf.util.arraysEqual(t.shape, v.shape)) throw new Error(`${source}: weight ${name} has shape ${t.shape}, expected ${v.shape}`);
      v.assign(t);
    }
  } finally {
    for (const t of Object.values(tensors)) t.dispose();
  }
}

export async function serializeNet(net: Net, meta?: Record<string, unknown>): Promise<{ modelJson: NetModelJson; weights: ArrayBuffer }> {
  const { data, specs } = await encodeVariables(net.params.named());
  const modelJson: NetModelJson = {
    format: NET_FORMAT,
    arch: net.arch,
    options: net.options,
    meta,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: specs }],
  };
  return { modelJson, weights: data };
}

/** Builds a Net from model.json + weights; throws naming `source` when anything does not fit. */
export function deserializeNet(modelJson: unknown, weights: ArrayBuffer, scope: string, source: string): Net {
  const mj = modelJson as Partial<NetModelJson>;
  if (!mj || mj.format !== NET_FORMAT || typeof mj.arch !== 'string' || !Array.isArray(mj.weightsManifest)) {
    throw new Error(`${source}: not a ${NET_FORMAT} model.json`);
  }
  const specs = mj.weightsManifest.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[];
  const o = mj.options;
  if (!o || ![o.inputSize, o.inChannels, o.classes].every((v) => Number.isInteger(v) && v > 0)) throw new Error(`${source}: model.json has no input and head sizes (options)`);
  const net = new Net(parseSpec(mj.arch), 0, scope, o);
  try {
    assignVariables(net.params.named(), weights, specs, source);
  } catch (e) {
    net.dispose();
    throw e;
  }
  return net;
}
