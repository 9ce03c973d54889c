/**
 * Seeded hostile links for e2e/hostile-urls.spec.ts: every FIELDS key, each with values that are
 * valid, out of range, non-finite, garbage, unicode, very long or markup; repeated keys, unknown
 * keys, broken escapes and oversized inputs. Markup payloads bump `window.__pwned` if they ever run.
 */
import { type FieldDef, FIELDS, MAX_INPUT_LENGTH } from '../src/core/config';
import { Rng } from '../src/core/random';

const ROWS = FIELDS as readonly FieldDef[];

export const MARKUP = [
  '<img src=x onerror="window.__pwned=(window.__pwned||0)+1">',
  '<script>window.__pwned=(window.__pwned||0)+1</script>',
  '"><svg onload=window.__pwned=1>',
  "'><iframe srcdoc='<script>parent.__pwned=1</script>'>",
  'javascript:window.__pwned=1',
  '{{constructor.constructor("window.__pwned=1")()}}',
  '<a href="javascript:window.__pwned=1">x</a>',
];

const UNICODE = ['é', '数字', '🙂', '\u202e', '\u2028', '\u0000', '\ufeff', 'Ω≈ç√', '\u0301\u0301', '٣'];

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[rng.int(xs.length)];
}

function randomUnits(rng: Rng, n: number): string {
  return String.fromCharCode(...Array.from({ length: n }, () => rng.int(0x10000)));
}

/** A value for `f`: sometimes valid, often hostile. */
function value(rng: Rng, f: FieldDef): string {
  const r = rng.uniform();
  if (r < 0.2) {
    if (f.kind === 'choice') return pick(rng, f.choices);
    if (f.kind === 'text') return pick(rng, f.examples);
    if (f.kind === 'number') return String(f.min + rng.uniform() * (f.max - f.min));
    return pick(rng, ['0', '1']);
  }
  if (r < 0.35 && f.kind === 'number') return String(pick(rng, [f.min - 1, f.max + 1, f.max * 10, -f.max, f.min - 1e-9, 1e308 * 10, -0, 2 ** 53 + 1]));
  if (r < 0.45) return pick(rng, ['NaN', 'Infinity', '-Infinity', '1e999', '', '0x10', '1_000', ' 1 ', '%', '%zz', '%E0%A4%A', 'true', 'null', 'undefined', '[]', '{}']);
  if (r < 0.6) return encodeURIComponent(pick(rng, MARKUP));
  if (r < 0.7) return pick(rng, MARKUP); // raw, as a careless sharer would paste it
  if (r < 0.8) return Array.from({ length: 1 + rng.int(4) }, () => pick(rng, UNICODE)).join('');
  if (r < 0.88) return 'x'.repeat(100 + rng.int(3000)); // very long
  return encodeURIComponent(randomUnits(rng, 1 + rng.int(12)).replace(/[\uD800-\uDFFF]/g, '?'));
}

/** One link's query text (goes after `#`). */
function link(rng: Rng, i: number): string {
  const r = rng.uniform();
  if (r < 0.03) return 'steps=5&' + 'a=b&'.repeat(Math.ceil(MAX_INPUT_LENGTH / 4)); // oversized whole
  if (r < 0.06) return randomUnits(rng, 1 + rng.int(200)).replace(/[\uD800-\uDFFF#]/g, '?');
  const parts: string[] = [];
  // Field i mod n is always present, so every field is fuzzed ~1000/n times.
  const fields = [ROWS[i % ROWS.length], ...Array.from({ length: rng.int(6) }, () => pick(rng, ROWS))];
  for (const f of fields) {
    parts.push(`${f.key}=${value(rng, f)}`);
    if (rng.uniform() < 0.1) parts.push(`${f.key}=${value(rng, f)}`); // repeated key
  }
  if (rng.uniform() < 0.2) parts.push(`${pick(rng, ['__proto__', 'constructor', 'prototype', encodeURIComponent(pick(rng, MARKUP)), 'colour'])}=${value(rng, ROWS[0])}`);
  if (rng.uniform() < 0.05) parts.push(pick(rng, ROWS).key); // a key with no '='
  return parts.join('&');
}

/** `n` seeded links; never empty (an empty hash fires no hashchange). */
export function hostileLinks(seed: number, n: number): string[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => link(rng, i) || 'x');
}
