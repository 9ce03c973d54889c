/**
 * The URL format of an experiment: `key=value&…` with the keys and value grammars of FIELDS.
 * Decoding is total (never throws): every bad value becomes an issue and the field's default,
 * so any link opens something runnable. Encoding writes only non-default values (plus the seed),
 * after the link version, in table order, readable: `v=2&method=kd&student=resnet:8-16-32x1&stage=2,3&seed=7`.
 * A link without `v` was written before the training recipe and reads with that recipe
 * (./linkVersion.ts), so it reproduces the run it was made from.
 * Hand-rolled rather than URLSearchParams: `+` stays a plus, and malformed escapes or
 * `__proto__` keys become issues instead of exceptions or surprises.
 */
import type { FieldDef } from './fieldKinds';
import { type FieldKey, FIELDS } from './fields';
import { LEGACY_RECIPE, LINK_VERSION, VERSION_KEY } from './linkVersion';
import {
  type ConfigIssue,
  ConfigError,
  type ExperimentConfig,
  DEFAULT_CONFIG,
  checkValue,
  clip,
  crossCheck,
  fieldIssue,
  getField,
  shown,
} from './schema';

/** Longer input is ignored whole: no real config comes near it, and it bounds the work done. */
export const MAX_INPUT_LENGTH = 4096;

/** Always written, so a link pins the run even if a default seed changes later. */
const ALWAYS_ENCODED: ReadonlySet<FieldKey> = new Set<FieldKey>(['seed']);

type Params = Map<string, (string | null)[]>; // key → its values in order; null = malformed escape

function decodePart(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

function parseParams(text: string): Params {
  const out: Params = new Map();
  for (const piece of text.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const rawKey = eq < 0 ? piece : piece.slice(0, eq);
    const key = decodePart(rawKey) ?? rawKey;
    const value = decodePart(eq < 0 ? '' : piece.slice(eq + 1));
    const list = out.get(key);
    if (list) list.push(value);
    else out.set(key, [value]);
  }
  return out;
}

/** The query and hash parameter texts of a query string, `?…`, `#…` or a full URL. */
function splitInput(input: string): { query: string; hash: string } {
  const at = input.indexOf('#');
  const before = at < 0 ? input : input.slice(0, at);
  let hash = at < 0 ? '' : input.slice(at + 1);
  if (hash.startsWith('?')) hash = hash.slice(1);
  const q = before.indexOf('?');
  if (q >= 0) return { query: before.slice(q + 1), hash };
  const isLocation = /^[a-z][a-z0-9+.-]*:\/\//i.test(before) || before.startsWith('/');
  return { query: isLocation ? '' : before, hash };
}

/** Decodes a config from a URL or query string; bad values become issues and defaults. */
export function decodeConfig(input: string): { config: ExperimentConfig; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const text = typeof input === 'string' ? input.trim() : '';
  if (text.length > MAX_INPUT_LENGTH) {
    const message = `input of ${text.length} characters exceeds ${MAX_INPUT_LENGTH}; ignored, using the defaults`;
    issues.push({ field: '(input)', value: clip(text), level: 'warning', message });
    return { config: { ...DEFAULT_CONFIG }, issues };
  }
  const { query, hash } = splitInput(text);
  const fromQuery = parseParams(query);
  const fromHash = parseParams(hash);
  // Hash wins per key: the app writes its state to the hash, a server may add query params.
  const merged: Params = new Map([...fromQuery, ...fromHash]);
  const version = linkVersion(merged, issues);
  merged.delete(VERSION_KEY);
  const config: Record<string, unknown> = version === 1 ? { ...DEFAULT_CONFIG, ...LEGACY_RECIPE } : { ...DEFAULT_CONFIG };

  for (const [key, values] of merged) {
    const field = getField(key);
    if (!field) {
      const v = values[0] ?? '';
      issues.push({ field: clip(key), value: clip(v), level: 'warning', message: `unknown key ${shown(key)} ignored` });
      continue;
    }
    const distinct = [...new Set(values)];
    const raw = distinct[0];
    if (distinct.length > 1) {
      issues.push(fieldIssue(key, distinct.map((v) => v ?? '').join(' | '), `given ${values.length} times with different values`));
    } else if (raw === null) {
      issues.push(fieldIssue(key, '', 'malformed percent-encoding'));
    } else {
      const r = checkValue(field, field.fromText(raw));
      if (r.ok) config[key] = r.value;
      else issues.push(fieldIssue(key, raw, r.reason));
    }
  }
  // Each field now holds its default or a value its row accepted.
  const typed = config as ExperimentConfig;
  issues.push(...crossCheck(typed));
  return { config: typed, issues };
}

/**
 * The version a link is written in: its `v`, or 1 when it has none but names a field (every link
 * of before carries at least its seed); a link naming no field is a fresh start at the current
 * version. A `v` this playground does not write is an issue, and the link reads as current.
 */
function linkVersion(params: Params, issues: ConfigIssue[]): number {
  const values = params.get(VERSION_KEY);
  if (values === undefined) return [...params.keys()].some((k) => getField(k)) ? 1 : LINK_VERSION;
  const distinct = [...new Set(values)];
  const raw = distinct[0] ?? '';
  if (distinct.length > 1) issues.push(fieldIssue(VERSION_KEY, distinct.map((v) => v ?? '').join(' | '), `given ${values.length} times with different values`));
  else if (raw === '1' || raw === String(LINK_VERSION)) return Number(raw);
  else {
    const newer = /^\d{1,6}$/.test(raw) && Number(raw) > LINK_VERSION;
    issues.push(fieldIssue(VERSION_KEY, raw, newer ? `link version ${raw} is newer than this playground's (${LINK_VERSION})` : `must be a link version, 1 or ${LINK_VERSION}`));
  }
  return LINK_VERSION;
}

/** The link version `input` reads as (see linkVersion), e.g. for the runner to say which recipe a query got. */
export function linkVersionOf(input: string): number {
  const { query, hash } = splitInput(typeof input === 'string' ? input.trim() : '');
  return linkVersion(new Map([...parseParams(query), ...parseParams(hash)]), []);
}

/** decodeConfig for the headless runner: throws a ConfigError naming the first bad field. */
export function parseConfigStrict(input: string): ExperimentConfig {
  const { config, issues } = decodeConfig(input);
  const first = issues.find((i) => i.level === 'error');
  if (first) throw new ConfigError(first.field, first.value, first.message);
  return config;
}

/** Escapes only what must be: keeps `,` and `:` (spec strings, stage lists) readable. */
function escapeValue(s: string): string {
  let e: string;
  try {
    e = encodeURIComponent(s);
  } catch {
    e = encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, '\uFFFD')); // lone surrogates
  }
  return e.replace(/%2C/gi, ',').replace(/%3A/gi, ':');
}

/** Query string (no leading `?`): the link version, then the non-default values plus the seed, in FIELDS order. */
export function encodeConfig(config: ExperimentConfig): string {
  const parts: string[] = [`${VERSION_KEY}=${LINK_VERSION}`];
  const values = config as Record<string, unknown>;
  for (const f of FIELDS as readonly FieldDef[]) {
    const v = values[f.key];
    if (v === undefined) continue;
    // Each row's toText takes its own value type; `v` belongs to row `f`.
    const toText = f.toText as (value: unknown) => string;
    const t = toText(v);
    // Compared as text, which also covers parsed values ({convs, kernel}).
    if (t === toText(f.default) && !ALWAYS_ENCODED.has(f.key as FieldKey)) continue;
    parts.push(`${f.key}=${escapeValue(t)}`);
  }
  return parts.join('&');
}
