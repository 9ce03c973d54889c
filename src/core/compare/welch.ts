/**
 * Welch's unequal-variance t-test: is the gap between two methods' mean accuracies larger than
 * their seed-to-seed noise? Small students are noisy and a browser user runs only a few seeds,
 * so the comparison table marks a difference only when this test rejects "same mean" at the
 * 5 % level (two-sided, no correction for the three comparisons against `none`).
 */
import { mean, sd } from '../stats';

/** The significance level the comparison uses. */
export const WELCH_LEVEL = 0.05;

export type WelchResult =
  | { testable: true; diff: number; t: number; df: number; p: number; exceeds: boolean }
  | { testable: false; diff: number; reason: string };

/** Compares `b` against `a` (diff = mean b − mean a). Each needs ≥ 2 values to measure its noise. */
export function welch(a: readonly number[], b: readonly number[], level = WELCH_LEVEL): WelchResult {
  const xa = a.filter(Number.isFinite);
  const xb = b.filter(Number.isFinite);
  const diff = mean(xb) - mean(xa);
  if (xa.length < 2 || xb.length < 2) return { testable: false, diff, reason: 'needs ≥ 2 seeds per method to measure the noise' };
  const va = sd(xa) ** 2 / xa.length;
  const vb = sd(xb) ** 2 / xb.length;
  const se2 = va + vb;
  if (se2 === 0) {
    // No spread at all (identical runs): any gap is exact, none is no gap.
    return { testable: true, diff, t: diff === 0 ? 0 : Math.sign(diff) * Infinity, df: xa.length + xb.length - 2, p: diff === 0 ? 1 : 0, exceeds: diff !== 0 };
  }
  const t = diff / Math.sqrt(se2);
  // Welch–Satterthwaite degrees of freedom.
  const df = (se2 * se2) / ((va * va) / (xa.length - 1) + (vb * vb) / (xb.length - 1));
  const p = twoSidedP(t, df);
  return { testable: true, diff, t, df, p, exceeds: p < level };
}

/** P(|T| ≥ |t|) for Student's t with `df` (real, > 0) degrees of freedom. */
export function twoSidedP(t: number, df: number): number {
  if (!Number.isFinite(t)) return 0;
  return regularizedBeta(df / (df + t * t), df / 2, 0.5);
}

/** I_x(a, b), the regularised incomplete beta function (continued fraction, Numerical Recipes §6.4). */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The fraction converges fast for x < (a+1)/(a+b+2); use the symmetry I_x(a,b) = 1 − I_{1−x}(b,a) otherwise.
  if (x < (a + 1) / (a + b + 2)) return (front * betaFraction(x, a, b)) / a;
  return 1 - (front * betaFraction(1 - x, b, a)) / b;
}

/** Lentz's method for the incomplete beta continued fraction. */
function betaFraction(x: number, a: number, b: number): number {
  const TINY = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < TINY ? TINY : d);
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    for (const num of [(m * (b - m) * x) / ((a + m2 - 1) * (a + m2)), (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1))]) {
      d = 1 + num * d;
      d = 1 / (Math.abs(d) < TINY ? TINY : d);
      c = 1 + num / c;
      if (Math.abs(c) < TINY) c = TINY;
      h *= d * c;
    }
    if (Math.abs(d * c - 1) < 1e-14) break;
  }
  return h;
}

/** ln Γ(z) for z > 0 (Lanczos, g = 7, 9 terms: ~15 significant digits). */
export function logGamma(z: number): number {
  const G = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (z < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * z))) - logGamma(1 - z);
  const x = z - 1;
  let s = G[0];
  for (let i = 1; i < 9; i++) s += G[i] / (x + i);
  const t = x + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(s);
}
