/**
 * The tensor side of a Distiller method: its loss term(s) and the trainable heads they need,
 * declared in the method's own folder and registered in ./terms.ts. The Distiller
 * (core/distill/distiller.ts) adds CE, the per-stage align(S) and the "difference" metric, and
 * calls the term generically: a new method never edits the Distiller or the trainer. Nothing here
 * imports the config or the Distiller (they import this), so the methods folder stays below them.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ParamStore } from '../models/params';
import type { PreReluBn } from '../models/net';
import type { Rng } from '../random';

/** One hooked stage: student [H, W, Cs] and teacher [H, W, Ct] (same H, W). */
export interface HookedStage {
  student: [number, number, number];
  teacher: [number, number, number];
  teacherBn: PreReluBn; // the teacher's BN before the stage's last ReLU, [Ct] (OFD's margin)
}

/**
 * What a term may build its heads from (called once, when the Distiller is made). S: the config
 * rows it reads (its hyper-parameters); the Distiller checks that its settings hold them.
 */
export interface TermContext<S> {
  params: ParamStore; // where its trainable heads go (trained with the student, dropped at inference)
  rng: Rng; // their initialisation, after the align convs'
  maskRng: Rng; // its per-step randomness (MGD's masks)
  settings: S; // read at every step: α and λ change live
  stages: readonly HookedStage[];
  pooled: { student: number; teacher: number }; // penultimate widths Cs_last, Ct_last
  trainSize: number; // images in the train (sub)set: per-image state (CRD's memory banks) has a row each
}

/** One step's tensors. Teacher tensors carry no gradient; student ones do. */
export interface TermInputs {
  labels: tf.Tensor1D; // [N] int32
  studentLogits: tf.Tensor2D; // [N, K]
  teacherLogits: tf.Tensor2D; // [N, K]
  studentFeatures: tf.Tensor4D[]; // per hooked stage [N, H, W, Cs]
  teacherFeatures: tf.Tensor4D[]; // per hooked stage [N, H, W, Ct]
  /** The same stages before their last ReLU (features = relu of these); null unless the term readsPreRelu. */
  preRelu: { student: tf.Tensor4D[]; teacher: tf.Tensor4D[] } | null;
  aligned: tf.Tensor4D[]; // per hooked stage align(S) [N, H, W, Ct]; carries S's gradient only when the term says alignsStudent
  differences: tf.Scalar[]; // per hooked stage Σ(align(S) − T)²/N
  studentLast: tf.Tensor4D; // the student's last stage (whichever stages are hooked) [N, H_last, W_last, Cs_last]
  studentPooled: tf.Tensor2D; // penultimate (globally pooled last stage) [N, Cs_last]
  teacherPooled: tf.Tensor2D; // [N, Ct_last]
  teacherHead: (pooled: tf.Tensor2D) => tf.Tensor2D; // the teacher's frozen classifier [N, Ct_last] → [N, K]
  rows: Int32Array | null; // [N] each image's row in the train (sub)set, 0 … trainSize − 1; null outside a training step
}

export interface TermValue {
  distill: tf.Scalar; // weighted, added to CE
  feature: tf.Scalar; // the unweighted feature term (what α scales; 0 when none)
}

export interface BuiltTerm {
  loss(x: TermInputs): TermValue;
  /** MGD only: G(align(S) ⊙ mask) of hooked stage i, for the feature-map panel. */
  generate?(i: number, aligned: tf.Tensor4D, mask: tf.Tensor4D): tf.Tensor4D;
  /** After the optimiser's step: state that follows the training (CRD's memory banks) moves here, never in loss(). */
  afterStep?(): void;
  /** Releases what the term holds beyond its ParamStore entries. */
  dispose?(): void;
}

export interface MethodTerm<S> {
  /** Whether the loss trains the student through align(S); otherwise align is a probe on stop-gradient S. */
  alignsStudent: boolean;
  /** Whether the loss reads the hooked stages before their last ReLU (the teacher's are then kept too). */
  readsPreRelu?: true;
  // A property, not a method: its parameter is then checked contravariantly, so a term that reads a
  // row the Distiller's settings lack does not type-check (core/distill/distiller.ts).
  build: (ctx: TermContext<S>) => BuiltTerm;
}
