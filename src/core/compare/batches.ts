/**
 * The two one-click experiments of the playground, as plain data: which runs they queue and how
 * their outcomes are summarised. The paper comparison runs none / mimic / MGD / KD on the same
 * config over several seeds (paper Table 5, Fig. 3); the λ sweep runs MGD over mask ratios
 * (paper Fig. 5). Runs that share a seed share the student's initial weights, the data order
 * and the test set, so the methods are compared on equal terms.
 */
import { methodOf } from '../methods/registry';
import type { ExperimentConfig } from '../config';
import { mean, sd } from '../stats';
import { configForValue } from '../train/sweepSpec';
import { COMPARED_METHODS, type ComparedMethod } from './paper';
import { type WelchResult, welch } from './welch';

export const DEFAULT_SEEDS = 3;
export const MAX_SEEDS = 10;
export const DEFAULT_LAMBDAS = [0.15, 0.3, 0.5, 0.65, 0.85];

/** `n` consecutive seeds from the config's own. */
export function seedList(base: Pick<ExperimentConfig, 'seed'>, n: number): number[] {
  if (!Number.isInteger(n) || n < 1 || n > MAX_SEEDS) throw new Error(`seeds: expected a whole number from 1 to ${MAX_SEEDS}, got ${n}`);
  return Array.from({ length: n }, (_, i) => base.seed + i);
}

/** One run per (seed, method), seeds outermost: a batch cut short still has every method on the same seeds. */
export function paperComparisonConfigs(base: ExperimentConfig, seeds: number): ExperimentConfig[] {
  const sweep = { field: 'method' as const, values: [...COMPARED_METHODS] };
  return seedList(base, seeds).flatMap((seed) => sweep.values.map((m) => configForValue(base, sweep, m, seed)));
}

/** Parses `0.15, 0.5, …` into distinct mask ratios in ascending order; throws naming the bad entry. */
export function parseLambdas(text: string): number[] {
  const parts = text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (parts.length === 0) throw new Error('λ values: expected a comma-separated list such as 0.15, 0.5, 0.85');
  const values = parts.map((s) => {
    const v = Number(s);
    if (!Number.isFinite(v) || v < 0 || v > 0.95) throw new Error(`λ values: "${s}" is not a number from 0 to 0.95`);
    return v;
  });
  return [...new Set(values)].sort((a, b) => a - b);
}

/** MGD (kept as mgd+kd when the base already adds KD) at each λ, over the seeds. */
export function lambdaSweepConfigs(base: ExperimentConfig, lambdas: readonly number[], seeds: number): ExperimentConfig[] {
  const masked: ExperimentConfig = (methodOf(base.method).fields as readonly string[]).includes('lambda') ? base : { ...base, method: 'mgd' };
  const sweep = { field: 'lambda' as const, values: lambdas.map(String) };
  return seedList(base, seeds).flatMap((seed) => sweep.values.map((v) => configForValue(masked, sweep, v, seed)));
}

/** What a finished run contributes to a batch summary (null: the run had no such number). */
export interface RunOutcome {
  method: string;
  lambda: number;
  seed: number;
  testAcc: number | null;
  difference: number | null;
}

export interface MeanSd {
  mean: number;
  sd: number;
  n: number;
}

function meanSd(xs: (number | null)[]): MeanSd {
  const v = xs.filter((x): x is number => x !== null && Number.isFinite(x));
  return { mean: mean(v), sd: sd(v), n: v.length };
}

export interface MethodRow {
  method: ComparedMethod;
  seeds: number[];
  testAcc: MeanSd;
  difference: MeanSd;
  /** Test accuracy against `none` (null on the `none` row, or when either has no runs). */
  vsNone: WelchResult | null;
}

/** Mean ± sd per method and Welch's test of each method's test accuracy against `none`. */
export function compareMethods(outcomes: readonly RunOutcome[]): MethodRow[] {
  const accOf = (m: string) => outcomes.filter((o) => o.method === m && o.testAcc !== null).map((o) => o.testAcc as number);
  const none = accOf('none');
  return COMPARED_METHODS.map((method) => {
    const runs = outcomes.filter((o) => o.method === method);
    const acc = accOf(method);
    return {
      method,
      seeds: runs.map((o) => o.seed),
      testAcc: meanSd(runs.map((o) => o.testAcc)),
      difference: meanSd(runs.map((o) => o.difference)),
      vsNone: method === 'none' || none.length === 0 || acc.length === 0 ? null : welch(none, acc),
    };
  });
}

export interface LambdaPoint extends MeanSd {
  lambda: number;
}

/** Mean ± sd of test accuracy at each λ, ascending. */
export function lambdaCurve(outcomes: readonly RunOutcome[]): LambdaPoint[] {
  const lambdas = [...new Set(outcomes.map((o) => o.lambda))].sort((a, b) => a - b);
  return lambdas.map((lambda) => ({ lambda, ...meanSd(outcomes.filter((o) => o.lambda === lambda).map((o) => o.testAcc)) }));
}
