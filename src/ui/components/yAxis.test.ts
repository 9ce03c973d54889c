import { describe, expect, it } from 'vitest';
import { niceStep, yAxisOf, yAxisSpec } from './yAxis';

const labels = (a: ReturnType<typeof yAxisSpec>) => a.ticks.map(a.format);

describe('yAxisSpec', () => {
  it('steps are 1, 2 or 5 × 10^k', () => {
    expect([0.3, 1, 1.5, 3, 7, 0.00021].map(niceStep)).toEqual([0.5, 1, 2, 5, 10, 0.0005]);
  });

  it('accuracies a few tenths of a percent apart get distinct labels (a whole-percent format read "10%" four times)', () => {
    const a = yAxisSpec(0.1012, 0.1031, true);
    expect(a.domain[0]).toBeLessThanOrEqual(0.1012);
    expect(a.domain[1]).toBeGreaterThanOrEqual(0.1031);
    expect(new Set(labels(a)).size).toBe(a.ticks.length);
    expect(labels(a)).toEqual(['10.10%', '10.15%', '10.20%', '10.25%', '10.30%', '10.35%']);
  });

  it('whole-percent labels when they suffice', () => {
    expect(labels(yAxisSpec(0.1, 0.9, true))).toEqual(['0%', '20%', '40%', '60%', '80%', '100%']);
  });

  it('values close together get enough decimals, never two equal labels', () => {
    const a = yAxisSpec(0.99951, 0.99971);
    expect(new Set(labels(a)).size).toBe(a.ticks.length);
    expect(labels(a)[0]).toBe('0.99950');
  });

  it('ticks are exact multiples of the step (no 0.30000000000000004)', () => {
    const a = yAxisSpec(0.1, 0.7);
    expect(a.ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
  });

  it('the width holds the longest label: similarities of order 1e-4 are wider than the default 44 px', () => {
    const small = yAxisSpec(1e-4, 9e-4);
    expect(new Set(labels(small)).size).toBe(small.ticks.length);
    const longest = Math.max(...labels(small).map((l) => l.length));
    expect(small.width).toBeGreaterThanOrEqual(longest * 6.6);
    expect(yAxisSpec(0, 2).width).toBe(44);
  });

  it('a flat series still gets a range around it', () => {
    const a = yAxisSpec(0.5, 0.5);
    expect(a.domain[0]).toBeLessThan(0.5);
    expect(a.domain[1]).toBeGreaterThan(0.5);
  });
});

describe('yAxisOf', () => {
  it('covers every set and extra value, skipping non-finite values; null when nothing is finite', () => {
    const a = yAxisOf([[{ v: 1 }, { v: NaN }], [{ v: 3.4 }]], ['v'], false, [-0.2])!;
    expect(a.domain[0]).toBeLessThanOrEqual(-0.2);
    expect(a.domain[1]).toBeGreaterThanOrEqual(3.4);
    expect(yAxisOf([[{ v: NaN }]], ['v'])).toBeNull();
  });
});
