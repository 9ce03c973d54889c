/**
 * Summary statistics over seeds: small students are noisy, so every comparison is reported as
 * mean ± sample standard deviation, never as a single run.
 */
export function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
}

/** Sample standard deviation (n − 1); 0 for a single value. */
export function sd(xs: number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) * (x - m), 0) / (xs.length - 1));
}

/** Mean and sd of each numeric key over a list of records. */
export function summarise<K extends string>(rows: Record<K, number>[], keys: readonly K[]): { mean: Record<K, number>; sd: Record<K, number> } {
  const m = {} as Record<K, number>;
  const s = {} as Record<K, number>;
  for (const k of keys) {
    const xs = rows.map((r) => r[k]).filter((v) => Number.isFinite(v));
    m[k] = mean(xs);
    s[k] = sd(xs);
  }
  return { mean: m, sd: s };
}
