/**
 * The one list of methods. Adding a method: a folder beside mgd/ and hgkd/ that declares it
 * (types.ts: MethodDef) and, for a Distiller method, its loss term (term.ts), then one line here
 * and one in terms.ts.
 */
import { AT } from './at';
import { CRD } from './crd';
import { HGKD } from './hgkd';
import { OFD } from './ofd';
import { RKD } from './rkd';
import { SRRL } from './srrl';
import { WSLD } from './wsld';
import { KD_ONLY, MGD, MGD_FORMULA, MGD_KD, MIMIC, NONE } from './mgd';
import type { MethodDef } from './types';

export const METHODS = [NONE, KD_ONLY, MIMIC, MGD, MGD_KD, AT, RKD, WSLD, SRRL, CRD, OFD, HGKD] as const;

export type MethodId = (typeof METHODS)[number]['id'];
type DistillDef = Extract<(typeof METHODS)[number], { pipeline: 'distill' }>;
/** The methods the Distiller runs (pipeline 'distill'). */
export type DistillMethodId = DistillDef['id'];

export const METHOD_IDS = METHODS.map((m) => m.id) as unknown as readonly [MethodId, ...MethodId[]];

/** Rows Distiller methods list that the trainer reads, not the loss: the teacher, the hooked stages, the live schedules. */
const TRAINER_ROWS = ['teacher', 'stage', 'alphaAt', 'lambdaAt'] as const;
/** The config rows a Distiller method's loss reads (its hyper-parameters): the Distiller's settings. */
export type DistillFieldKey = Exclude<DistillDef['fields'][number], (typeof TRAINER_ROWS)[number]>;
export const DISTILL_FIELD_KEYS = [
  ...new Set(METHODS.filter((m) => m.pipeline === 'distill').flatMap((m): readonly string[] => m.fields)),
].filter((k) => !(TRAINER_ROWS as readonly string[]).includes(k)) as DistillFieldKey[];

const BY_ID = new Map<string, MethodDef>(METHODS.map((m) => [m.id, m]));

/** The declaration of method `id`; throws on an id no method has (the schema rejects those first). */
export function methodOf(id: string): MethodDef {
  const m = BY_ID.get(id);
  if (!m) throw new Error(`unknown method '${id}' (known: ${METHOD_IDS.join(', ')})`);
  return m;
}

/** The methods that read config field `key`, or undefined when no method lists it (all read it). */
export function methodsReading(key: string): readonly MethodId[] | undefined {
  const ids = METHODS.filter((m) => (m.fields as readonly string[]).includes(key)).map((m) => m.id);
  return ids.length > 0 ? ids : undefined;
}

/** Whether method `id` runs on the Distiller (the MGD family). */
export const isDistillMethod = (id: string): id is DistillMethodId => methodOf(id).pipeline === 'distill';

/** The formula under the α slider for method `id`: its own, or MGD's (the slider's namesake) where α is unused. */
export const alphaFormula = (id: string): string => methodOf(id).alpha?.formula ?? MGD_FORMULA;
