/**
 * What a method is to the rest of the code: one declaration per method, read through the
 * registry (./registry.ts) by the schema (which rows it reads), the trainer (its α helper), the
 * runner and the worker (which pipeline runs it), and the UI (its formula in the picker, its α
 * formula). Pure data: nothing here imports tensors, models or the schema, so any layer may read
 * it. A Distiller method's loss is its tensor side, registered apart in ./terms.ts (so the UI,
 * which reads this, never pulls in tfjs).
 */

/** The pipeline that runs a method: the Distiller's one phase, or H-GKD's pretrain + fine-tune phases. */
export type MethodPipeline = 'distill' | 'hgkd';

export interface MethodDef<Id extends string = string, F extends readonly string[] = readonly string[]> {
  id: Id;
  pipeline: MethodPipeline;
  /**
   * The schema rows only some methods read (keys of the config) that this one reads; rows no
   * method lists are read by every method. The form dims the others; the Distiller's settings
   * are the rows its methods list.
   */
  fields: F;
  /** The whole loss in one line, shown under the method picker. */
  formula: string;
  /**
   * The α helper ("match task loss") and the formula shown under the α slider; null when the
   * method has no α-weighted feature term.
   */
  alpha: { formula: string } | null;
  /** Training steps a run of config `c` takes over all its phases. */
  totalSteps(c: { steps: number; ftSteps: number }): number;
}

/** A method declaration with its id, pipeline and rows kept as literal types (the config's method unions and the Distiller's settings are built from them). */
export const defineMethod = <const Id extends string, const P extends MethodPipeline, const F extends readonly string[]>(
  d: MethodDef<Id, F> & { pipeline: P },
): MethodDef<Id, F> & { pipeline: P } => d;
