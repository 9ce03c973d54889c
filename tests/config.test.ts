import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type ExperimentConfig,
  type FieldDef,
  type GenShape,
  type NumberField,
  ConfigError,
  ConfigSchema,
  DEFAULT_CONFIG,
  FIELDS,
  FIELD_KEYS,
  LEGACY_RECIPE,
  MAX_INPUT_LENGTH,
  PRESETS,
  PRESET_IDS,
  decodeConfig,
  encodeConfig,
  flag,
  linkVersionOf,
  getField,
  paperScaledAlpha,
  parseConfigStrict,
  resolveStages,
  validateConfig,
} from '../src/core/config';
import { FAMILIES, SPEC_LIMITS } from '../src/core/models/spec';
import { STUDENT_IDS, TEACHER_IDS } from '../src/core/models/registry';
import { Rng } from '../src/core/random';

const ROWS = FIELDS as readonly FieldDef[];
const numberRows = ROWS.filter((f): f is NumberField => f.kind === 'number');
const errors = (input: string) => decodeConfig(input).issues.filter((i) => i.level === 'error');
/** What a link without `v` (written before the recipe rows) starts from. */
const V1: ExperimentConfig = { ...DEFAULT_CONFIG, ...LEGACY_RECIPE };

/** Decodes `key=value` and returns the field's value and the issues. */
function decodeOne(key: string, value: string) {
  const { config, issues } = decodeConfig(`v=2&${key}=${encodeURIComponent(value)}`);
  return { value: (config as Record<string, unknown>)[key], issues };
}

function expectAccepted(key: string, text: string, expected?: unknown) {
  const r = decodeOne(key, text);
  expect(r.issues, `${key}=${text}`).toEqual([]);
  if (expected !== undefined) expect(r.value).toEqual(expected);
}

function expectRejected(key: string, text: string) {
  const r = decodeOne(key, text);
  expect(r.value, `${key}=${text}`).toEqual(getField(key)!.default);
  expect(r.issues, `${key}=${text}`).toHaveLength(1);
  expect(r.issues[0]).toMatchObject({ field: key, level: 'error' });
  expect(r.issues[0].message).toContain(key);
}

// ---------------------------------------------------------------------------------------------
// A random valid config generator driven by the table (shared by the round-trip tests).
// ---------------------------------------------------------------------------------------------

function randomSpec(rng: Rng): string {
  const L = SPEC_LIMITS;
  const n = L.minStages + rng.int(L.maxStages - L.minStages + 1);
  const widths = Array.from({ length: n }, () => L.minWidth + rng.int(L.maxWidth - L.minWidth + 1));
  const blocks = Array.from({ length: rng.uniform() < 0.5 ? 1 : n }, () => L.minBlocks + rng.int(L.maxBlocks));
  return `${FAMILIES[rng.int(FAMILIES.length)]}:${widths.join('-')}x${blocks.join('-')}`;
}

function randomNumber(f: NumberField, rng: Rng): number {
  const r = rng.uniform();
  if (r < 0.1) return f.min;
  if (r < 0.2) return f.max;
  let x: number;
  if (f.log) {
    const lo = Math.log(Math.max(f.min, f.slider.min));
    x = Math.exp(lo + rng.uniform() * (Math.log(f.max) - lo));
  } else x = f.min + rng.uniform() * (f.max - f.min);
  return f.integer ? Math.min(f.max, Math.max(f.min, Math.round(x))) : Math.min(f.max, x);
}

function randomValue(f: FieldDef, rng: Rng): unknown {
  switch (f.kind) {
    case 'choice':
      return f.choices[rng.int(f.choices.length)];
    case 'number': {
      const x = randomNumber(f, rng);
      return f.key === 'subset' && x > 0 && x < 10 ? 0 : x; // the row's refinement: 0 (all) or ≥ 10
    }
    case 'flag':
      return rng.uniform() < 0.5;
    case 'text':
      if (f.key === 'student' && rng.uniform() < 0.6) return randomSpec(rng);
      if (f.key === 'stage' && rng.uniform() < 0.6) {
        const picks = rng.shuffle([1, 2, 3, 4]).slice(0, 1 + rng.int(3));
        return picks.join(',');
      }
      return f.examples[rng.int(f.examples.length)];
  }
}

/** A valid config: random values from the table, then validated (bad combos fall back). */
function randomConfig(rng: Rng): ExperimentConfig {
  const raw: Record<string, unknown> = {};
  for (const f of ROWS) if (rng.uniform() < 0.7) raw[f.key] = randomValue(f, rng);
  const { config, issues } = validateConfig(raw as Partial<ExperimentConfig>);
  // Only the cross-field checks (stage; student for hgkd; hgkd on an imported dataset) may reset something.
  const crossReset = (i: { field: string }) => i.field === 'stage' || (i.field === 'student' && config.method === 'hgkd') || (i.field === 'method' && config.dataset.startsWith('import-'));
  expect(issues.filter((i) => !crossReset(i))).toEqual([]);
  return config;
}

// ---------------------------------------------------------------------------------------------

describe('the field table', () => {
  it('says which methods read each method-specific field', () => {
    const methods = (getField('method') as FieldDef & { choices: readonly string[] }).choices;
    const readers = (m: string) => (FIELDS as readonly FieldDef[]).filter((f) => !f.methods || f.methods.includes(m)).map((f) => f.key);
    for (const f of FIELDS as readonly FieldDef[]) for (const m of f.methods ?? []) expect(methods, f.key).toContain(m);
    expect(readers('none')).not.toContain('alpha');
    expect(readers('mimic')).toEqual(expect.arrayContaining(['alpha', 'stage', 'teacher']));
    expect(readers('mimic')).not.toContain('lambda');
    expect(readers('mgd')).toEqual(expect.arrayContaining(['alpha', 'lambda', 'mask', 'gen']));
    expect(readers('mgd')).not.toContain('maskRatio');
    expect(readers('hgkd')).toEqual(expect.arrayContaining(['mimTeacher', 'maskRatio', 'queue', 'tau', 'sparse', 'unet', 'sim', 'ftSteps', 'student', 'lr']));
    expect(readers('hgkd')).not.toContain('alpha');
    expect(readers('hgkd')).not.toContain('teacher');
  });

  it('lists the fields in a stable order', () => {
    expect(FIELD_KEYS).toEqual([
      'dataset', 'teacher', 'student', 'method', 'alpha', 'lambda', 'alphaAt', 'lambdaAt', 'mask', 'gen', 'stage',
      'kdT', 'kdW', 'atBeta', 'rkdDist', 'rkdAngle', 'wsldT', 'wsldW', 'srrlW', 'crdW', 'crdK', 'ofdW', 'mimTeacher', 'maskRatio', 'queue', 'tau', 'mseW', 'simW', 'sparse', 'unet', 'sim',
      'ftSteps', 'ftMode', 'lr', 'lrSchedule', 'lrFloor', 'lrEvery', 'lrGamma', 'warmup', 'optimizer', 'momentum', 'wd', 'batch', 'steps', 'subset', 'eval', 'testSize', 'finalTest', 'seed', 'backend',
    ]);
  });

  it('has the documented defaults', () => {
    expect(DEFAULT_CONFIG).toEqual({
      dataset: 'mnist', teacher: 'resnet-t', student: 'resnet-s', method: 'mgd', alpha: 5.6e-4, lambda: 0.5, alphaAt: [], lambdaAt: [],
      mask: 'pixel', gen: { convs: 2, kernel: 3 }, stage: 'last', kdT: 4, kdW: 1, atBeta: 1000, rkdDist: 25, rkdAngle: 50, wsldT: 2, wsldW: 2.25, srrlW: 1, crdW: 0.8, crdK: 1024, ofdW: 1e-3,
      mimTeacher: 'vit-mim', maskRatio: 0.6, queue: 1024, tau: 0.05, mseW: 1, simW: 1, sparse: true, unet: true, sim: true,
      ftSteps: 300, ftMode: 'finetune', lr: 1e-3, lrSchedule: 'cosine', lrFloor: 0, lrEvery: 100, lrGamma: 0.1, warmup: 0,
      optimizer: 'adam', momentum: 0.9, wd: 0, batch: 64,
      steps: 300, subset: 2000, eval: 50, testSize: 2000, finalTest: 'auto', seed: 1, backend: 'auto',
    });
    expect(ConfigSchema.safeParse(DEFAULT_CONFIG).success).toBe(true);
    expect(decodeConfig('')).toEqual({ config: DEFAULT_CONFIG, issues: [] });
    expect(Object.isFrozen(DEFAULT_CONFIG) && Object.isFrozen(DEFAULT_CONFIG.gen)).toBe(true);
  });

  it('gives every row a label, a one-line tooltip and a default its schema accepts', () => {
    for (const f of ROWS) {
      expect(f.label.length, f.key).toBeGreaterThan(0);
      expect(f.tooltip.length, f.key).toBeGreaterThan(10);
      expect(f.tooltip, f.key).not.toContain('\n');
      expect(f.schema.safeParse(f.default).success, f.key).toBe(true);
    }
  });

  it('marks log sliders and the alpha slider span', () => {
    const alpha = getField('alpha') as NumberField;
    expect(alpha).toMatchObject({ log: true, min: 0, max: 1, slider: { min: 1e-7, max: 1e-1 } });
    expect(getField('lr')).toMatchObject({ log: true, min: 1e-5, max: 1 });
    expect(getField('lambda')).toMatchObject({ log: false });
  });

  it('infers the config type from the schema', () => {
    expectTypeOf<ExperimentConfig['method']>().toEqualTypeOf<'none' | 'kd' | 'mimic' | 'mgd' | 'mgd+kd' | 'at' | 'rkd' | 'wsld' | 'srrl' | 'crd' | 'ofd' | 'hgkd'>();
    expectTypeOf<ExperimentConfig['sparse']>().toEqualTypeOf<boolean>();
    expectTypeOf<ExperimentConfig['dataset']>().toEqualTypeOf<string>();
    expectTypeOf<ExperimentConfig['gen']>().toEqualTypeOf<GenShape>();
    expectTypeOf<ExperimentConfig['steps']>().toEqualTypeOf<number>();
    expectTypeOf<ExperimentConfig['student']>().toEqualTypeOf<string>();
  });

  it('has no lookup for prototype keys', () => {
    for (const k of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) expect(getField(k)).toBeUndefined();
  });
});

describe('number fields: range edges', () => {
  const expected: Record<string, [number, number, boolean]> = {
    alpha: [0, 1, false], lambda: [0, 0.95, false], kdT: [1, 20, false], kdW: [0, 10, false], lr: [1e-5, 1, false],
    batch: [1, 512, true], steps: [1, 100000, true], subset: [0, 60000, true], eval: [1, 100000, true],
    testSize: [100, 10000, true], seed: [0, 2147483647, true], maskRatio: [0, 0.95, false], queue: [1, 65536, true],
    tau: [1e-4, 10, false], mseW: [0, 100, false], simW: [0, 100, false], ftSteps: [1, 100000, true],
    lrFloor: [0, 1, false], lrEvery: [1, 100000, true], lrGamma: [0, 1, false], warmup: [0, 100000, true], momentum: [0, 0.999, false], wd: [0, 1, false],
    atBeta: [0, 1e6, false], rkdDist: [0, 1000, false], rkdAngle: [0, 1000, false], wsldT: [1, 20, false], wsldW: [0, 100, false], srrlW: [0, 100, false], crdW: [0, 100, false], crdK: [1, 16384, true], ofdW: [0, 100, false],
  };

  it('covers every number row', () => {
    expect(numberRows.map((f) => f.key).sort()).toEqual(Object.keys(expected).sort());
  });

  for (const [key, [min, max, integer]] of Object.entries(expected)) {
    it(`${key}: ${min}…${max}${integer ? ', whole' : ''}`, () => {
      expect(getField(key)).toMatchObject({ kind: 'number', min, max, integer });
      expectAccepted(key, String(min), min);
      expectAccepted(key, String(max), max);
      const below = integer ? min - 1 : min === 0 ? -Number.MIN_VALUE : min * (1 - 1e-12);
      const above = integer ? max + 1 : max * (1 + 1e-12);
      expectRejected(key, String(below));
      expectRejected(key, String(above));
      if (integer) expectRejected(key, String(min + 0.5));
    });
  }

  it('subset is 0 (the full set) or 10…60000', () => {
    expectAccepted('subset', '0', 0);
    expectAccepted('subset', '10', 10);
    for (const bad of ['1', '9', '60001']) expectRejected('subset', bad);
  });

  it('rejects non-numbers, non-finite and sloppy numerals', () => {
    for (const bad of ['NaN', 'Infinity', '-Infinity', '1e999', '', 'abc', '0x10', ' 5', '5 ', '1,5', '5px', '--1', '1e', '.', 'true']) {
      expectRejected('steps', bad);
      expectRejected('alpha', bad);
    }
    expect(decodeOne('alpha', '1e999').issues[0].message).toMatch(/finite/);
    expect(decodeOne('alpha', 'abc').issues[0]).toMatchObject({ value: 'abc' });
    expectRejected('lr', '-0.001');
    expectRejected('batch', '64.5');
  });

  it('accepts plain and exponent notation', () => {
    expectAccepted('alpha', '1e-7', 1e-7);
    expectAccepted('alpha', '.5', 0.5);
    expectAccepted('steps', '1e3', 1000);
    expectAccepted('steps', '+20', 20);
    expectAccepted('alpha', '-0', 0);
    expect(Object.is(decodeOne('alpha', '-0').value, 0)).toBe(true);
  });
});

describe('choice fields', () => {
  it('accept their choices and nothing else', () => {
    for (const f of ROWS) {
      if (f.kind !== 'choice') continue;
      for (const c of f.choices) expectAccepted(f.key, c, c);
      for (const bad of ['', 'x', f.choices[0].toUpperCase(), ` ${f.choices[0]}`, '__proto__']) expectRejected(f.key, bad);
    }
  });

  it('teacher: a teacher id or a spec (a self-distillation teacher the runner trains), normalised', () => {
    for (const id of TEACHER_IDS) expectAccepted('teacher', id, id);
    expectAccepted('teacher', 'resnet:32-64-128x2-2-2', 'resnet:32-64-128x2');
    expectAccepted('teacher', 'resnet:32-64-128x1-1-1', 'resnet-w'); // a registry teacher's spec is its id
    for (const bad of ['resnet-xs', 'vgg', '', 'resnet:2x1', '<b>x</b>']) expectRejected('teacher', bad);
  });
});

describe('student', () => {
  it('takes a student id or a spec, normalised', () => {
    for (const id of STUDENT_IDS) expectAccepted('student', id, id);
    expectAccepted('student', 'resnet:16-32-64x1', 'resnet:16-32-64x1');
    expectAccepted('student', 'resnet:16-32-64x1-1-1', 'resnet:16-32-64x1');
    expectAccepted('student', 'mobilenet:016-32x2-1', 'mobilenet:16-32x2-1');
  });

  it('rejects unknown ids and malformed specs', () => {
    for (const bad of ['resnet-t', 'vgg', '', 'resnet:', 'vit:16x1', 'resnet:2x1', 'resnet:16x9', 'resnet:8-8-8-8-8x1', 'resnet:16-32x1-1-1']) {
      expectRejected('student', bad);
    }
  });
});

describe('gen', () => {
  it('parses <convs>x<kernel> into {convs, kernel}', () => {
    for (const c of [1, 2, 3]) for (const k of [3, 5]) expectAccepted('gen', `${c}x${k}`, { convs: c, kernel: k });
  });

  it('rejects everything else', () => {
    for (const bad of ['', '0x3', '4x3', '2x4', '2x1', '2x', 'x3', '2X3', '02x3', '2x3x3', '2 x3']) expectRejected('gen', bad);
  });

  it('takes text or the parsed form programmatically', () => {
    expect(validateConfig({ gen: { convs: 3, kernel: 5 } }).config.gen).toEqual({ convs: 3, kernel: 5 });
    expect(validateConfig({ gen: '1x5' } as never).config.gen).toEqual({ convs: 1, kernel: 5 });
    const extra = validateConfig({ gen: { convs: 1, kernel: 3, evil: '<b>' } as never }).config.gen;
    expect(extra).toEqual({ convs: 1, kernel: 3 });
    for (const bad of [{ convs: 4, kernel: 3 }, { convs: 2 }, null, 23, []]) {
      const r = validateConfig({ gen: bad } as never);
      expect(r.config.gen).toEqual(DEFAULT_CONFIG.gen);
      expect(r.issues).toMatchObject([{ field: 'gen', level: 'error' }]);
    }
  });
});

describe('stage', () => {
  it('takes last or unique 1-based indices, sorted', () => {
    expectAccepted('stage', 'last', 'last');
    expectAccepted('stage', '1', '1');
    expectAccepted('stage', '2,3', '2,3');
    expectAccepted('stage', '3,1', '1,3');
  });

  it('rejects malformed lists', () => {
    for (const bad of ['', 'LAST', 'first', '0', '5', '1,1', '2,', ',2', '2;3', ' 2', '2, 3', '10', '-1', '1.5']) {
      expectRejected('stage', bad);
    }
  });

  it('must exist in both teacher and student (cross-field)', () => {
    // resnet-t and resnet-s have 3 stages.
    expect(errors('stage=1,2,3')).toEqual([]);
    const r = decodeConfig('stage=4&student=resnet:8-16-32-64x1');
    expect(r.config.stage).toBe('last');
    expect(r.config.student).toBe('resnet:8-16-32-64x1');
    expect(r.issues).toMatchObject([{ field: 'stage', level: 'error', value: '4' }]);
    const two = decodeConfig('student=resnet:8-16x1&stage=2,3');
    expect(two.config.stage).toBe('last');
    expect(two.issues).toMatchObject([{ field: 'stage', level: 'error' }]);
    expect(validateConfig({ student: 'resnet:8x1', stage: '2' }).issues).toMatchObject([{ field: 'stage' }]);
  });

  it('resolves to 0-based indices; last = the last stage both networks have', () => {
    expect(resolveStages(DEFAULT_CONFIG)).toEqual([2]);
    expect(resolveStages({ ...DEFAULT_CONFIG, stage: '1,3' })).toEqual([0, 2]);
    expect(resolveStages({ ...DEFAULT_CONFIG, student: 'resnet:8-16x1' })).toEqual([1]);
    expect(resolveStages({ ...DEFAULT_CONFIG, student: 'resnet:8-16-32-64x1' })).toEqual([2]);
    expect(() => resolveStages({ ...DEFAULT_CONFIG, stage: '4' })).toThrow(ConfigError);
  });
});

describe('decoding', () => {
  it('accepts a query string, ?…, #…, #?… and full URLs', () => {
    const want = { ...V1, method: 'kd', steps: 10 };
    for (const input of [
      'method=kd&steps=10', '?method=kd&steps=10', '#method=kd&steps=10', '#?method=kd&steps=10',
      'http://localhost:5173/?method=kd&steps=10', 'http://localhost:5173/#method=kd&steps=10',
      'https://example.org/app/index.html?method=kd#steps=10', '/?method=kd&steps=10', '  method=kd&steps=10\n',
    ]) {
      expect(decodeConfig(input), input).toEqual({ config: want, issues: [] });
    }
    expect(decodeConfig('http://localhost:5173/')).toEqual({ config: DEFAULT_CONFIG, issues: [] });
  });

  it('lets the hash win over the query, key by key', () => {
    const r = decodeConfig('http://localhost:5173/?method=kd&steps=10#method=mimic&seed=5');
    expect(r.issues).toEqual([]);
    expect(r.config).toMatchObject({ method: 'mimic', steps: 10, seed: 5 });
    // A bad value in the query is not reported when the hash overrides it.
    expect(decodeConfig('?alpha=abc#alpha=0.01')).toEqual({ config: { ...V1, alpha: 0.01 }, issues: [] });
  });

  it('percent-decodes keys and values; + is a plus', () => {
    expect(decodeConfig('student=resnet%3A8-16-32x1&stage=2%2C3').config).toMatchObject({ student: 'resnet:8-16-32x1', stage: '2,3' });
    expect(decodeConfig('method=mgd%2Bkd').config.method).toBe('mgd+kd');
    expect(decodeConfig('method=mgd+kd').config.method).toBe('mgd+kd');
    expect(decodeConfig('%6Dethod=kd').config.method).toBe('kd');
    for (const bad of ['alpha=%', 'alpha=%E0%A4%A', 'alpha=%zz']) {
      expect(decodeConfig(bad).issues, bad).toMatchObject([{ field: 'alpha', level: 'error', message: expect.stringMatching(/percent/) }]);
    }
  });

  it('warns about unknown keys and ignores them', () => {
    const r = decodeConfig('foo=1&Alpha=2&steps=7&section');
    expect(r.config).toEqual({ ...V1, steps: 7 });
    expect(r.issues.map((i) => [i.field, i.level])).toEqual([['foo', 'warning'], ['Alpha', 'warning'], ['section', 'warning']]);
    expect(r.issues[0].message).toMatch(/unknown key "foo" ignored/);
  });

  it('ignores prototype keys without polluting anything', () => {
    const r = decodeConfig('__proto__=x&constructor=y&toString=z&__proto__[polluted]=1&hasOwnProperty=1');
    expect(r.config).toEqual(DEFAULT_CONFIG);
    expect(r.issues.every((i) => i.level === 'warning')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(r.config)).toBe(Object.prototype);
  });

  it('rejects a key given twice with different values, accepts a repeat', () => {
    expect(decodeConfig('steps=5&steps=5')).toEqual({ config: { ...V1, steps: 5 }, issues: [] });
    const r = decodeConfig('steps=5&steps=6');
    expect(r.config.steps).toBe(DEFAULT_CONFIG.steps);
    expect(r.issues).toMatchObject([{ field: 'steps', level: 'error', value: '5 | 6' }]);
  });

  it('a key without a value is an empty value', () => {
    expectRejected('steps', '');
    expect(decodeConfig('steps').issues).toMatchObject([{ field: 'steps', level: 'error' }]);
    expect(decodeConfig('&&steps=3&&').config.steps).toBe(3);
  });

  it('rejects <script> and HTML in every field', () => {
    for (const f of ROWS) {
      for (const evil of ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', 'javascript:alert(1)']) {
        for (const input of [`${f.key}=${encodeURIComponent(evil)}`, `${f.key}=${evil}`]) {
          const { config, issues } = decodeConfig(input);
          expect(config, input).toEqual(V1);
          expect(issues.filter((i) => i.level === 'error').map((i) => i.field), input).toEqual([f.key]);
          expect(JSON.stringify(config)).not.toMatch(/[<>"]alert|script|onerror/);
        }
      }
    }
  });

  it('ignores input over the length cap with a warning', () => {
    const long = `steps=5&${'x'.repeat(MAX_INPUT_LENGTH)}`;
    const r = decodeConfig(long);
    expect(r.config).toEqual(DEFAULT_CONFIG);
    expect(r.issues).toMatchObject([{ field: '(input)', level: 'warning' }]);
    expect(r.issues[0].value.length).toBeLessThan(80);
  });

  it('never throws on non-string input', () => {
    for (const x of [undefined, null, 42, {}, []]) expect(decodeConfig(x as never).config).toEqual(DEFAULT_CONFIG);
  });

  it('returns fresh config objects', () => {
    const c = decodeConfig('').config;
    c.steps = 9;
    expect(DEFAULT_CONFIG.steps).toBe(300);
  });
});

describe('link versions', () => {
  it('a link without v (written before the recipe rows) reads as constant lr, Adam, no weight decay, no warm-up', () => {
    const old = decodeConfig('method=none&dataset=fashion&lr=0.002&seed=1');
    expect(old.issues).toEqual([]);
    expect(old.config).toMatchObject({ lrSchedule: 'constant', optimizer: 'adam', wd: 0, warmup: 0, lr: 0.002 });
    expect(decodeConfig('v=1&method=none').config.lrSchedule).toBe('constant');
    // Written again, it says so, and reads back the same.
    const url = encodeConfig(old.config);
    expect(url).toBe('v=2&dataset=fashion&method=none&lr=0.002&lrSchedule=constant&seed=1');
    expect(decodeConfig(url)).toEqual(old);
  });

  it('a new link round-trips its recipe; the defaults are cosine Adam', () => {
    expect(decodeConfig('v=2&method=none').config).toMatchObject({ lrSchedule: 'cosine', optimizer: 'adam', wd: 0 });
    const url = 'v=2&lrSchedule=step&lrEvery=50&lrGamma=0.5&warmup=20&optimizer=sgd&momentum=0.8&wd=0.0005&seed=4';
    const r = decodeConfig(url);
    expect(r.issues).toEqual([]);
    expect(r.config).toMatchObject({ lrSchedule: 'step', lrEvery: 50, lrGamma: 0.5, warmup: 20, optimizer: 'sgd', momentum: 0.8, wd: 5e-4 });
    expect(encodeConfig(r.config)).toBe(url);
  });

  it('a link naming no field is a fresh start at the current version', () => {
    for (const input of ['', 'http://localhost:5173/', 'foo=1']) expect(decodeConfig(input).config.lrSchedule, input).toBe('cosine');
  });

  it('linkVersionOf says which version a query reads as (the runner\'s note)', () => {
    expect(['method=kd', 'http://x/?steps=3', 'v=1&seed=2', 'v=2&seed=2', '', 'v=9&seed=1'].map(linkVersionOf)).toEqual([1, 1, 1, 2, 2, 2]);
  });

  it.each([
    ['v=3&method=kd', /link version 3 is newer/],
    ['v=two&method=kd', /must be a link version, 1 or 2/],
    ['v=1&v=2&method=kd', /given 2 times/],
  ])('%s is an error naming v, and reads as the current version', (input, reason) => {
    const r = decodeConfig(input);
    expect(r.issues).toMatchObject([{ field: 'v', level: 'error', message: expect.stringMatching(reason) }]);
    expect(r.config).toEqual({ ...DEFAULT_CONFIG, method: 'kd' });
    expect(() => parseConfigStrict(input)).toThrow(ConfigError);
  });

  it.each([['momentum', '1'], ['wd', '-0.1'], ['warmup', '2.5'], ['lrGamma', '2'], ['lrEvery', '0'], ['lrSchedule', 'linear'], ['optimizer', 'rmsprop']])(
    'an out-of-range %s=%s is rejected by name',
    (key, value) => expectRejected(key, value),
  );
});

describe('encoding', () => {
  it('writes only the seed for the defaults', () => {
    expect(encodeConfig(DEFAULT_CONFIG)).toBe('v=2&seed=1');
  });

  it('writes non-default values in table order, readable', () => {
    const c: ExperimentConfig = {
      ...DEFAULT_CONFIG, backend: 'wasm', seed: 7, stage: '2,3', student: 'resnet:8-16-32x1', method: 'mgd+kd',
      gen: { convs: 3, kernel: 5 }, alpha: 1e-7, lr: 0.001,
    };
    expect(encodeConfig(c)).toBe('v=2&student=resnet:8-16-32x1&method=mgd%2Bkd&alpha=1e-7&gen=3x5&stage=2,3&seed=7&backend=wasm');
  });

  it('round-trips the defaults and every preset', () => {
    const cases = [DEFAULT_CONFIG, ...PRESET_IDS.map((id) => PRESETS[id].apply(DEFAULT_CONFIG))];
    for (const c of cases) expect(decodeConfig(encodeConfig(c))).toEqual({ config: c, issues: [] });
  });

  it('round-trips 1000 random valid configs exactly', () => {
    const rng = new Rng(12345);
    for (let i = 0; i < 1000; i++) {
      const c = randomConfig(rng);
      const url = encodeConfig(c);
      expect(url).toMatch(/^[A-Za-z]+=[A-Za-z0-9.,:%+-]+(&[A-Za-z]+=[A-Za-z0-9.,:%+-]+)*$/);
      const back = decodeConfig(url);
      expect(back.issues, url).toEqual([]);
      expect(back.config, url).toEqual(c);
      expect(encodeConfig(back.config)).toBe(url);
      // Only non-defaults and the seed are written.
      const keys = url.split('&').map((p) => p.split('=')[0]);
      const nonDefault = ROWS.filter((f) => f.key === 'seed' || JSON.stringify(c[f.key as keyof ExperimentConfig]) !== JSON.stringify(f.default));
      expect(keys).toEqual(['v', ...nonDefault.map((f) => f.key)]);
    }
  });
});

describe('validateConfig', () => {
  it('fills defaults and checks given values', () => {
    expect(validateConfig({})).toEqual({ config: DEFAULT_CONFIG, issues: [] });
    expect(validateConfig({ steps: 10, backend: 'cpu' }).config).toEqual({ ...DEFAULT_CONFIG, steps: 10, backend: 'cpu' });
    const r = validateConfig({ steps: 0, backend: 'tpu' as never, lr: '0.1' as never, batch: null as never, alpha: Number.NaN });
    expect(r.config).toEqual(DEFAULT_CONFIG);
    expect(r.issues.map((i) => i.field).sort()).toEqual(['alpha', 'backend', 'batch', 'lr', 'steps']);
  });

  it('warns about unknown keys', () => {
    expect(validateConfig({ nope: 1 } as never).issues).toMatchObject([{ field: 'nope', level: 'warning' }]);
  });

  it('accepts a full valid config unchanged', () => {
    const c = { ...DEFAULT_CONFIG, method: 'kd' as const, steps: 12 };
    expect(validateConfig(c)).toEqual({ config: c, issues: [] });
  });
});

describe('parseConfigStrict', () => {
  it('returns the config when there are no errors (warnings allowed)', () => {
    expect(parseConfigStrict('steps=9&foo=1')).toEqual({ ...V1, steps: 9 });
  });

  it('throws a ConfigError naming the first bad field', () => {
    try {
      parseConfigStrict('steps=9&alpha=abc&lr=2');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect(e).toBeInstanceOf(Error);
      expect(e).toMatchObject({ name: 'ConfigError', field: 'alpha', value: 'abc' });
      expect((e as Error).message).toMatch(/^alpha: /);
    }
    expect(() => parseConfigStrict('stage=4&student=resnet:8x1')).toThrow(/stage/);
  });
});

describe('presets', () => {
  it('paperScaledAlpha: 7e-5 × 25088 / (C·H·W), summed over stages', () => {
    expect(paperScaledAlpha(DEFAULT_CONFIG)).toBe(5.6e-4); // resnet-t last stage 64×7×7 = 3136
    expect(paperScaledAlpha({ ...DEFAULT_CONFIG, teacher: 'resnet-s' })).toBe(5.6e-4); // 64×7×7
    const two = (7e-5 * 25088) / (32 * 14 * 14 + 64 * 7 * 7);
    expect(paperScaledAlpha({ ...DEFAULT_CONFIG, stage: '2,3' })).toBe(Number(two.toPrecision(3)));
  });

  it('mgd-paper sets the paper settings and keeps the rest', () => {
    const base = { ...DEFAULT_CONFIG, method: 'kd' as const, mask: 'channel' as const, lambda: 0.15, alpha: 0.1, steps: 77, stage: '3' };
    expect(PRESETS['mgd-paper'].apply(base)).toEqual({ ...base, method: 'mgd', mask: 'pixel', lambda: 0.5, alpha: 5.6e-4 });
    expect(base.method).toBe('kd'); // base untouched
    expect(PRESETS['mgd-paper'].description).toMatch(/25088 = 512×7×7/);
  });

  it('self-distill, heterogeneous and kd-baseline', () => {
    const base = { ...DEFAULT_CONFIG, method: 'none' as const, kdT: 9, kdW: 3, seed: 4, student: 'resnet:8-16-32-64x1', stage: 'last' };
    expect(PRESETS['self-distill'].apply(base)).toMatchObject({ teacher: 'resnet-s', student: 'resnet-s', method: 'mgd', alpha: 5.6e-4, seed: 4 });
    expect(PRESETS.heterogeneous.apply(base)).toMatchObject({ teacher: 'resnet-t', student: 'mobilenet-s', method: 'mgd', alpha: 5.6e-4 });
    expect(PRESETS['kd-baseline'].apply(base)).toEqual({ ...base, method: 'kd', kdT: 4, kdW: 1 });
    expect(PRESETS.hgkd.apply({ ...base, sparse: false, maskRatio: 0.2 })).toMatchObject({ method: 'hgkd', student: 'resnet-s', sparse: true, unet: true, sim: true, maskRatio: 0.6, seed: 4 });
  });

  it('always give valid configs that round-trip, from random bases', () => {
    const rng = new Rng(99);
    for (let i = 0; i < 100; i++) {
      const base = randomConfig(rng);
      for (const id of PRESET_IDS) {
        const c = PRESETS[id].apply(base);
        expect(validateConfig(c).issues, id).toEqual([]);
        expect(decodeConfig(encodeConfig(c)).config, id).toEqual(c);
      }
    }
  });
});

describe('extending the table', () => {
  it('a flag row reads 1/0 and true/false and writes 1/0', () => {
    const f = flag('sparse', { group: 'method', label: 'Sparse conv', tooltip: 'Submanifold conv in the student', default: true });
    expect(f.schema.safeParse(f.fromText('0'))).toMatchObject({ success: true, data: false });
    expect(f.schema.safeParse(f.fromText('true'))).toMatchObject({ success: true, data: true });
    expect(f.schema.safeParse(f.fromText('yes')).success).toBe(false);
    expect(f.toText(false)).toBe('0');
  });
});

describe('H-GKD fields', () => {
  it('read from a URL, ablation switches as 1/0, and write back only non-defaults', () => {
    const r = decodeConfig('method=hgkd&maskRatio=0.75&queue=256&tau=0.2&sparse=0&unet=0&sim=1&ftSteps=50&ftMode=linear');
    expect(r.issues).toEqual([]);
    expect(r.config).toMatchObject({ method: 'hgkd', maskRatio: 0.75, queue: 256, tau: 0.2, sparse: false, unet: false, sim: true, ftSteps: 50, ftMode: 'linear' });
    // A link of before (no v) re-encodes with its recipe written out.
    expect(encodeConfig(r.config)).toBe('v=2&method=hgkd&maskRatio=0.75&queue=256&tau=0.2&sparse=0&unet=0&ftSteps=50&ftMode=linear&lrSchedule=constant&seed=1');
  });

  it('reject out-of-range values by name and keep the default', () => {
    const r = decodeConfig('method=hgkd&maskRatio=1.5&queue=0&sparse=maybe&mimTeacher=bert');
    expect(r.issues.map((i) => i.field).sort()).toEqual(['maskRatio', 'mimTeacher', 'queue', 'sparse']);
    expect(r.config).toMatchObject({ maskRatio: 0.6, queue: 1024, sparse: true, mimTeacher: 'vit-mim' });
    expect(() => parseConfigStrict('method=hgkd&tau=0')).toThrow(ConfigError);
  });

  it('need a resnet student of at most 3 stages (its deepest scale meets the 7×7 token grid)', () => {
    for (const student of ['mobilenet-s', 'resnet:8-16-32-64x1']) {
      const r = decodeConfig(`method=hgkd&student=${student}`);
      expect(r.issues.map((i) => i.field), student).toEqual(['student']);
      expect(r.config.student).toBe('resnet-s');
    }
    expect(decodeConfig('method=hgkd&student=resnet:8-16-32x2').issues).toEqual([]);
    expect(decodeConfig('method=mgd&student=mobilenet-s').issues).toEqual([]); // other methods unaffected
  });
});
