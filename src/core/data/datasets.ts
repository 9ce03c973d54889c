/**
 * The datasets the playground trains on. Both are 28×28 greyscale, 10 classes, 60k/10k.
 * Files live under public/ (built by scripts/build-data.ts); paths here are relative to public/
 * so Node (disk) and the browser worker (fetch) use the same strings.
 */

export type DatasetId = 'mnist' | 'fashion';
export type SplitName = 'train' | 'test';

export interface DatasetInfo {
  id: string; // a DatasetId, or import-<hash> for an imported dataset
  name: string;
  classNames: readonly string[];
  imageSize: number; // height = width
  channels: number;
  numClasses: number;
  trainCount: number;
  testCount: number;
  /** Per-pixel mean/std of the train split after scaling to [0, 1]; x = (p/255 − mean) / std. */
  mean: number;
  std: number;
  /** Per channel when they differ (imported colour data): x[c] = (p/255 − channelMean[c]) / channelStd[c]; default [mean], [std]. */
  channelMean?: readonly number[];
  channelStd?: readonly number[];
}

/** A built-in dataset's description: its id is a DatasetId. */
export type BuiltinDatasetInfo = DatasetInfo & { id: DatasetId };

export const DATASETS: Readonly<Record<DatasetId, BuiltinDatasetInfo>> = {
  mnist: {
    id: 'mnist',
    name: 'MNIST',
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    imageSize: 28,
    channels: 1,
    numClasses: 10,
    trainCount: 60000,
    testCount: 10000,
    // From scripts/build-data.ts (exact pixel histogram of the train split); tests re-check them.
    mean: 0.130660,
    std: 0.308108,
  },
  fashion: {
    id: 'fashion',
    name: 'Fashion-MNIST',
    classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
    imageSize: 28,
    channels: 1,
    numClasses: 10,
    trainCount: 60000,
    testCount: 10000,
    mean: 0.286041,
    std: 0.353024,
  },
};

export const DATASET_IDS: readonly DatasetId[] = ['mnist', 'fashion'];
export const SPLITS: readonly SplitName[] = ['train', 'test'];

/** Path of the manifest, relative to public/. */
export const MANIFEST_PATH = 'data/manifest.json';

/** Path of a split file, relative to public/, e.g. `data/mnist-train.bin.gz`. */
export function splitPath(id: DatasetId, split: SplitName): string {
  return `data/${id}-${split}.bin.gz`;
}

export function isDatasetId(id: string): id is DatasetId {
  return (DATASET_IDS as readonly string[]).includes(id);
}

/** Looks up a dataset; throws with the valid ids for an unknown one (e.g. from a URL). */
export function datasetInfo(id: string): BuiltinDatasetInfo {
  if (!isDatasetId(id)) throw new Error(`unknown dataset "${id}" (one of ${DATASET_IDS.join(', ')})`);
  return DATASETS[id];
}
