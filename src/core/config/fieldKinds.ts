/**
 * The kinds of row the field table (./fields.ts) is made of, and their builders: each builder
 * gives a row its zod schema (which decides validity and normalises), how its text form reads
 * (`fromText`) and writes (`toText`). The table says what the settings are; this says how a
 * setting of each kind behaves.
 */
import './zodJitless';
import * as z from 'zod';

/** Where a field sits in the form. */
export type FieldGroup = 'data' | 'models' | 'method' | 'training' | 'runtime';

export interface Meta {
  label: string; // short label for the form
  tooltip: string; // one line: what it means, with its formula
  group: FieldGroup;
  /** The methods that read this field (absent: all), from the method registry; the form dims it for the others. */
  methods?: readonly string[];
  /** Read only while another field holds one of `values` (cosine's floor, SGD's momentum); the form dims it otherwise. */
  readWhen?: { key: string; values: readonly string[] };
}

interface FieldBase<K extends string, T> extends Meta {
  key: K; // URL key and config property
  default: T;
  schema: z.ZodType<T>; // validity of a value; may normalise (spec strings)
  /** Text from a URL → candidate value for `schema` (never throws; bad text fails the schema). */
  fromText(text: string): unknown;
  /** Value → URL text; must round-trip through fromText + schema exactly. */
  toText(value: T): string;
}

export interface ChoiceField<K extends string = string, T extends string = string> extends FieldBase<K, T> {
  kind: 'choice';
  choices: readonly T[];
}

export interface NumberField<K extends string = string> extends FieldBase<K, number> {
  kind: 'number';
  min: number; // valid range, inclusive
  max: number;
  integer: boolean;
  log: boolean; // log-scale slider
  slider: { min: number; max: number }; // slider span (may be narrower than the valid range)
}

/**
 * Text with a grammar (spec strings, `2x3`, `2,3`); `examples` feed a datalist and docs. The value
 * may be the text itself (normalised) or its parsed form (`gen` → {convs, kernel}).
 */
export interface TextField<K extends string = string, T = unknown> extends FieldBase<K, T> {
  kind: 'text';
  grammar: string; // human-readable form, e.g. `<convs>x<kernel>`
  examples: readonly string[];
}

/** On/off switch (ablations); written `1` / `0` in URLs. */
export interface FlagField<K extends string = string> extends FieldBase<K, boolean> {
  kind: 'flag';
}

export type FieldDef = ChoiceField | NumberField | TextField | FlagField;

export function choice<const K extends string, const T extends string>(
  key: K,
  choices: readonly [T, ...T[]],
  def: NoInfer<T>,
  meta: Meta,
): ChoiceField<K, T> {
  const schema = z.enum(choices as unknown as [T, ...T[]], { error: `must be one of ${choices.join(', ')}` });
  return { ...meta, kind: 'choice', key, default: def, choices, schema: schema as z.ZodType<T>, fromText: (t) => t, toText: (v) => v };
}

// Plain decimal or exponent notation only: no hex, no whitespace, no empty string (Number('') is 0).
const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

export function num<const K extends string>(
  key: K,
  o: Meta & {
    default: number;
    min: number;
    max: number;
    integer?: boolean;
    log?: boolean;
    slider?: { min: number; max: number };
    refine?: { check: (x: number) => boolean; message: string };
  },
): NumberField<K> {
  const { default: def, min, max, integer = false, log = false, slider = { min, max }, refine, ...meta } = o;
  let s = z.number({ error: (iss) => (typeof iss.input === 'number' ? 'must be a finite number' : 'must be a number') });
  if (integer) s = s.int({ error: 'must be a whole number' });
  s = s.min(min, { error: `must be ≥ ${min}` }).max(max, { error: `must be ≤ ${max}` });
  const checked = refine ? s.refine(refine.check, { error: refine.message }) : s;
  // `+ 0` turns -0 into 0 so that String(x) round-trips exactly.
  const schema = checked.transform((x) => x + 0);
  return {
    ...meta, kind: 'number', key, default: def, min, max, integer, log, slider, schema,
    fromText: (t) => (NUMERIC.test(t) ? Number(t) : t),
    toText: (v) => String(v),
  };
}

/** A field whose value is its text, normalised by `parse` (which throws with a reason). */
export function text<const K extends string>(
  key: K,
  o: Meta & { default: string; grammar: string; examples: readonly string[]; parse: (t: string) => string },
): TextField<K, string> {
  const format = (v: string): string => {
    if (typeof v !== 'string') throw new Error(`must be text like ${o.grammar}`);
    return v;
  };
  return parsed(key, { ...o, format });
}

/**
 * A field written as text but held parsed: `parse` text → value (throws with a reason),
 * `format` value → text. The schema takes the text or an already parsed value (form, runner)
 * and re-parses `format(value)`, so both routes meet the same checks.
 */
export function parsed<const K extends string, T>(
  key: K,
  o: Meta & { default: T; grammar: string; examples: readonly string[]; parse: (t: string) => T; format: (v: T) => string },
): TextField<K, T> {
  const { default: def, grammar, examples, parse, format, ...meta } = o;
  const schema = z.unknown().transform((input, ctx): T => {
    try {
      if (typeof input === 'string') return parse(input);
      if (typeof input === 'object' && input !== null) return parse(format(input as T));
      throw new Error(`must be text like ${grammar}`);
    } catch (e) {
      ctx.issues.push({ code: 'custom', input, message: e instanceof Error ? e.message : 'malformed value' });
      return z.NEVER;
    }
  });
  return { ...meta, kind: 'text', key, default: def, grammar, examples, schema, fromText: (t) => t, toText: format };
}

/** On/off row (H-GKD's ablation switches). */
export function flag<const K extends string>(key: K, o: Meta & { default: boolean }): FlagField<K> {
  const { default: def, ...meta } = o;
  const schema = z.boolean({ error: 'must be 1 or 0' });
  const fromText = (t: string): unknown => (t === '1' || t === 'true' ? true : t === '0' || t === 'false' ? false : t);
  return { ...meta, kind: 'flag', key, default: def, schema, fromText, toText: (v) => (v ? '1' : '0') };
}
