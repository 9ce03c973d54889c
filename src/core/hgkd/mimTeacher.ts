/**
 * The MIM teacher on disk: model.json (format, ViT and decoder options, provenance) plus one
 * weights file in the tfjs weights format holding the encoder's weights under their own names
 * and the MAE decoder's under `decoder/` (kept so the reconstruction loss can be re-measured).
 */
import type * as tf from '@tensorflow/tfjs';
import { assignVariables, encodeVariables, WEIGHTS_FILE } from '../models/serialize';
import { type FetchBytes, readTeacherFiles } from '../models/teachers';
import { MaeDecoder, type MaeDecoderOptions } from './mim';
import { Vit, type VitOptions } from './vit';

export const MIM_FORMAT = 'distill-playground/vit-mim';
const DECODER_PREFIX = 'decoder/';

export interface MimModelJson {
  format: typeof MIM_FORMAT;
  vit: VitOptions;
  decoder: MaeDecoderOptions;
  meta?: Record<string, unknown>;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

export interface MimTeacher {
  vit: Vit;
  decoder: MaeDecoder;
}

function namedWeights({ vit, decoder }: MimTeacher): [string, tf.Variable][] {
  return [...vit.params.named(), ...decoder.params.named().map(([k, v]): [string, tf.Variable] => [DECODER_PREFIX + k, v])];
}

export function disposeMimTeacher(t: MimTeacher): void {
  t.vit.dispose();
  t.decoder.dispose();
}

export async function serializeMimTeacher(t: MimTeacher, meta?: Record<string, unknown>): Promise<{ modelJson: MimModelJson; weights: ArrayBuffer }> {
  const { data, specs } = await encodeVariables(namedWeights(t));
  const modelJson: MimModelJson = {
    format: MIM_FORMAT,
    vit: t.vit.options,
    decoder: t.decoder.options,
    meta,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: specs }],
  };
  return { modelJson, weights: data };
}

/** Builds the teacher from model.json + weights; throws naming `source` when anything does not fit. */
export function deserializeMimTeacher(modelJson: unknown, weights: ArrayBuffer, scope: string, source: string): MimTeacher {
  const mj = modelJson as Partial<MimModelJson>;
  if (!mj || mj.format !== MIM_FORMAT || !mj.vit || !mj.decoder || !Array.isArray(mj.weightsManifest)) {
    throw new Error(`${source}: not a ${MIM_FORMAT} model.json`);
  }
  const vit = new Vit(mj.vit, 0, scope);
  const t = { vit, decoder: new MaeDecoder(vit, mj.decoder, 0, `${scope}-decoder`) };
  try {
    assignVariables(namedWeights(t), weights, mj.weightsManifest.flatMap((g) => g.weights), source);
  } catch (e) {
    disposeMimTeacher(t);
    throw e;
  }
  return t;
}

/** A shipped MIM teacher (public/teachers/<dataset>/<id>, listed under `mim` in the manifest). */
export async function loadMimTeacher(dataset: string, id: string, fetchBytes: FetchBytes): Promise<MimTeacher> {
  const f = await readTeacherFiles(dataset, id, fetchBytes);
  return deserializeMimTeacher(f.json, f.weights, `mim-teacher`, f.source);
}
