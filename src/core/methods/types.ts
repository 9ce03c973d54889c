/**
 * What a method is to the rest of the code: one declaration per method, read through the
 * registry (./registry.ts) by the schema (which rows it reads), the trainer (its loss terms and
 * α helper), the runner and the worker (which pipeline runs it), and the UI (its α formula).
 * Pure data: nothing here imports tensors, models or the schema, so any layer may read it.
 */

/** The pipeline that runs a method: the Distiller's one phase, or H-GKD's pretrain + fine-tune phases. */
export type MethodPipeline = 'distill' | 'hgkd';

/** The loss terms of a Distiller method (the MGD family). */
export interface DistillTerms {
  /** Feature term: none, plain mimicry Σ(align(S) − T)², or MGD's Σ(G(align(S) ⊙ M) − T)². */
  feature: 'none' | 'mimic' | 'mgd';
  kd: boolean; // adds kdW · KD(T) on the logits
}

export interface MethodDef<Id extends string = string> {
  id: Id;
  pipeline: MethodPipeline;
  /**
   * The schema rows only some methods read (keys of the config) that this one reads; rows no
   * method lists are read by every method. The form dims the others.
   */
  fields: readonly string[];
  /** Distiller methods only: which loss terms the step adds to CE. */
  terms: DistillTerms | null;
  /**
   * The α helper ("match task loss") and the formula shown under the α slider; null when the
   * method has no α-weighted feature term.
   */
  alpha: { formula: string } | null;
  /** Training steps a run of config `c` takes over all its phases. */
  totalSteps(c: { steps: number; ftSteps: number }): number;
}

/** A method declaration with its id and pipeline kept as literal types (the config's method unions are built from them). */
export const defineMethod = <const Id extends string, const P extends MethodPipeline>(d: MethodDef<Id> & { pipeline: P }): MethodDef<Id> & { pipeline: P } => d;
