/**
 * One training step of a benchmark workload (./workloads), built from the same core code the
 * playground runs: the Trainer for the distillation rows, a plain Adam CE step for `xs-ce`.
 * Used by `npm run bench` (Node, wasm/cpu) and by the WebGPU page of `npm run bench:gpu`.
 */
import * as tf from '@tensorflow/tfjs';
import { crossEntropy } from '../core/distill/losses';
import { DATASETS } from '../core/data/datasets';
import { Net, netOptionsFor } from '../core/models/net';
import { resolveArch } from '../core/models/registry';
import { Trainer } from '../core/train/trainer';
import { constantAdam } from '../core/optim/optimizer';
import { distillSettingsOf } from '../core/distill/distiller';
import { DEFAULT_CONFIG } from '../core/config';
import type { TestSource, TrainSource } from '../core/loop/sources';
import { BENCH_DATASET, type Workload } from './workloads';

const BENCH_NET = netOptionsFor(DATASETS[BENCH_DATASET]);

export interface WorkloadStep {
  /** One training step; resolves once its result has been read back (the step is finished). */
  step: () => Promise<void>;
  dispose: () => void;
}

export async function workloadStep(w: Workload, batch: number, train: TrainSource, test: TestSource): Promise<WorkloadStep> {
  if (w.teacher === null) return plainCeStep(w, batch, train);
  // Weights do not change the cost, so an untrained teacher of the shipped architecture will do.
  const teacher = new Net(resolveArch(w.teacher), 1, 'bench-teacher', BENCH_NET);
  const trainer = new Trainer(
    { ...distillSettingsOf(DEFAULT_CONFIG, w.method), alpha: w.alpha, lambda: w.lambda, mask: w.mask, gen: { ...w.gen }, student: resolveArch(w.student), stages: [...w.stages], recipe: constantAdam(w.lr), batch, seed: 1 },
    teacher,
    train,
    test,
  );
  if (w.cacheTeacher && !(await trainer.prepare({ eager: true }))) throw new Error(`${w.id}: the teacher outputs do not fit the cache budget`);
  return {
    step: async () => void (await trainer.step()),
    dispose: () => {
      trainer.dispose();
      teacher.dispose();
    },
  };
}

/** The student alone trained with CE, as supervised.ts trains teachers (without its lr schedule). */
function plainCeStep(w: Workload, batch: number, train: TrainSource): WorkloadStep {
  const net = new Net(resolveArch(w.student), 1, 'bench-ce', BENCH_NET);
  const optimizer = tf.train.adam(w.lr);
  const vars = net.trainableVariables();
  const { inputSize: s, inChannels: c } = net.options;
  return {
    step: async () => {
      const b = train.nextBatch(batch);
      const x = tf.tensor4d(b.x, [b.y.length, s, s, c]);
      const y = tf.tensor1d(b.y, 'int32');
      const cost = optimizer.minimize(() => crossEntropy(net.apply(x, true).logits, y), true, vars)!;
      tf.dispose([x, y]);
      await cost.data();
      cost.dispose();
    },
    dispose: () => {
      optimizer.dispose();
      net.dispose();
    },
  };
}
