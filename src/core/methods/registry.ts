/**
 * The one list of methods. Adding a method: a folder beside mgd/ and hgkd/ that declares it
 * (types.ts: MethodDef), and one line here.
 */
import { HGKD } from './hgkd';
import { KD_ONLY, MGD, MGD_FORMULA, MGD_KD, MIMIC, NONE } from './mgd';
import type { DistillTerms, MethodDef } from './types';

export const METHODS = [NONE, KD_ONLY, MIMIC, MGD, MGD_KD, HGKD] as const;

export type MethodId = (typeof METHODS)[number]['id'];
/** The methods the Distiller runs (pipeline 'distill'). */
export type DistillMethodId = Extract<(typeof METHODS)[number], { pipeline: 'distill' }>['id'];

export const METHOD_IDS = METHODS.map((m) => m.id) as unknown as readonly [MethodId, ...MethodId[]];

const BY_ID = new Map<string, MethodDef>(METHODS.map((m) => [m.id, m]));

/** The declaration of method `id`; throws on an id no method has (the schema rejects those first). */
export function methodOf(id: string): MethodDef {
  const m = BY_ID.get(id);
  if (!m) throw new Error(`unknown method '${id}' (known: ${METHOD_IDS.join(', ')})`);
  return m;
}

/** The loss terms of a Distiller method. */
export function distillTerms(id: string): DistillTerms {
  const t = methodOf(id).terms;
  if (!t) throw new Error(`method '${id}' does not run on the Distiller`);
  return t;
}

/** The methods that read config field `key`, or undefined when no method lists it (all read it). */
export function methodsReading(key: string): readonly MethodId[] | undefined {
  const ids = METHODS.filter((m) => m.fields.includes(key)).map((m) => m.id);
  return ids.length > 0 ? ids : undefined;
}

/** Whether method `id` runs on the Distiller (the MGD family). */
export const isDistillMethod = (id: string): id is DistillMethodId => methodOf(id).pipeline === 'distill';

/** The formula under the α slider for method `id`: its own, or MGD's (the slider's namesake) where α is unused. */
export const alphaFormula = (id: string): string => methodOf(id).alpha?.formula ?? MGD_FORMULA;
