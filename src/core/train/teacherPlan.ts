/**
 * The teacher recipe's numbers and the key a trained teacher is kept under, apart from the
 * training code (./teacherRecipe.ts) so the page's main thread can name a teacher without tfjs.
 */
import type { ExperimentConfig } from '../config';
import { type DatasetShape, datasetShape, parseDatasetRef } from '../data/datasetRef';
import type { Augment } from './augment';
import { isShippedOn, resolveArch } from '../models/registry';
import { type ArchSpec, formatSpec } from '../models/spec';

export const TEACHER_SEED = 1;
export const TEACHER_BATCH = 64;
export const TEACHER_LR = 2e-3;
/** Epochs and max random shift per dataset: enough for MNIST ≥ 99.0 % and Fashion-MNIST ≥ 91 %. */
export const TEACHER_EPOCHS: Record<string, number> = { mnist: 2, fashion: 6 };
export const TEACHER_SHIFT: Record<string, number> = { mnist: 2, fashion: 1 };

/**
 * The recipe's augmentation for a dataset of this shape: grey data (digits, clothes) shifts by
 * TEACHER_SHIFT pixels; colour data (natural images) shifts by an eighth of the side and flips
 * left–right, as CIFAR recipes crop and flip.
 */
export function teacherAugment(dataset: string, shape: Pick<DatasetShape, 'imageSize' | 'channels'>): Augment {
  return shape.channels === 1 ? { shift: TEACHER_SHIFT[dataset] ?? 2, flip: false } : { shift: Math.round(shape.imageSize / 8), flip: true };
}

/** The epochs the recipe trains a teacher on `dataset` for (an imported dataset: 2). */
export const teacherEpochs = (dataset: string, epochs?: number): number => epochs ?? TEACHER_EPOCHS[dataset] ?? 2;

/** Its training steps for a train set of `trainCount` images. */
export const teacherSteps = (dataset: string, trainCount: number, epochs?: number): number => Math.ceil((teacherEpochs(dataset, epochs) * trainCount) / TEACHER_BATCH);

/**
 * The key of a trained teacher, the same in the runner's cache and the page's: the dataset (a
 * built-in id or import-<hash>), the normalised spec, the recipe with its epochs (and, for colour
 * data, its shift and flip; grey data's keys predate them), and the seed.
 * Progress callbacks read the loss and evaluate in inference mode only, so they never change
 * the weights: one key, one set of weights on one backend.
 */
export function teacherKey(dataset: string, spec: ArchSpec, shape: Pick<DatasetShape, 'imageSize' | 'channels'>, epochs?: number): string {
  const a = teacherAugment(dataset, shape);
  const augment = a.flip ? `-shift${a.shift}-flip` : '';
  return `${dataset}|${formatSpec(spec)}|recipe-adam-cosine-b${TEACHER_BATCH}-lr${TEACHER_LR}-e${teacherEpochs(dataset, epochs)}${augment}|seed${TEACHER_SEED}`;
}

/** The key of a config's teacher on its dataset (an imported one: import-<12 hex>). */
export function configTeacherKey(config: Pick<ExperimentConfig, 'dataset' | 'teacher'>): string {
  return teacherKey(parseDatasetRef(config.dataset).id, resolveArch(config.teacher), datasetShape(config.dataset));
}

/**
 * Whether the config's teacher is shipped trained (public/teachers): a registry teacher on a
 * built-in dataset it ships on. Any other teacher (a spec, a registry teacher not shipped on
 * that dataset, any teacher of a loaded dataset) is trained with the recipe first: by the
 * runner on first use, by the page's "Train teacher".
 */
export function isShippedTeacher(config: Pick<ExperimentConfig, 'dataset' | 'teacher'>): boolean {
  const ref = parseDatasetRef(config.dataset);
  return ref.kind === 'builtin' && isShippedOn(config.teacher, ref.id);
}
