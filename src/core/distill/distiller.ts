/**
 * The Distiller: CE plus the method's own loss term (core/methods/<method>/, registered in
 * core/methods/terms.ts), so every method runs through one training loop. What it adds to every
 * method is the per-stage align conv and the "difference" metric Σ(align(S) − T)²/N (paper
 * Fig. 3), which needs an align conv when widths differ; for methods whose loss does not train
 * the student through it, the align is fitted as a probe on the stop-gradient student feature,
 * so it reads the feature gap without touching the student.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random';
import { ParamStore } from '../models/params';
import { addAlign, type FeatureMap } from './heads';
import { crossEntropy } from './losses';
import { sumSquaredPerSample } from '../methods/mgd/losses';
import { stopGradient } from '../ops/stopGradient';
import type { ExperimentConfig } from '../config';
import { DISTILL_FIELD_KEYS, type DistillFieldKey, type DistillMethodId } from '../methods/registry';
import { TERMS } from '../methods/terms';
import type { BuiltTerm, MethodTerm, HookedStage } from '../methods/term';

/** A method the Distiller runs (the registry's 'distill' pipeline). */
export type Method = DistillMethodId;

/** What a Distiller method reads of the config: its id and the rows the Distiller methods list (methods/registry.ts). */
export type DistillSettings = { method: Method } & Pick<ExperimentConfig, DistillFieldKey>;

/** Every method's term, checked here to read only rows these settings hold. */
const TERMS_OF: { readonly [M in Method]: MethodTerm<DistillSettings> } = TERMS;

/** The Distiller's settings from a config (or the defaults): the rows its methods read. */
export function distillSettingsOf(config: Pick<ExperimentConfig, DistillFieldKey>, method: Method): DistillSettings {
  return { ...(Object.fromEntries(DISTILL_FIELD_KEYS.map((k) => [k, config[k]])) as Pick<ExperimentConfig, DistillFieldKey>), method };
}

export interface LossTerms {
  total: tf.Scalar; // what the optimizer minimises (includes the probe loss, which only moves the probe)
  task: tf.Scalar; // CE
  distill: tf.Scalar; // the method's weighted terms
  featureRaw: tf.Scalar; // its unweighted feature term, 0 when none
  difference: tf.Scalar; // Σ(align(S) − T)²/N summed over hooked stages
}

/** What the distiller sees of one forward pass. Features are for the hooked stages only. */
export interface PairOutputs {
  studentLogits: tf.Tensor2D; // [N, K]
  studentFeatures: tf.Tensor4D[]; // per hooked stage [N, H, W, Cs]
  studentLast: tf.Tensor4D; // the last stage [N, H_last, W_last, Cs_last]
  studentPooled: tf.Tensor2D; // penultimate [N, Cs_last]
  teacherLogits: tf.Tensor2D; // [N, K]
  teacherFeatures: tf.Tensor4D[]; // per hooked stage [N, H, W, Ct]
  /** The hooked stages before their last ReLU; needed only when the method readsPreRelu. */
  preRelu: { student: tf.Tensor4D[]; teacher: tf.Tensor4D[] } | null;
  teacherPooled: tf.Tensor2D; // [N, Ct_last]
}

/** The penultimate features of the pair: their widths Cs_last, Ct_last, and the teacher's frozen classifier on one. */
export interface Penultimate {
  student: number;
  teacher: number;
  teacherHead: (pooled: tf.Tensor2D) => tf.Tensor2D; // [N, Ct_last] → [N, K]
}

export class Distiller {
  readonly params: ParamStore;
  private readonly aligns: (FeatureMap | null)[];
  private readonly method: MethodTerm<DistillSettings>;
  private readonly term: BuiltTerm;

  /** stages: per hooked stage, student [H,W,Cs] and teacher [H,W,Ct] (same H,W), and the teacher's BN before its ReLU. */
  constructor(
    readonly settings: DistillSettings,
    readonly stages: HookedStage[],
    seed: number,
    private readonly penultimate: Penultimate,
    trainSize: number, // images in the train (sub)set
  ) {
    const rng = Rng.derive(seed, 2);
    this.params = new ParamStore('distill');
    this.aligns = stages.map((s, i) => addAlign(this.params, rng, `align${i}`, s.student[2], s.teacher[2]));
    this.method = TERMS_OF[settings.method];
    this.term = this.method.build({
      params: this.params,
      rng,
      maskRng: Rng.derive(seed, 3),
      settings,
      stages,
      pooled: { student: penultimate.student, teacher: penultimate.teacher },
      trainSize,
    });
  }

  /** align(S) for hooked stage i: the 1×1 conv, or S itself when the widths already match. */
  align(i: number, s: tf.Tensor4D): tf.Tensor4D {
    const f = this.aligns[i];
    return f ? f(s) : s;
  }

  /** Whether the method reads the hooked stages before their last ReLU (PairOutputs.preRelu). */
  get readsPreRelu(): boolean {
    return this.method.readsPreRelu === true;
  }

  /** Whether the method has a generator (MGD), which `generate` runs. */
  get generates(): boolean {
    return this.term.generate !== undefined;
  }

  /** G(align(S) ⊙ M) for hooked stage i. */
  generate(i: number, aligned: tf.Tensor4D, mask: tf.Tensor4D): tf.Tensor4D {
    if (!this.term.generate) throw new Error(`method '${this.settings.method}' has no generator`);
    return this.term.generate(i, aligned, mask);
  }

  /** rows: each batch image's row in the train set (a training step; terms with per-image state need it). */
  losses(out: PairOutputs, labels: tf.Tensor1D, rows: Int32Array | null = null): LossTerms {
    const task = crossEntropy(out.studentLogits, labels);
    const trainsStudent = this.method.alignsStudent;
    let difference: tf.Scalar = tf.scalar(0);
    let probe: tf.Scalar = tf.scalar(0);
    const aligned = out.studentFeatures.map((s, i) => this.align(i, trainsStudent ? s : stopGradient(s)));
    const differences = aligned.map((a, i) => {
      const diff = sumSquaredPerSample(a, out.teacherFeatures[i]);
      if (!trainsStudent && this.aligns[i]) probe = tf.add(probe, diff);
      difference = tf.add(difference, diff);
      return diff;
    });
    const { distill, feature } = this.term.loss({
      labels,
      studentLogits: out.studentLogits,
      teacherLogits: out.teacherLogits,
      studentFeatures: out.studentFeatures,
      teacherFeatures: out.teacherFeatures,
      preRelu: this.readsPreRelu ? out.preRelu : null,
      aligned,
      differences,
      studentLast: out.studentLast,
      studentPooled: out.studentPooled,
      teacherPooled: out.teacherPooled,
      teacherHead: this.penultimate.teacherHead,
      rows,
    });
    const total = tf.add(tf.add(task, distill), probe) as tf.Scalar;
    return { total, task, distill, featureRaw: feature, difference };
  }

  /** After the optimiser's step (the trainer calls it): the method's state follows the training. */
  afterStep(): void {
    this.term.afterStep?.();
  }

  trainableVariables(): tf.Variable[] {
    return [...this.params.trainable.values()];
  }

  dispose(): void {
    this.term.dispose?.();
    this.params.dispose();
  }
}
