/** Shared setup for engine tests: a small real-data trainer on a given backend. */
import { Net } from '../src/core/models/net';
import { resolveArch } from '../src/core/models/registry';
import { Trainer, type TrainerSettings } from '../src/core/train/trainer';
import { nodeDataSources } from '../src/node/dataSource';

export const tinySettings = (o: Partial<TrainerSettings> = {}): TrainerSettings => ({
  method: 'mgd',
  alpha: 5e-4,
  lambda: 0.5,
  mask: 'pixel',
  gen: { convs: 2, kernel: 3 },
  kdT: 4,
  kdW: 1,
  student: resolveArch('resnet-xs'),
  stages: [2],
  lr: 1e-3,
  batch: 16,
  seed: 1,
  ...o,
});

/** A trainer on 256 real MNIST images with an (untrained) teacher of the given arch. */
export async function tinyTrainer(o: Partial<TrainerSettings> = {}, teacherArch = 'resnet-s'): Promise<{ trainer: Trainer; teacher: Net }> {
  const { train, test } = await nodeDataSources('mnist', 256, o.seed ?? 1);
  const teacher = new Net(resolveArch(teacherArch), 99, 'teacher');
  return { trainer: new Trainer(tinySettings(o), teacher, train, test), teacher };
}
