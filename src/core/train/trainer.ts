/**
 * One training loop for every method: a plain class (no worker, no DOM) so the worker, the
 * headless runner and the tests drive exactly the same code. Each `step()` trains on one batch
 * and returns its metrics after a single GPU→CPU read.
 */
import * as tf from '@tensorflow/tfjs';
import { Net, type NetOutput } from '../models/net';
import type { ArchSpec } from '../models/spec';
import { Rng } from '../random';
import { Distiller, type DistillSettings, type PairOutputs } from '../distill/distiller';
import { methodOf } from '../methods/registry';
import { accuracy } from '../distill/losses';
import { evaluateClassifier } from '../loop/evaluate';
import { NonFiniteLossError } from '../loop/nonFiniteLoss';
import type { Batch, TestSource, TrainSource } from '../loop/sources';
import { type TeacherBatch, TeacherOutputs, disposeTeacherBatch } from './teacherCache';
import { type Recipe, RecipeOptimizer } from '../optim/optimizer';

export interface TrainerSettings extends DistillSettings {
  student: ArchSpec;
  stages: number[]; // 0-based hooked stages
  recipe: Recipe; // optimiser, weight decay and the lr of each step
  batch: number;
  seed: number;
}

export interface StepMetrics {
  step: number; // 1-based count of steps taken
  loss: number; // task + weighted distillation
  taskLoss: number;
  distillLoss: number; // α·feature term + kdW·KD term
  featureLoss: number; // unweighted MGD / mimic term
  difference: number; // Σ(align(S) − T)²/N over hooked stages
  batchAcc: number;
  trainAcc: number; // running mean over the last TRAIN_ACC_WINDOW batches
  alpha: number;
  lambda: number;
  stepMs: number;
  testAcc?: number;
}

const TRAIN_ACC_WINDOW = 50;

export class Trainer {
  readonly student: Net;
  readonly distiller: Distiller;
  readonly teacherOutputs: TeacherOutputs;
  private readonly optimizer: RecipeOptimizer;
  private readonly recentAcc: number[] = [];
  /** Dataset index → its row in the train (sub)set (the Distiller's per-image state is by row). */
  private readonly rowOf = new Map<number, number>();
  private steps = 0;

  constructor(
    readonly settings: TrainerSettings,
    readonly teacher: Net,
    private readonly train: TrainSource,
    private readonly test: TestSource,
  ) {
    const seed = settings.seed;
    // Student init depends on the seed only, so methods compared under one seed start alike.
    this.student = new Net(settings.student, Rng.derive(seed, 1).nextUint32(), 'student', teacher.options);
    const stages = settings.stages.map((s) => {
      const st = this.student.stageShapes[s];
      const te = teacher.stageShapes[s];
      if (!st || !te) throw new Error(`stage ${s + 1} does not exist in both teacher and student`);
      if (st[0] !== te[0] || st[1] !== te[1]) throw new Error(`stage ${s + 1}: student ${st} and teacher ${te} differ in size`);
      return { student: st, teacher: te, teacherBn: teacher.preReluBn(s) };
    });
    const penultimate = { student: this.student.pooledWidth, teacher: teacher.pooledWidth, teacherHead: (p: tf.Tensor2D) => teacher.head(p) };
    this.distiller = new Distiller(settings, stages, seed, penultimate, train.indices.length);
    for (let k = 0; k < train.indices.length; k++) this.rowOf.set(train.indices[k], k);
    this.teacherOutputs = new TeacherOutputs(teacher, settings.stages, this.distiller.readsPreRelu);
    this.optimizer = new RecipeOptimizer(settings.recipe, [...this.student.trainableVariables(), ...this.distiller.trainableVariables()]);
  }

  get stepCount(): number {
    return this.steps;
  }

  /**
   * Caches teacher outputs for the train (sub)set when they fit in memory: as the first epoch
   * computes them, or with `eager` all now (benchmarks of cached steps). Resolves whether it caches.
   */
  async prepare(o: { eager?: boolean } = {}): Promise<boolean> {
    if (!this.teacherOutputs.prepare(this.train.indices)) return false;
    if (o.eager) await this.teacherOutputs.fillAll((idx) => this.train.batchOf(idx).x);
    return true;
  }

  /** α and λ may change between steps (live sliders); the next step uses the new values. */
  setLive(values: { alpha?: number; lambda?: number }): void {
    if (values.alpha !== undefined) this.settings.alpha = values.alpha;
    if (values.lambda !== undefined) this.settings.lambda = values.lambda;
  }

  private inputTensor(b: Batch): tf.Tensor4D {
    const { inputSize: s, inChannels: c } = this.student.options;
    return tf.tensor4d(b.x, [b.y.length, s, s, c]);
  }

  /** What the Distiller reads of one student pass and the teacher's outputs for the same batch. */
  private pairOf(s: NetOutput, t: TeacherBatch): PairOutputs {
    const hooked = (fs: tf.Tensor4D[]) => this.settings.stages.map((i) => fs[i]);
    return {
      studentLogits: s.logits,
      studentFeatures: hooked(s.features),
      studentLast: s.features[s.features.length - 1],
      studentPooled: s.pooled,
      teacherLogits: t.logits,
      teacherFeatures: t.features,
      preRelu: t.preRelu ? { student: hooked(s.preRelu), teacher: t.preRelu } : null,
      teacherPooled: t.pooled,
    };
  }

  async step(): Promise<StepMetrics> {
    const t0 = performance.now();
    const batch = this.train.nextBatch(this.settings.batch);
    const x = this.inputTensor(batch);
    const y = tf.tensor1d(batch.y, 'int32');
    const teacherOut = await this.teacherOutputs.forBatch(batch.indices, x);
    const rows = Int32Array.from(batch.indices, (i) => this.rowOf.get(i)!);
    let aux: tf.Tensor | null = null;
    this.optimizer.minimize(
      this.steps + 1,
      () => {
        const s = this.student.apply(x, true);
        const terms = this.distiller.losses(this.pairOf(s, teacherOut), y, rows);
        aux = tf.keep(tf.stack([tf.add(terms.task, terms.distill), terms.task, terms.distill, terms.featureRaw, terms.difference, accuracy(s.logits, y)]));
        return terms.total;
      },
      false,
    );
    this.distiller.afterStep();
    tf.dispose([x, y]);
    disposeTeacherBatch(teacherOut);
    const values = await aux!.data();
    (aux as tf.Tensor | null)?.dispose();
    this.steps++;
    const [loss, taskLoss, distillLoss, featureLoss, difference, batchAcc] = Array.from(values);
    if (!Number.isFinite(loss)) throw new NonFiniteLossError(this.steps, loss);
    this.recentAcc.push(batchAcc);
    if (this.recentAcc.length > TRAIN_ACC_WINDOW) this.recentAcc.shift();
    return {
      step: this.steps,
      loss,
      taskLoss,
      distillLoss,
      featureLoss,
      difference,
      batchAcc,
      trainAcc: this.recentAcc.reduce((a, b) => a + b, 0) / this.recentAcc.length,
      alpha: this.settings.alpha,
      lambda: this.settings.lambda,
      stepMs: performance.now() - t0,
    };
  }

  /** Test accuracy of the student (inference mode) on the first `limit` test images. */
  async evaluate(limit = this.test.count): Promise<number> {
    return evaluateNet(this.student, this.test, limit);
  }

  /**
   * The α that would make α·(feature term) equal the task loss on one batch at the current
   * weights (the MGD maintainers' advice); null when the method has no feature term.
   */
  async suggestAlpha(): Promise<number | null> {
    if (!methodOf(this.settings.method).alpha) return null;
    const first = this.train.indices;
    const batch = this.train.batchOf(Array.from({ length: Math.min(this.settings.batch, first.length) }, (_, i) => first[i]));
    const stacked = tf.tidy(() => {
      const x = this.inputTensor(batch);
      const t = this.teacherOutputs.run(x.clone());
      const s = this.student.apply(x, false);
      const terms = this.distiller.losses(this.pairOf(s, t), tf.tensor1d(batch.y, 'int32'));
      return tf.stack([terms.task, terms.featureRaw]);
    });
    const values = await stacked.data();
    stacked.dispose();
    const [task, feature] = values;
    return feature > 0 ? task / feature : null;
  }

  dispose(): void {
    this.student.dispose();
    this.distiller.dispose();
    this.optimizer.dispose();
  }
}

/** Top-1 accuracy of `net` in inference mode over the first `limit` images of `test`. */
export async function evaluateNet(net: Net, test: TestSource, limit = test.count): Promise<number> {
  const { inputSize: s, inChannels: c } = net.options;
  return evaluateClassifier((x) => net.apply(x, false).logits, [s, s, c], test, limit);
}
