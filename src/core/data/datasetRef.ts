/**
 * How a config (and so a link) names its dataset: a built-in id (`mnist`, `fashion`), or an
 * imported dataset by the first 12 digits of its content hash together with what a page that
 * lacks it needs to say which dataset to load and what shape the models take:
 *
 *   import-<12 hex>:<name>:<side>x<channels>:<classes>:<train>:<test>
 *   import-3f2a9c0b1d2e:flowers:32x3:5:800:200
 *
 * The hash decides identity (the store's key); the rest describes it. `,` and `:` stay readable
 * in URLs, and the name is reduced to [A-Za-z0-9._-] so the link needs no escapes.
 */
import { DATASETS, type DatasetId, type DatasetInfo, isDatasetId } from './datasets';
import { MAX_CLASSES, SIDES } from './import/limits';
import type { ImportManifest } from './import/pipeline';

export interface ImportedRef {
  id: string; // import-<12 hex>: the store's key and the loader's DatasetInfo id
  name: string;
  side: number;
  channels: 1 | 3;
  classes: number;
  train: number;
  test: number;
}

export type DatasetRef = { kind: 'builtin'; id: DatasetId } | ({ kind: 'import' } & ImportedRef);

/** What a model (and the final evaluation) needs of a dataset: DatasetInfo's sizes, known from the config alone. */
export type DatasetShape = Pick<DatasetInfo, 'imageSize' | 'channels' | 'numClasses' | 'trainCount' | 'testCount'>;

export const IMPORT_GRAMMAR = 'import-<12 hex>:<name>:<side>x<channels>:<classes>:<train>:<test>';
const MAX_NAME = 40;
const MAX_COUNT = 10_000_000;
const IMPORT_REF = /^(import-[0-9a-f]{12}):([A-Za-z0-9._-]{1,40}):(\d{2})x([13]):(\d{1,4}):(\d{1,8}):(\d{1,8})$/;

/** Parses a dataset text; throws with the grammar for anything else. */
export function parseDatasetRef(text: string): DatasetRef {
  if (isDatasetId(text)) return { kind: 'builtin', id: text };
  const m = IMPORT_REF.exec(text);
  if (!m) throw new Error(`"${text}" is not a dataset: ${Object.keys(DATASETS).join(', ')} or ${IMPORT_GRAMMAR}`);
  const [, id, name, side, channels, classes, train, test] = m;
  const [s, k, n, tr, te] = [side, channels, classes, train, test].map(Number);
  if (!(SIDES as readonly number[]).includes(s)) throw new Error(`side ${s} is not one of ${SIDES.join(', ')}`);
  if (n < 2 || n > MAX_CLASSES) throw new Error(`${n} classes: a dataset has 2…${MAX_CLASSES}`);
  if (tr < 1 || te < 1 || tr > MAX_COUNT || te > MAX_COUNT) throw new Error(`train and test counts must be 1…${MAX_COUNT}`);
  return { kind: 'import', id, name, side: s, channels: k as 1 | 3, classes: n, train: tr, test: te };
}

/** The text naming an imported dataset, from its manifest. */
export function importRefText(m: ImportManifest): string {
  const name = m.name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, MAX_NAME) || 'data';
  return `import-${m.hash.slice(0, 12)}:${name}:${m.side}x${m.channels}:${m.classNames.length}:${m.counts.train}:${m.counts.test}`;
}

/** The store key (`import-<12 hex>`) of a dataset text, or the built-in id. */
export function datasetKey(text: string): string {
  return parseDatasetRef(text).id;
}

/** Side, channels and classes of a dataset text (valid by the config's row). */
export function datasetShape(text: string): DatasetShape {
  const r = parseDatasetRef(text);
  if (r.kind === 'builtin') return DATASETS[r.id];
  return { imageSize: r.side, channels: r.channels, numClasses: r.classes, trainCount: r.train, testCount: r.test };
}

/** One line saying which dataset it is, for messages: `"flowers" (import-3f2a9c0b1d2e; 5 classes, 800 train + 200 test images, 32×32×3)`. */
export function describeDataset(text: string): string {
  const r = parseDatasetRef(text);
  if (r.kind === 'builtin') return DATASETS[r.id].name;
  return `"${r.name}" (${r.id}; ${r.classes} classes, ${r.train} train + ${r.test} test images, ${r.side}×${r.side}×${r.channels})`;
}
