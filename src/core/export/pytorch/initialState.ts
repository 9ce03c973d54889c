/**
 * Reads a run's initial state off the engine: the Trainer is built exactly as a run builds it
 * (so the student and heads get the seed's initial weights), its tensors are read, then it is
 * disposed without taking a step. Used by the Node exporter and by the worker.
 */
import type { ExperimentConfig } from '../../config';
import type { Net } from '../../models/net';
import type { TestSource, TrainSource } from '../../loop/sources';
import { buildTrainer } from '../../train/experiment';
import type { ParamStore } from '../../models/params';
import type { EngineTensor, InitialState } from './project';
import { checkExportable } from './project';

async function read(p: ParamStore): Promise<EngineTensor[]> {
  return Promise.all(p.named().map(async ([name, v]) => ({ name, shape: [...v.shape], data: (await v.data()) as Float32Array })));
}

export async function readInitialState(config: ExperimentConfig, teacher: Net, train: TrainSource, test: TestSource): Promise<InitialState> {
  checkExportable(config);
  const trainer = buildTrainer(config, teacher, train, test);
  try {
    return {
      teacher: await read(teacher.params),
      student: await read(trainer.student.params),
      heads: await read(trainer.distiller.params),
      subset: Int32Array.from(train.indices),
    };
  } finally {
    trainer.dispose();
  }
}
