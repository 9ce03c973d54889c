/**
 * How a teacher is trained: the one recipe behind the shipped teachers (scripts/train-teachers.ts)
 * and the self-distillation teachers of any architecture that the runner trains on demand.
 * Fixed seed, Adam with cosine decay, small random shifts; accuracy on the full test set.
 */
import { Net, netOptionsFor } from '../models/net';
import type { ArchSpec } from '../models/spec';
import { trainSupervised } from './supervised';
import { evaluateNet } from './trainer';
import type { RunData } from '../loop/sources';

export const TEACHER_SEED = 1;
export const TEACHER_BATCH = 64;
export const TEACHER_LR = 2e-3;
/** Epochs and max random shift per dataset: enough for MNIST ≥ 99.0 % and Fashion-MNIST ≥ 91 %. */
export const TEACHER_EPOCHS: Record<string, number> = { mnist: 2, fashion: 6 };
export const TEACHER_SHIFT: Record<string, number> = { mnist: 2, fashion: 1 };

export interface TrainedTeacher {
  net: Net;
  testAcc: number;
  epochs: number;
  steps: number;
  shift: number;
  seconds: number;
}

export async function trainTeacher(
  spec: ArchSpec,
  dataset: string,
  data: RunData,
  o: { epochs?: number; scope?: string; onProgress?: (step: number, steps: number, loss: number) => void } = {},
): Promise<TrainedTeacher> {
  const epochs = o.epochs ?? TEACHER_EPOCHS[dataset] ?? 2;
  // randomShift moves single-channel planes only, so colour data trains unshifted.
  const shift = data.info.channels === 1 ? (TEACHER_SHIFT[dataset] ?? 2) : 0;
  const steps = Math.ceil((epochs * data.train.indices.length) / TEACHER_BATCH);
  const net = new Net(spec, TEACHER_SEED, o.scope ?? `teacher-${dataset}`, netOptionsFor(data.info));
  const started = Date.now();
  await trainSupervised(net, data.train, {
    steps,
    batch: TEACHER_BATCH,
    lr: TEACHER_LR,
    seed: TEACHER_SEED,
    shift,
    background: data.background,
    logEvery: 100,
    onStep: (step, loss) => o.onProgress?.(step, steps, loss),
  });
  const testAcc = await evaluateNet(net, data.test);
  return { net, testAcc, epochs, steps, shift, seconds: Math.round((Date.now() - started) / 1000) };
}
