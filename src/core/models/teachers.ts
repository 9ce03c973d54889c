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

export interface TeacherManifest {
  teachers: TeacherRecord[];
}

export const teacherDir = (dataset: string, id: string) => `teachers/${dataset}/${id}`;

const decodeJson = (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes)) as unknown;

export async function loadTeacherManifest(fetchBytes: FetchBytes): Promise<TeacherManifest> {
  return decodeJson(await fetchBytes(TEACHER_MANIFEST)) as TeacherManifest;
}

export async function loadTeacher(dataset: string, id: string, fetchBytes: FetchBytes): Promise<Net> {
  const dir = teacherDir(dataset, id);
  const [json, weights] = await Promise.all([fetchBytes(`${dir}/model.json`), fetchBytes(`${dir}/${WEIGHTS_FILE}`)]);
  const buffer = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  return deserializeNet(decodeJson(json), buffer, `teacher`, `${dir}/model.json`);
}
