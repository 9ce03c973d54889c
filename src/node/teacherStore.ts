/**
 * Teachers for Node runs: shipped ones from public/teachers; a spec string (self-distillation of
 * any architecture), or a registry teacher not shipped on the dataset, is trained with the shipped
 * teachers' recipe on first use and cached under .cache/teachers/<dataset>/<spec>-e<epochs>/ in
 * the same format.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Net } from '../core/models/net';
import { isShippedOn, resolveArch } from '../core/models/registry';
import { type ArchSpec, formatSpec } from '../core/models/spec';
import { type ImportedDataset, importedAsDataset } from '../core/data/import/pipeline';
import { type DatasetShape, datasetShape } from '../core/data/datasetRef';
import { trainerSources } from '../core/train/sources';
import type { RunData } from '../core/loop/sources';
import { deserializeNet, serializeNet, WEIGHTS_FILE } from '../core/models/serialize';
import { loadMimTeacher } from '../core/hgkd/mimTeacher';
import { loadTeacher } from '../core/models/teachers';
import type { Vit } from '../core/hgkd/vit';
import { TEACHER_SEED, teacherEpochs, teacherKey, trainTeacher } from '../core/train/teacherRecipe';
import { nodeDataSources, nodeFetchBytes } from './dataSource';
import { DataError } from '../core/data/decode';
import type { FetchBytes } from '../core/data/loader';

/** What a teacher's key reads of its dataset's shape (colour data's recipe flips). */
type TeacherShape = Pick<DatasetShape, 'imageSize' | 'channels'>;

export const TEACHER_CACHE_DIR = fileURLToPath(new URL('../../.cache/teachers/', import.meta.url));

export interface TeacherOptions {
  /** Epochs for a teacher trained on demand (default: the recipe's for the dataset). */
  epochs?: number;
  log?: (line: string) => void;
}

export async function nodeTeacher(dataset: string, teacher: string, o: TeacherOptions = {}): Promise<Net> {
  if (isShippedOn(teacher, dataset)) return loadTeacher(dataset, teacher, nodeFetchBytes);
  const spec = resolveArch(teacher);
  return cachedTeacher(dataset, datasetShape(dataset), formatSpec(spec), spec, o, () => nodeDataSources(dataset, 0, TEACHER_SEED));
}

/**
 * A teacher for an imported dataset: nothing is shipped for it, so any registry id or spec is
 * trained with the recipe on first use, at the dataset's side, channels and classes, and cached
 * under the dataset's id (its content hash) like the spec teachers above.
 */
export async function nodeImportedTeacher(ds: ImportedDataset, teacher: string, o: TeacherOptions = {}): Promise<Net> {
  const spec = resolveArch(teacher);
  return cachedTeacher(ds.info.id, ds.info, formatSpec(spec), spec, o, async () => trainerSources(importedAsDataset(ds), 0, TEACHER_SEED));
}

/**
 * The runner's cache folder of a teacher: under its dataset, named by the rest of its key
 * (`teacherKey`: spec, recipe with epochs, seed), the key the page's IndexedDB store uses.
 */
export function teacherCacheDir(dataset: string, spec: ArchSpec, shape: TeacherShape, epochs?: number): string {
  const [, ...rest] = teacherKey(dataset, spec, shape, epochs).split('|');
  return path.join(TEACHER_CACHE_DIR, dataset, rest.join('__').replace(/[^a-z0-9.-]/gi, '_'));
}

/** The cached teacher of (dataset, spec, epochs), or one trained now with the recipe and cached. */
async function cachedTeacher(
  dataset: string,
  shape: TeacherShape,
  teacher: string,
  spec: ArchSpec,
  o: TeacherOptions,
  data: () => Promise<RunData>,
): Promise<Net> {
  const epochs = teacherEpochs(dataset, o.epochs);
  const dir = teacherCacheDir(dataset, spec, shape, epochs);
  const jsonPath = path.join(dir, 'model.json');
  try {
    const [json, weights] = await Promise.all([readFile(jsonPath, 'utf8'), readFile(path.join(dir, WEIGHTS_FILE))]);
    o.log?.(`teacher ${teacher}: cached in ${dir}`);
    return deserializeNet(JSON.parse(json), new Uint8Array(weights).buffer, 'teacher', jsonPath);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  o.log?.(`teacher ${teacher}: not cached, training it on ${dataset} for ${epochs} epochs`);
  const t = await trainTeacher(spec, dataset, await data(), {
    epochs,
    onProgress: (step, steps, loss) => o.log?.(`  teacher step ${step}/${steps} loss ${loss.toFixed(4)}`),
  });
  o.log?.(`teacher ${teacher}: test accuracy ${(100 * t.testAcc).toFixed(2)}% in ${t.seconds} s, cached in ${dir}`);
  const key = teacherKey(dataset, spec, shape, epochs);
  const { modelJson, weights } = await serializeNet(t.net, { dataset, key, testAcc: t.testAcc, epochs, steps: t.steps, seed: TEACHER_SEED });
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, WEIGHTS_FILE), new Uint8Array(weights));
  await writeFile(jsonPath, JSON.stringify(modelJson));
  return t.net;
}

/** H-GKD's MIM teacher from public/teachers (encoder only: the MAE decoder is dropped). */
export async function nodeMimTeacher(dataset: string, id: string, fetchBytes: FetchBytes = nodeFetchBytes): Promise<Vit> {
  const { vit, decoder } = await loadMimTeacher(dataset, id, fetchBytes).catch((e: unknown) => {
    if (e instanceof DataError && e.kind === 'missing') throw new Error(`no MIM teacher ${dataset}/${id} is shipped: train it with npm run train:mim-teacher -- --dataset ${dataset}`);
    throw e;
  });
  decoder.dispose();
  return vit;
}
