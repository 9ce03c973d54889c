/**
 * The Export menu's standard-format downloads: the student as ONNX and as a tfjs Layers model,
 * and the config's teacher as ONNX (a shipped one, or one trained in this page). Converted on the main thread from the engine's export (the
 * worker's model.json + weights) by src/core/export, which needs no tfjs; loaded on first use
 * (it brings the ONNX schema) so the page's start does not pay for it.
 */
import { type ExperimentConfig, decodeConfig, encodeConfig } from '../../core/config';
import { DATASETS, type DatasetInfo } from '../../core/data/datasets';
import { datasetKey, describeDataset, parseDatasetRef } from '../../core/data/datasetRef';
import { configTeacherKey, isShippedTeacher } from '../../core/train/teacherPlan';
import type { ExportInfo } from '../../core/export';
import type { RunSummary, StoredDataset, StoredTeacher } from '../../worker/protocol';
import type { ExportedStudent } from '../store/types';
import { download } from './download';

export interface ExportItem {
  label: string;
  title: string;
  /** Downloads the export; resolves to what was saved. */
  job: () => Promise<string>;
}

export interface ModelExportDeps {
  exportStudent(): Promise<ExportedStudent>;
  /** Read at click time: the form's config (locked during a run) and the last run's summary. */
  state(): { config: ExperimentConfig; summary: RunSummary | null; datasets: StoredDataset[] | null };
  /** Bytes of a file under public/ (teachers/…). */
  fetchPublic(path: string): Promise<Uint8Array>;
  /** A teacher trained in the page, from the worker's store (by teacherKey). */
  storedTeacher(key: string): Promise<StoredTeacher>;
}

/** The config's teacher as its model.json + weights and its measured accuracy: shipped (public/teachers) or trained here. */
async function teacherModel(config: ExperimentConfig, deps: ModelExportDeps): Promise<{ modelJson: unknown; weights: ArrayBuffer; testAcc: number | null }> {
  if (!isShippedTeacher(config)) {
    const t = await deps.storedTeacher(configTeacherKey(config));
    return { modelJson: t.modelJson, weights: t.weights, testAcc: t.info.testAcc };
  }
  const dir = `teachers/${config.dataset}/${config.teacher}`;
  const [json, weights, manifest] = await Promise.all([deps.fetchPublic(`${dir}/model.json`), deps.fetchPublic(`${dir}/weights.bin`), deps.fetchPublic('teachers/manifest.json')]);
  const text = (u: Uint8Array) => JSON.parse(new TextDecoder().decode(u)) as unknown;
  const records = (text(manifest) as { teachers?: { dataset: string; id: string; testAcc: number }[] }).teachers ?? [];
  const testAcc = records.find((t) => t.dataset === config.dataset && t.id === config.teacher)?.testAcc ?? null;
  return { modelJson: text(json), weights: asBuffer(weights), testAcc };
}

export const STUDENT_ONNX = 'student.onnx';
export const STUDENT_LAYERS_JSON = 'student-tfjs.json';
export const STUDENT_LAYERS_WEIGHTS = 'student-tfjs.weights.bin';

const pageUrl = (config: ExperimentConfig) => `${window.location.origin}${window.location.pathname}${encodeConfig(config) ? `?${encodeConfig(config)}` : ''}`;

/**
 * Metadata of an exported student. After a run the worker's copy carries the run's config and
 * test accuracy (the form may have changed since); during a run the form is the run's config
 * (locked) and nothing has been measured on the full test set yet.
 */
async function studentInfo(student: ExportedStudent, deps: ModelExportDeps): Promise<ExportInfo> {
  const meta = student.modelJson.meta ?? {};
  const config = typeof meta.config === 'string' ? decodeConfig(meta.config).config : deps.state().config;
  return { data: await dataOf(config.dataset, deps), role: 'student', testAcc: typeof meta.testAcc === 'number' ? meta.testAcc : null, url: pageUrl(config) };
}

/** The description of a config's dataset: a built-in's row, or a loaded one's from its stored manifest. */
async function dataOf(dataset: string, deps: ModelExportDeps): Promise<DatasetInfo> {
  const ref = parseDatasetRef(dataset);
  if (ref.kind === 'builtin') return DATASETS[ref.id];
  const stored = deps.state().datasets?.find((d) => datasetKey(d.ref) === ref.id);
  if (!stored) throw new Error(`the run's dataset ${describeDataset(dataset)} is not loaded in this page: load it to export a model trained on it`);
  const { importedInfo } = await import('../../core/data/import/pipeline');
  return importedInfo(stored.manifest);
}

const asBuffer = (u: Uint8Array) => u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength) as ArrayBuffer;

export function modelFormatExports(deps: ModelExportDeps): ExportItem[] {
  return [
    {
      label: 'Student ONNX',
      title: `The student as ${STUDENT_ONNX}: opset 13, input pixels [N, C, H, W] of the run's dataset in [0, 1] (normalisation inside), output logits`,
      job: async () => {
        const student = await deps.exportStudent();
        const { exportOnnx } = await import('../../core/export');
        const bytes = exportOnnx(student.modelJson, student.weights, await studentInfo(student, deps));
        download(STUDENT_ONNX, new Blob([asBuffer(bytes)], { type: 'application/octet-stream' }));
        return `student after step ${student.step}: ${STUDENT_ONNX}`;
      },
    },
    {
      label: 'Student tfjs Layers',
      title: `The student as a tfjs Layers model (tf.loadLayersModel): ${STUDENT_LAYERS_JSON} + ${STUDENT_LAYERS_WEIGHTS}, input NHWC in [0, 1]`,
      job: async () => {
        const student = await deps.exportStudent();
        const { exportLayersModel } = await import('../../core/export');
        const { modelJson, weights } = exportLayersModel(student.modelJson, student.weights, await studentInfo(student, deps), STUDENT_LAYERS_WEIGHTS);
        download(STUDENT_LAYERS_JSON, new Blob([JSON.stringify(modelJson)], { type: 'application/json' }));
        download(STUDENT_LAYERS_WEIGHTS, new Blob([weights], { type: 'application/octet-stream' }));
        return `student after step ${student.step}: ${STUDENT_LAYERS_JSON} + ${STUDENT_LAYERS_WEIGHTS}`;
      },
    },
    {
      label: 'Teacher ONNX',
      title: "The config's teacher as ONNX, shipped or trained here (same interface as the student's)",
      job: async () => {
        const { config } = deps.state();
        if (config.method === 'hgkd') throw new Error(`the H-GKD teacher (${config.mimTeacher}) is a ViT and does not export from the page; the student does`);
        const { modelJson, weights, testAcc } = await teacherModel(config, deps);
        const { exportOnnx } = await import('../../core/export');
        const bytes = exportOnnx(modelJson, weights, { data: await dataOf(config.dataset, deps), role: 'teacher', testAcc, url: pageUrl(config) });
        const name = `teacher-${datasetKey(config.dataset)}-${config.teacher.replace(/[^a-z0-9-]+/gi, '_')}.onnx`;
        download(name, new Blob([asBuffer(bytes)], { type: 'application/octet-stream' }));
        return name;
      },
    },
  ];
}

/** fetchPublic over HTTP from the page's base URL; a missing file is an error naming it. */
export async function fetchPublic(path: string): Promise<Uint8Array> {
  const r = await fetch(`${import.meta.env.BASE_URL}${path}`);
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}
