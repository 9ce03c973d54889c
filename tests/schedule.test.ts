/** The α / λ change schedules in the config schema (alphaAt, lambdaAt) and withChanges. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, decodeConfig, encodeConfig, parseConfigStrict, validateConfig, withChanges } from '../src/core/config';

describe('alphaAt / lambdaAt', () => {
  it('round-trip through the URL, sorted by step; absent in old links (empty)', () => {
    const { config, issues } = decodeConfig('alphaAt=201:0.01,101:0.002&lambdaAt=51:0.75&seed=3');
    expect(issues).toEqual([]);
    expect(config.alphaAt).toEqual([{ step: 101, value: 0.002 }, { step: 201, value: 0.01 }]);
    expect(config.lambdaAt).toEqual([{ step: 51, value: 0.75 }]);
    expect(encodeConfig(config)).toBe('v=2&alphaAt=101:0.002,201:0.01&lambdaAt=51:0.75&lrSchedule=constant&seed=3');
    const old = decodeConfig('method=mgd&alpha=0.001&seed=1');
    expect(old.issues).toEqual([]);
    expect([old.config.alphaAt, old.config.lambdaAt]).toEqual([[], []]);
    expect(encodeConfig(old.config)).toBe('v=2&alpha=0.001&lrSchedule=constant&seed=1');
  });

  it.each([
    ['alphaAt=1:0.002', /step 1 must be 2/],
    ['alphaAt=101:2', /value at step 101 must be ≤ 1/],
    ['lambdaAt=101:0.99', /must be ≤ 0.95/],
    ['alphaAt=101:-1', /must be ≥ 0/],
    ['alphaAt=101:0.1,101:0.2', /given twice/],
    ['alphaAt=101', /not a change like/],
    ['alphaAt=101:NaN', /not a change like/],
    ['alphaAt=200001:0.1', /must be 2…100000/],
    ['alphaAt=0x10:0.1', /not a change like/],
  ])('%s is rejected, naming the field, and the default kept', (url, reason) => {
    const { config, issues } = decodeConfig(url);
    expect(issues).toHaveLength(1);
    expect(issues[0].field).toBe(url.slice(0, url.indexOf('=')));
    expect(issues[0].message).toMatch(reason);
    expect([config.alphaAt, config.lambdaAt]).toEqual([[], []]);
    expect(() => parseConfigStrict(url)).toThrow(reason);
  });

  it('more than 64 changes are refused', () => {
    const many = Array.from({ length: 65 }, (_, i) => `${i + 2}:0.1`).join(',');
    expect(decodeConfig(`alphaAt=${many}`).issues[0].message).toMatch(/at most 64/);
  });

  it('withChanges writes a run\'s changes into its schedules; step-1 changes become the starting value', () => {
    const start = { ...DEFAULT_CONFIG, alphaAt: [{ step: 50, value: 0.1 }, { step: 500, value: 0.2 }] };
    const ran = withChanges(start, [
      { step: 1, param: 'lambda', value: 0.25 },
      { step: 50, param: 'alpha', value: 0.1 },
      { step: 120, param: 'alpha', value: 0.003 },
    ], 300);
    expect(ran.lambda).toBe(0.25);
    expect(ran.lambdaAt).toEqual([]);
    expect(ran.alpha).toBe(DEFAULT_CONFIG.alpha);
    // Step 500 was never reached (stopped at 300): it stays, so the link describes the run as set up.
    expect(ran.alphaAt).toEqual([{ step: 50, value: 0.1 }, { step: 120, value: 0.003 }, { step: 500, value: 0.2 }]);
    expect(validateConfig(ran).issues).toEqual([]);
    expect(withChanges(DEFAULT_CONFIG, [], 300)).toEqual(DEFAULT_CONFIG);
  });
});

describe('a teacher given as a spec', () => {
  it('equal to a registry teacher\'s spec is that teacher', () => {
    expect(decodeConfig('teacher=resnet:16-32-64x2').config.teacher).toBe('resnet-t');
    expect(decodeConfig('teacher=resnet:16-32-64x1').config.teacher).toBe('resnet-s');
    expect(decodeConfig('student=resnet:8-16-32x1').config.student).toBe('resnet:8-16-32x1'); // students stay specs
    expect(decodeConfig('teacher=resnet:8-16-32x1').config.teacher).toBe('resnet:8-16-32x1'); // the runner trains it
  });
});
