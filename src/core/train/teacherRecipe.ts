/**
 * How a teacher is trained: the one recipe behind the shipped teachers (scripts/train-teachers.ts)
 * and the self-distillation teachers of any architecture that the runner trains on demand.
 * Fixed seed, Adam with cosine decay, small random shifts (and flips for colour data); accuracy on the full test set.
 */
import { Net, netOptionsFor } from '../models/net';
import type { ArchSpec } from '../models/spec';
import { TEACHER_BATCH, TEACHER_LR, TEACHER_SEED, teacherAugment, teacherEpochs, teacherSteps } from './teacherPlan';
import type { Augment } from './augment';
import { trainSupervised } from './supervised';
import { evaluateNet } from './trainer';
import type { RunData } from '../loop/sources';

export * from './teacherPlan';

export interface TrainedTeacher {
  net: Net;
  testAcc: number;
  epochs: number;
  steps: number;
  augment: Augment;
  seconds: number;
}

/** What a teacher's progress callback gets: the step, the loss, and the net (to evaluate between steps). */
export type TeacherProgress = (step: number, steps: number, loss: number, net: Net) => void | Promise<void>;

export interface TeacherTrainOptions {
  epochs?: number;
  scope?: string;
  /** Called every `progressEvery` steps (default 100) and after the last; may throw to stop (the net is then disposed). */
  onProgress?: TeacherProgress;
  progressEvery?: number;
}

export async function trainTeacher(
  spec: ArchSpec,
  dataset: string,
  data: RunData,
  o: TeacherTrainOptions = {},
): Promise<TrainedTeacher> {
  const epochs = teacherEpochs(dataset, o.epochs);
  const augment = teacherAugment(dataset, data.info);
  const steps = teacherSteps(dataset, data.train.indices.length, epochs);
  const net = new Net(spec, TEACHER_SEED, o.scope ?? `teacher-${dataset}`, netOptionsFor(data.info));
  const started = Date.now();
  try {
    await trainSupervised(net, data.train, {
      steps,
      batch: TEACHER_BATCH,
      lr: TEACHER_LR,
      seed: TEACHER_SEED,
      augment,
      background: data.background,
      logEvery: o.progressEvery ?? 100,
      onStep: (step, loss) => o.onProgress?.(step, steps, loss, net),
    });
    const testAcc = await evaluateNet(net, data.test);
    return { net, testAcc, epochs, steps, augment, seconds: Math.round((Date.now() - started) / 1000) };
  } catch (e) {
    net.dispose();
    throw e;
  }
}
