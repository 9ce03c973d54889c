/**
 * Fuzzing the URL decoder: thousands of random and garbage inputs. Whatever comes in, decoding
 * must not throw, must give a config that passes validation, and every error must name a field.
 */
import { describe, expect, it } from 'vitest';
import {
  type ConfigIssue,
  type ExperimentConfig,
  type FieldDef,
  ConfigError,
  ConfigSchema,
  FIELDS,
  FIELD_KEYS,
  VERSION_KEY,
  decodeConfig,
  encodeConfig,
  parseConfigStrict,
  validateConfig,
} from '../src/core/config';
import { Rng } from '../src/core/random';

const ROWS = FIELDS as readonly FieldDef[];
const KEYS = new Set<string>([...FIELD_KEYS, VERSION_KEY]); // an error names a field or the link version

/** Returns a description of what is wrong with one decode result, or null. */
function problem(input: string, result: { config: ExperimentConfig; issues: ConfigIssue[] }): string | null {
  const { config, issues } = result;
  if (!ConfigSchema.safeParse(config).success) return `schema rejects the config of ${JSON.stringify(input)}`;
  if (validateConfig(config).issues.length > 0) return `config of ${JSON.stringify(input)} does not validate`;
  if (Object.keys(config).join() !== FIELD_KEYS.join()) return `config of ${JSON.stringify(input)} has other keys`;
  for (const i of issues) {
    if (i.level === 'error' && !KEYS.has(i.field)) return `error names no field: ${JSON.stringify(i)}`;
    if (i.level !== 'error' && i.level !== 'warning') return `bad level: ${JSON.stringify(i)}`;
    if (typeof i.message !== 'string' || i.message === '' || typeof i.value !== 'string') return `bad issue: ${JSON.stringify(i)}`;
    if (i.value.length > 80) return `issue value not shortened: ${i.value.length} chars`;
  }
  // Strict parsing agrees: throws a ConfigError exactly when there is an error.
  const hasError = issues.some((i) => i.level === 'error');
  try {
    parseConfigStrict(input);
    if (hasError) return `strict parse accepted ${JSON.stringify(input)}`;
  } catch (e) {
    if (!(e instanceof ConfigError) || !hasError || !KEYS.has(e.field)) return `strict parse threw ${String(e)}`;
  }
  return null;
}

function check(inputs: string[]): void {
  const failures: string[] = [];
  for (const input of inputs) {
    let p: string | null;
    try {
      p = problem(input, decodeConfig(input));
    } catch (e) {
      p = `threw on ${JSON.stringify(input)}: ${String(e)}`;
    }
    if (p) failures.push(p);
    if (failures.length >= 5) break;
  }
  expect(failures).toEqual([]);
}

// ---------------------------------------------------------------------------------------------
// Input generators
// ---------------------------------------------------------------------------------------------

const ALPHABET = '=&?#%+,:;/.-_x0123456789abcdefABCDEF <>"\'\\\u0000\u00e9\u2028\ud83d\ude00';

function randomUnits(rng: Rng, n: number): string {
  // Any UTF-16 code unit, lone surrogates included.
  return String.fromCharCode(...Array.from({ length: n }, () => rng.int(0x10000)));
}

function randomChars(rng: Rng, n: number): string {
  return Array.from({ length: n }, () => ALPHABET[rng.int(ALPHABET.length)]).join('');
}

/** A value that is sometimes valid, sometimes almost valid, sometimes junk. */
function randomText(rng: Rng, f: FieldDef | undefined): string {
  const r = rng.uniform();
  if (f && r < 0.3) {
    if (f.kind === 'choice') return f.choices[rng.int(f.choices.length)];
    if (f.kind === 'text') return f.examples[rng.int(f.examples.length)];
    if (f.kind === 'number') return String(f.min + rng.uniform() * (f.max - f.min) * 1.2);
  }
  if (r < 0.45) return ['NaN', 'Infinity', '-1', '1e999', '', '0', '1.5', '%', '%zz', '%E0%A4%A', '<script>', 'last', '2,3', '9'][rng.int(14)];
  if (r < 0.6) return String(rng.normal() * 10 ** rng.int(12));
  if (r < 0.8) return randomChars(rng, rng.int(20));
  return randomUnits(rng, rng.int(12));
}

function randomPairs(rng: Rng): string {
  const n = rng.int(8);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const f = rng.uniform() < 0.8 ? ROWS[rng.int(ROWS.length)] : undefined;
    const key = f ? f.key : randomText(rng, undefined);
    parts.push(rng.uniform() < 0.05 ? key : `${key}=${randomText(rng, f)}`);
  }
  const sep = ['', '?', '#', 'http://localhost:5173/?', '/#'][rng.int(5)];
  const mid = rng.int(parts.length + 1);
  return rng.uniform() < 0.3 ? `${sep}${parts.slice(0, mid).join('&')}#${parts.slice(mid).join('&')}` : sep + parts.join('&');
}

/** A valid encoding (decoded from random pairs, so valid by construction), then damaged. */
function damagedEncoding(rng: Rng): string[] {
  const url = encodeConfig(decodeConfig(randomPairs(rng)).config);
  const cut = rng.int(url.length + 1);
  const at = rng.int(Math.max(1, url.length));
  return [
    url.slice(0, cut),
    url.slice(cut),
    url.slice(0, at) + randomChars(rng, 1) + url.slice(at + 1),
    url.slice(0, at) + url.slice(at + 1 + rng.int(5)),
    `${url}&${url.slice(0, cut)}`,
  ];
}

// ---------------------------------------------------------------------------------------------

describe('decodeConfig under fuzzing', () => {
  it('survives random code units', () => {
    const rng = new Rng(1);
    check(Array.from({ length: 2000 }, () => randomUnits(rng, rng.int(200))));
  });

  it('survives random characters from the URL alphabet', () => {
    const rng = new Rng(2);
    check(Array.from({ length: 2000 }, () => randomChars(rng, rng.int(120))));
  });

  it('survives random key=value pairs with junk values', () => {
    const rng = new Rng(3);
    check(Array.from({ length: 3000 }, () => randomPairs(rng)));
  });

  it('survives truncated and damaged encodings', () => {
    const rng = new Rng(4);
    check(Array.from({ length: 600 }, () => damagedEncoding(rng)).flat());
  });

  it('survives oversized input', () => {
    const rng = new Rng(5);
    check([randomChars(rng, 5000), `steps=5&${'a=b&'.repeat(2000)}`, '%'.repeat(4097), '&'.repeat(4096)]);
  });
});

describe('validateConfig under fuzzing', () => {
  it('never throws and always returns a valid config', () => {
    const rng = new Rng(6);
    const junk = (): unknown => {
      const pick = rng.int(10);
      if (pick === 0) return null;
      if (pick === 1) return Number.NaN;
      if (pick === 2) return rng.normal() * 1e6;
      if (pick === 3) return randomUnits(rng, rng.int(10));
      if (pick === 4) return { convs: rng.int(5), kernel: rng.int(6) };
      if (pick === 5) return [1, 2];
      if (pick === 6) return Object.create(null);
      if (pick === 7) return rng.uniform() < 0.5;
      if (pick === 8) return -Infinity;
      return randomText(rng, ROWS[rng.int(ROWS.length)]);
    };
    const failures: string[] = [];
    for (let n = 0; n < 2000; n++) {
      const partial: Record<string, unknown> = {};
      for (const f of ROWS) if (rng.uniform() < 0.4) partial[f.key] = junk();
      if (rng.uniform() < 0.2) partial[randomChars(rng, 5)] = junk();
      try {
        const { config, issues } = validateConfig(partial as Partial<ExperimentConfig>);
        if (!ConfigSchema.safeParse(config).success) failures.push('invalid config');
        if (issues.some((i) => i.level === 'error' && !KEYS.has(i.field))) failures.push('error names no field');
        if (validateConfig(config).issues.length > 0) failures.push('result does not re-validate');
      } catch (e) {
        failures.push(`threw: ${String(e)}`);
      }
      if (failures.length >= 5) break;
    }
    expect(failures).toEqual([]);
  });
});
