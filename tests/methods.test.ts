import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, FIELDS, type FieldDef } from '../src/core/config';
import { DISTILL_FIELD_KEYS, METHOD_IDS, METHODS, alphaFormula, methodOf, methodsReading } from '../src/core/methods';
import { TERMS } from '../src/core/methods/terms';

describe('method registry', () => {
  it('every field a method declares is a schema row, and the row lists that method', () => {
    const keys = new Set((FIELDS as readonly FieldDef[]).map((f) => f.key));
    for (const m of METHODS) {
      for (const k of m.fields) {
        expect(keys.has(k), `${m.id}.${k}`).toBe(true);
        expect((FIELDS as readonly FieldDef[]).find((f) => f.key === k)!.methods).toContain(m.id);
      }
    }
  });

  it('the schema method choice is the registry, and ids are unique', () => {
    const method = (FIELDS as readonly FieldDef[]).find((f) => f.key === 'method');
    expect(method?.kind === 'choice' && method.choices).toEqual(METHOD_IDS);
    expect(new Set(METHOD_IDS).size).toBe(METHOD_IDS.length);
  });

  it('reads what the rows said before the registry (URL meaning unchanged)', () => {
    expect(methodsReading('alpha')).toEqual(['mimic', 'mgd', 'mgd+kd']);
    expect(methodsReading('lambda')).toEqual(['mgd', 'mgd+kd']);
    expect(methodsReading('kdT')).toEqual(['kd', 'mgd+kd']);
    expect(methodsReading('teacher')).toEqual(['none', 'kd', 'mimic', 'mgd', 'mgd+kd', 'at', 'rkd', 'wsld', 'srrl', 'crd', 'ofd']);
    expect(methodsReading('ftSteps')).toEqual(['hgkd']);
    expect(methodsReading('lr')).toBeUndefined();
  });

  it('declares terms, α helper and phases per method', () => {
    expect(Object.keys(TERMS)).toEqual(METHODS.filter((m) => m.pipeline === 'distill').map((m) => m.id));
    expect(TERMS.mimic.alignsStudent).toBe(true);
    expect(TERMS.kd.alignsStudent).toBe(false);
    expect(DISTILL_FIELD_KEYS).toEqual(['kdT', 'kdW', 'alpha', 'lambda', 'mask', 'gen', 'atBeta', 'rkdDist', 'rkdAngle', 'wsldT', 'wsldW', 'srrlW', 'crdW', 'crdK', 'ofdW']);
    for (const m of METHODS) expect(m.formula, m.id).toMatch(/^L = /);
    expect(methodOf('kd').alpha).toBeNull();
    expect(alphaFormula('mimic')).not.toBe(alphaFormula('mgd'));
    expect(alphaFormula('none')).toBe(alphaFormula('mgd'));
    expect(methodOf('hgkd').totalSteps({ ...DEFAULT_CONFIG, steps: 10, ftSteps: 3 })).toBe(16);
    expect(methodOf('mgd').totalSteps({ ...DEFAULT_CONFIG, steps: 10, ftSteps: 3 })).toBe(10);
    expect(() => methodOf('nope')).toThrow(/unknown method 'nope'/);
  });
});
