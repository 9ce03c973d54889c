/** Shared setup for engine tests: a small real-data trainer on a given backend. */
import { DATASETS } from '../src/core/data/datasets';
import { Net, netOptionsFor } from '../src/core/models/net';
import { resolveArch } from '../src/core/models/registry';
import { Trainer, type TrainerSettings } from '../src/core/train/trainer';
import { constantAdam } from '../src/core/optim/optimizer';
import { distillSettingsOf } from '../src/core/distill/distiller';
import { DEFAULT_CONFIG } from '../src/core/config';
import { nodeDataSources } from '../src/node/dataSource';

/** The built-in datasets' net sizes (28×28×1 in, 10 classes), from their DatasetInfo. */
export const MNIST_NET = netOptionsFor(DATASETS.mnist);

export const tinySettings = (o: Partial<TrainerSettings> = {}): TrainerSettings => ({
  ...distillSettingsOf(DEFAULT_CONFIG, 'mgd'),
  alpha: 5e-4,
  student: resolveArch('resnet-xs'),
  stages: [2],
  recipe: constantAdam(1e-3),
  batch: 16,
  seed: 1,
  ...o,
});

/** A trainer on 256 real MNIST images with an (untrained) teacher of the given arch. */
export async function tinyTrainer(o: Partial<TrainerSettings> = {}, teacherArch = 'resnet-s'): Promise<{ trainer: Trainer; teacher: Net }> {
  const { train, test } = await nodeDataSources('mnist', 256, o.seed ?? 1);
  const teacher = new Net(resolveArch(teacherArch), 99, 'teacher', MNIST_NET);
  return { trainer: new Trainer(tinySettings(o), teacher, train, test), teacher };
}
