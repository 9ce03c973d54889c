/**
 * The config schema built from the field table (./fields.ts): the zod object of all fields,
 * the defaults, the checks of single values and the cross-field checks, and the issues and
 * errors a bad config is reported with.
 */
import * as z from 'zod';
import { resolveArch } from '../models/registry';
import { parseDatasetRef } from '../data/datasetRef';
import { methodOf } from '../methods/registry';
import { type FieldDef } from './fieldKinds';
import { FIELDS, type FieldKey, parseStage } from './fields';

type Row = (typeof FIELDS)[number];

/** zod object of all fields, e.g. to check a config that crossed a postMessage or a JSON file. */
export const ConfigSchema = z.object(
  Object.fromEntries(FIELDS.map((f) => [f.key, f.schema])) as { [R in Row as R['key']]: R['schema'] },
);
export type ExperimentConfig = z.infer<typeof ConfigSchema>;

export const FIELD_KEYS: readonly FieldKey[] = FIELDS.map((f) => f.key);

/** Frozen, nested values too: decoded configs share default values with it. */
export const DEFAULT_CONFIG: Readonly<ExperimentConfig> = Object.freeze(
  Object.fromEntries(FIELDS.map((f) => [f.key, Object.freeze(f.default)])) as ExperimentConfig,
);

/** The row for a key; undefined for anything else (including `__proto__` and friends). */
export function getField(key: string): FieldDef | undefined {
  return (FIELDS as readonly FieldDef[]).find((f) => f.key === key);
}

// ---------------------------------------------------------------------------------------------
// Issues and errors
// ---------------------------------------------------------------------------------------------

export interface ConfigIssue {
  field: string; // a FIELDS key (or the link version's `v`) for errors; the unknown key (or '(input)') for warnings
  value: string; // the rejected text, shortened
  level: 'error' | 'warning';
  message: string;
}

/** Thrown by parseConfigStrict; the runner exits with code 2 naming `field`. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly field: string, readonly value: string, message: string) {
    super(message);
  }
}

/** A rejected value as text, at most 64 characters (+ …): issues stay small whatever comes in. */
export function clip(value: unknown): string {
  let s: string;
  try {
    s = typeof value === 'string' ? value : String(value);
  } catch {
    s = Object.prototype.toString.call(value); // e.g. an object without a prototype
  }
  return s.length > 64 ? `${s.slice(0, 64)}…` : s;
}

/** A rejected value as quoted in messages: clipped, with control characters escaped. */
export function shown(value: unknown): string {
  return JSON.stringify(clip(value));
}

/** Checks one value against its row: the normalised value, or the reason it was rejected. */
export function checkValue(field: FieldDef, value: unknown): { ok: true; value: unknown } | { ok: false; reason: string } {
  const r = field.schema.safeParse(value);
  return r.success ? { ok: true, value: r.data } : { ok: false, reason: r.error.issues[0]?.message ?? 'invalid' };
}

export function fieldIssue(field: string, value: unknown, reason: string): ConfigIssue {
  return { field, value: clip(value), level: 'error', message: `${field}: rejected ${shown(value)}: ${reason}; using the default` };
}

// ---------------------------------------------------------------------------------------------
// Cross-field checks: run after every field is valid on its own; a failure resets `field`.
// ---------------------------------------------------------------------------------------------

function stageCount(idOrSpec: string): number {
  return resolveArch(idOrSpec).widths.length;
}

/** 0-based stage indices to hook. Indices are shared so teacher and student features have equal H×W. */
export function resolveStages(config: Pick<ExperimentConfig, 'stage' | 'teacher' | 'student'>): number[] {
  const n = Math.min(stageCount(config.teacher), stageCount(config.student));
  const s = parseStage(config.stage);
  if (s === 'last') return [n - 1];
  if (s[s.length - 1] > n) throw new ConfigError('stage', config.stage, `stage ${s[s.length - 1]} exceeds the ${n} stages of the chosen models`);
  return s.map((i) => i - 1);
}

interface CrossCheck {
  field: FieldKey; // reset to its default when the check fails
  check(config: ExperimentConfig): string | null; // reason, or null when fine
}

/** Why a student cannot be H-GKD's (resnet, its deepest scale a multiple of the teacher's 7×7 grid), or null. */
export function hgkdStudentProblem(idOrSpec: string): string | null {
  const spec = resolveArch(idOrSpec);
  if (spec.family !== 'resnet') return `hgkd needs a resnet student, not ${spec.family}`;
  if (spec.widths.length > 3) return `hgkd needs a student of at most 3 stages (28 → 14 → 7 meets the teacher's 7×7 grid)`;
  return null;
}

export const CROSS_CHECKS: readonly CrossCheck[] = [
  {
    // The MIM teachers are shipped for the built-in datasets only (28×28×1, its 7×7 patch grid); first,
    // so the student check below sees the method it falls back to.
    field: 'method',
    check: (c) => (methodOf(c.method).pipeline === 'hgkd' && parseDatasetRef(c.dataset).kind !== 'builtin' ? 'hgkd runs on the built-in datasets only (its MIM teachers are shipped for mnist and fashion)' : null),
  },
  {
    field: 'student',
    check: (c) => (methodOf(c.method).pipeline === 'hgkd' ? hgkdStudentProblem(c.student) : null),
  },
  {
    field: 'stage',
    check: (c) => {
      const nT = stageCount(c.teacher);
      const nS = stageCount(c.student);
      const s = parseStage(c.stage);
      const worst = s === 'last' ? 0 : Math.max(...s);
      return worst > Math.min(nT, nS) ? `stage ${worst} exceeds the stages of teacher (${nT}) or student (${nS})` : null;
    },
  },
];

/**
 * Validates a partial config (form edits, runner overrides): every given value is checked by
 * its row; bad ones and missing ones take the default. Never throws.
 */
export function validateConfig(partial: Partial<ExperimentConfig>): { config: ExperimentConfig; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  // Checked as untyped data: JS callers and JSON can pass anything.
  const given: Record<string, unknown> = partial !== null && typeof partial === 'object' ? partial : {};
  const out: Record<string, unknown> = {};
  for (const f of FIELDS as readonly FieldDef[]) {
    const v = Object.prototype.hasOwnProperty.call(given, f.key) ? given[f.key] : undefined;
    if (v === undefined) {
      out[f.key] = f.default;
      continue;
    }
    const r = checkValue(f, v);
    if (r.ok) out[f.key] = r.value;
    else {
      out[f.key] = f.default;
      issues.push(fieldIssue(f.key, v, r.reason));
    }
  }
  for (const k of Object.keys(given)) {
    if (!getField(k)) issues.push({ field: clip(k), value: clip(given[k]), level: 'warning', message: `unknown key ${shown(k)} ignored` });
  }
  // Every value above passed its row's schema, so this is an ExperimentConfig.
  const config = out as ExperimentConfig;
  issues.push(...crossCheck(config));
  return { config, issues };
}

/** Runs CROSS_CHECKS on a config whose fields are each valid, resetting failures in place. */
export function crossCheck(config: ExperimentConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const x of CROSS_CHECKS) {
    const reason = x.check(config);
    if (reason !== null) {
      issues.push(fieldIssue(x.field, config[x.field], reason));
      (config as Record<string, unknown>)[x.field] = getField(x.field)!.default;
    }
  }
  return issues;
}
