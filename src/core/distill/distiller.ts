/**
 * Distillation heads and the per-method loss, shared by every method so they all run through one
 * training loop:
 *   none   : CE
 *   kd     : CE + kdW · KD(T)
 *   mimic  : CE + α · Σ(align(S) − T)² / N
 *   mgd    : CE + α · Σ(G(align(S) · M) − T)² / N
 *   mgd+kd : CE + α · MGD + kdW · KD(T)
 * The "difference" metric Σ(align(S) − T)²/N (paper Fig. 3) needs an align conv when widths
 * differ; for methods that do not train one (none, kd) it is fitted as a probe on the
 * stop-gradient student feature, so it reads the feature gap without touching the student.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random';
import { ParamStore } from '../models/params';
import { addAlign, addGenerator, type FeatureMap, type MaskedFeatureMap } from './heads';
import { drawMask, type MaskKind } from './masks';
import { crossEntropy, kdLoss, sumSquaredPerSample } from './losses';
import { stopGradient } from '../ops/stopGradient';
import { type DistillMethodId, distillTerms } from '../methods/registry';

/** A method the Distiller runs (the registry's 'distill' pipeline). */
export type Method = DistillMethodId;

export interface DistillSettings {
  method: Method;
  alpha: number;
  lambda: number;
  mask: MaskKind;
  gen: { convs: number; kernel: number };
  kdT: number;
  kdW: number;
}

export interface LossTerms {
  total: tf.Scalar; // what the optimizer minimises (includes the probe loss, which only moves the probe)
  task: tf.Scalar; // CE
  distill: tf.Scalar; // weighted distillation terms: α·feature + kdW·KD
  featureRaw: tf.Scalar; // unweighted feature term (MGD or mimic), 0 otherwise
  difference: tf.Scalar; // Σ(align(S) − T)²/N summed over hooked stages
}

/** What the distiller sees of one forward pass. Features are for the hooked stages only. */
export interface PairOutputs {
  studentLogits: tf.Tensor2D; // [N, K]
  studentFeatures: tf.Tensor4D[]; // per hooked stage [N, H, W, Cs]
  teacherLogits: tf.Tensor2D; // [N, K]
  teacherFeatures: tf.Tensor4D[]; // per hooked stage [N, H, W, Ct]
}

// The method's loss terms, from its declaration in core/methods.
export const usesFeatures = (m: Method) => distillTerms(m).feature !== 'none';
export const usesMgd = (m: Method) => distillTerms(m).feature === 'mgd';
const usesMimic = (m: Method) => distillTerms(m).feature === 'mimic';
export const usesKd = (m: Method) => distillTerms(m).kd;

export class Distiller {
  readonly params: ParamStore;
  private readonly aligns: (FeatureMap | null)[];
  private readonly generators: MaskedFeatureMap[];
  private readonly maskRng: Rng;

  /** shapes: per hooked stage, student [H,W,Cs] and teacher [H,W,Ct] (same H,W). */
  constructor(
    readonly settings: DistillSettings,
    readonly shapes: { student: [number, number, number]; teacher: [number, number, number] }[],
    seed: number,
  ) {
    const rng = Rng.derive(seed, 2);
    this.maskRng = Rng.derive(seed, 3);
    this.params = new ParamStore('distill');
    this.aligns = shapes.map((s, i) => addAlign(this.params, rng, `align${i}`, s.student[2], s.teacher[2]));
    this.generators = usesMgd(settings.method)
      ? shapes.map((s, i) => addGenerator(this.params, rng, `gen${i}`, s.teacher[2], settings.gen.convs, settings.gen.kernel))
      : [];
  }

  /** align(S) for hooked stage i: the 1×1 conv, or S itself when the widths already match. */
  align(i: number, s: tf.Tensor4D): tf.Tensor4D {
    const f = this.aligns[i];
    return f ? f(s) : s;
  }

  /** A fresh random mask for an aligned feature [N,H,W,C]: [N,H,W,1] (pixel) or [N,1,1,C] (channel). */
  newMask(aligned: tf.Tensor4D): tf.Tensor4D {
    const [n, h, w, c] = aligned.shape;
    const { values, shape } = drawMask(this.maskRng, this.settings.mask, n, h, w, c, this.settings.lambda);
    return tf.tensor4d(values, shape);
  }

  /** G(align(S) ⊙ M) for hooked stage i. */
  generate(i: number, aligned: tf.Tensor4D, mask: tf.Tensor4D): tf.Tensor4D {
    return this.generators[i](aligned, mask);
  }

  losses(out: PairOutputs, labels: tf.Tensor1D): LossTerms {
    const { method, alpha, kdT, kdW } = this.settings;
    const task = crossEntropy(out.studentLogits, labels);
    const zero = tf.scalar(0);
    let featureRaw: tf.Scalar = zero;
    let difference: tf.Scalar = zero;
    let probe: tf.Scalar = zero;
    out.studentFeatures.forEach((s, i) => {
      const t = out.teacherFeatures[i];
      const trainsStudent = usesFeatures(method);
      const aligned = this.align(i, trainsStudent ? s : stopGradient(s));
      const diff = sumSquaredPerSample(aligned, t);
      if (!trainsStudent && this.aligns[i]) probe = tf.add(probe, diff);
      difference = tf.add(difference, diff);
      if (usesMimic(method)) featureRaw = tf.add(featureRaw, diff);
      if (usesMgd(method)) {
        featureRaw = tf.add(featureRaw, sumSquaredPerSample(this.generate(i, aligned, this.newMask(aligned)), t));
      }
    });
    let distill: tf.Scalar = tf.mul(featureRaw, alpha);
    if (usesKd(method)) distill = tf.add(distill, tf.mul(kdLoss(out.studentLogits, out.teacherLogits, kdT), kdW));
    const total = tf.add(tf.add(task, distill), probe) as tf.Scalar;
    return { total, task, distill, featureRaw, difference };
  }

  trainableVariables(): tf.Variable[] {
    return [...this.params.trainable.values()];
  }

  dispose(): void {
    this.params.dispose();
  }
}
