/** Paper comparison and λ sweep: the queued configs, the statistics and Welch's test (checked against scipy). */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, decodeConfig } from '../src/core/config';
import { compareMethods, lambdaCurve, lambdaSweepConfigs, paperComparisonConfigs, parseLambdas, type RunOutcome } from '../src/core/compare/batches';
import { PAPER_RESNET34_TO_18, PAPER_SELF_DISTILLATION, paperSettingFor } from '../src/core/compare/paper';
import { logGamma, regularizedBeta, twoSidedP, welch } from '../src/core/compare/welch';

describe("Welch's t-test", () => {
  it('t-distribution tails match scipy.stats.t.sf', () => {
    expect(twoSidedP(2.776445, 4)).toBeCloseTo(0.05, 6);
    expect(twoSidedP(1, 1)).toBeCloseTo(0.5, 10); // Cauchy
    expect(twoSidedP(-3.5, 2.5)).toBeCloseTo(0.052345546960320344, 8);
    expect(twoSidedP(0, 3)).toBeCloseTo(1, 12);
    expect(twoSidedP(Infinity, 3)).toBe(0);
  });

  it('special functions agree with closed forms', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(regularizedBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12); // uniform
    expect(regularizedBeta(0.3, 2, 1)).toBeCloseTo(0.09, 12); // x²
    expect(regularizedBeta(0.9, 0.5, 0.5)).toBeCloseTo((2 / Math.PI) * Math.asin(Math.sqrt(0.9)), 10); // arcsine
  });

  it('matches scipy.stats.ttest_ind(equal_var=False)', () => {
    const r = welch([0.81, 0.84, 0.79], [0.86, 0.88, 0.87]);
    expect(r.testable).toBe(true);
    if (!r.testable) return;
    expect(r.t).toBeCloseTo(3.62441217804538, 9);
    expect(r.df).toBeCloseTo(2.6162162162162192, 9);
    expect(r.p).toBeCloseTo(0.04512841524959087, 8);
    expect(r.exceeds).toBe(true);

    const same = welch([0.5, 0.52, 0.49, 0.51], [0.5, 0.53, 0.48]);
    expect(same).toMatchObject({ testable: true, exceeds: false });
    if (same.testable) expect(same.p).toBeCloseTo(0.9235766749633004, 8);
  });

  it('one seed cannot measure noise; identical runs are exact', () => {
    expect(welch([0.8], [0.9])).toMatchObject({ testable: false, reason: expect.stringMatching(/2 seeds/) });
    expect(welch([0.8, 0.8], [0.9, 0.9])).toMatchObject({ testable: true, exceeds: true, p: 0 });
    expect(welch([0.8, 0.8], [0.8, 0.8])).toMatchObject({ testable: true, exceeds: false, p: 1 });
  });
});

describe('paper comparison', () => {
  it('queues every method on the same seeds, seeds outermost, the rest of the config kept', () => {
    const base = decodeConfig('steps=40&seed=7&alpha=0.001&dataset=fashion').config;
    const configs = paperComparisonConfigs(base, 2);
    expect(configs.map((c) => `${c.seed}:${c.method}`)).toEqual(['7:none', '7:mimic', '7:mgd', '7:kd', '8:none', '8:mimic', '8:mgd', '8:kd']);
    for (const c of configs) expect(c).toMatchObject({ steps: 40, alpha: 0.001, dataset: 'fashion', teacher: base.teacher, student: base.student });
    expect(() => paperComparisonConfigs(base, 0)).toThrow(/seeds/);
    expect(() => paperComparisonConfigs(base, 2.5)).toThrow(/seeds/);
  });

  it('summarises per method and tests each against none', () => {
    const run = (method: string, seed: number, testAcc: number | null, difference = 10): RunOutcome => ({ method, lambda: 0.5, seed, testAcc, difference });
    const rows = compareMethods([
      run('none', 1, 0.8), run('none', 2, 0.82), run('none', 3, 0.81),
      run('mgd', 1, 0.9), run('mgd', 2, 0.91), run('mgd', 3, 0.92, 20),
      run('mimic', 1, 0.79), run('mimic', 2, 0.83), run('mimic', 3, null),
    ]);
    expect(rows.map((r) => r.method)).toEqual(['none', 'mimic', 'mgd', 'kd']);
    const [none, mimic, mgd, kd] = rows;
    expect(none.vsNone).toBeNull();
    expect(none.testAcc.mean).toBeCloseTo(0.81, 12);
    expect(none.testAcc.sd).toBeCloseTo(0.01, 12);
    expect(mgd.difference).toMatchObject({ n: 3 });
    expect(mgd.difference.mean).toBeCloseTo(40 / 3, 12);
    expect(mgd.vsNone).toMatchObject({ testable: true, exceeds: true });
    expect(mimic.testAcc.n).toBe(2); // the run without a test accuracy is not counted
    expect(mimic.vsNone).toMatchObject({ testable: true, exceeds: false });
    expect(kd).toMatchObject({ seeds: [], vsNone: null });
    expect(Number.isNaN(kd.testAcc.mean)).toBe(true);
  });

  it('shows the paper setting that matches the pair', () => {
    expect(paperSettingFor({ teacher: 'resnet-s', student: 'resnet-s' })).toBe(PAPER_SELF_DISTILLATION);
    expect(paperSettingFor(DEFAULT_CONFIG)).toBe(PAPER_RESNET34_TO_18);
    expect(PAPER_SELF_DISTILLATION.top1).toEqual({ none: 69.9, mimic: 70.05, mgd: 70.91, kd: null });
  });
});

describe('λ sweep', () => {
  it('parses, sorts and bounds λ values', () => {
    expect(parseLambdas(' 0.85, 0.15,0.5 ,0.15')).toEqual([0.15, 0.5, 0.85]);
    expect(() => parseLambdas('0.5, 1.2')).toThrow(/"1.2"/);
    expect(() => parseLambdas('0.5, abc')).toThrow(/"abc"/);
    expect(() => parseLambdas(' , ')).toThrow(/comma-separated/);
  });

  it('runs MGD at each λ (a method without a mask becomes mgd; mgd+kd stays)', () => {
    const base = decodeConfig('method=none&seed=3').config;
    const configs = lambdaSweepConfigs(base, [0.15, 0.85], 2);
    expect(configs.map((c) => [c.seed, c.method, c.lambda])).toEqual([[3, 'mgd', 0.15], [3, 'mgd', 0.85], [4, 'mgd', 0.15], [4, 'mgd', 0.85]]);
    expect(lambdaSweepConfigs(decodeConfig('method=mgd%2Bkd').config, [0.3], 1)[0].method).toBe('mgd+kd');
  });

  it('averages test accuracy per λ', () => {
    const curve = lambdaCurve([
      { method: 'mgd', lambda: 0.5, seed: 1, testAcc: 0.8, difference: 1 },
      { method: 'mgd', lambda: 0.15, seed: 1, testAcc: 0.7, difference: 1 },
      { method: 'mgd', lambda: 0.5, seed: 2, testAcc: 0.9, difference: 1 },
    ]);
    expect(curve.map((p) => [p.lambda, p.n])).toEqual([[0.15, 1], [0.5, 2]]);
    expect(curve[1].mean).toBeCloseTo(0.85, 12);
  });
});
