/**
 * Shipped teachers: trained by scripts/train-teachers.ts into
 * public/teachers/<dataset>/<id>/{model.json,weights.bin}, listed with their provenance in
 * public/teachers/manifest.json. Loading goes through a byte fetcher so the same code reads
 * from disk in Node and over HTTP in the browser worker.
 */
import type { Net } from './net';
import { deserializeNet, WEIGHTS_FILE } from './serialize';

export type FetchBytes = (path: string) => Promise<Uint8Array>;

export const TEACHER_MANIFEST = 'teachers/manifest.json';

export interface TeacherRecord {
  dataset: string;
  id: string;
  arch: string;
  params: number;
  testAcc: number; // on the full official test set
  epochs: number;
  steps: number;
  batch: number;
  lr: number;
  seed: number;
  augment: string;
  command: string;
  trainedOn: string; // backend
  seconds: number;
}

/** A ViT pre-trained by masked image modelling (H-GKD's teacher), by scripts/train-mim-teacher.ts. */
export interface MimTeacherRecord {
  dataset: string;
  id: string;
  arch: string; // e.g. vit:p4-d64-l4-h4
  params: number; // encoder only
  reconLoss: number; // masked-patch MSE on normalised pixels, full test set, fixed mask seed
  maskRatio: number;
  probeAcc: number; // linear probe of pooled embeddings: trained on a balanced 5000-image train subset, full test set
  epochs: number;
  steps: number;
  batch: number;
  lr: number;
  seed: number;
  command: string;
  trainedOn: string; // backend
  seconds: number;
}

export interface TeacherManifest {
  teachers: TeacherRecord[];
  /** MIM teachers live beside the CNN teachers in the same manifest, under their own key. */
  mim?: MimTeacherRecord[];
}

export const teacherDir = (dataset: string, id: string) => `teachers/${dataset}/${id}`;

export { MIM_TEACHER_IDS } from './registry';

const decodeJson = (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes)) as unknown;

export async function loadTeacherManifest(fetchBytes: FetchBytes): Promise<TeacherManifest> {
  return decodeJson(await fetchBytes(TEACHER_MANIFEST)) as TeacherManifest;
}

/** A teacher directory's model.json (parsed) and weights, and the model.json path for messages. */
export async function readTeacherFiles(dataset: string, id: string, fetchBytes: FetchBytes): Promise<{ json: unknown; weights: ArrayBuffer; source: string }> {
  const dir = teacherDir(dataset, id);
  const [json, weights] = await Promise.all([fetchBytes(`${dir}/model.json`), fetchBytes(`${dir}/${WEIGHTS_FILE}`)]);
  const buffer = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  return { json: decodeJson(json), weights: buffer, source: `${dir}/model.json` };
}

export async function loadTeacher(dataset: string, id: string, fetchBytes: FetchBytes): Promise<Net> {
  const f = await readTeacherFiles(dataset, id, fetchBytes);
  return deserializeNet(f.json, f.weights, `teacher`, f.source);
}
