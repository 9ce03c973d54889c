/**
 * Seeds and sweeps: a base config, a list of seeds and optionally one field swept over values.
 * Each (value, seed) run is independent; runs that share a seed share the student's initial
 * weights, the data order and the test set, so methods are compared on equal terms.
 */
import { summarise } from '../stats';
import { decodeConfig, encodeConfig, type ExperimentConfig } from '../config';
import { type ExperimentResult, FINAL_KEYS, type FinalMetrics } from './experiment';

export interface SweepSpec {
  field: keyof ExperimentConfig;
  values: string[];
}

export interface SeedSummary {
  seeds: number[];
  mean: FinalMetrics;
  sd: FinalMetrics;
  stepsPerSec: number;
}

export interface SweepRow extends SeedSummary {
  value: string;
  config: ExperimentConfig;
  runs: ExperimentResult[];
}

/** Parses `field=v1,v2,…`; throws naming the problem. */
export function parseSweep(text: string): SweepSpec {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new Error(`--sweep "${text}": expected field=value1,value2,…`);
  const field = text.slice(0, eq).trim() as keyof ExperimentConfig;
  const values = text.slice(eq + 1).split(',').map((v) => v.trim()).filter((v) => v.length > 0);
  if (values.length === 0) throw new Error(`--sweep "${text}": no values`);
  return { field, values };
}

/** Parses `1,2,3` into distinct non-negative integers. */
export function parseSeeds(text: string): number[] {
  const seeds = text.split(',').map((s) => Number(s.trim()));
  if (seeds.length === 0 || seeds.some((s) => !Number.isInteger(s) || s < 0 || s > 2147483647)) {
    throw new Error(`--seeds "${text}": expected comma-separated non-negative integers`);
  }
  return [...new Set(seeds)];
}

/** The config for one swept value, validated (throws naming the field when the value is bad). */
export function configForValue(base: ExperimentConfig, sweep: SweepSpec | null, value: string | null, seed: number): ExperimentConfig {
  // Through the URL decoder, so a swept value is validated exactly like a shared link's.
  const params = new URLSearchParams(encodeConfig(base));
  params.set('seed', String(seed));
  if (sweep && value !== null) params.set(sweep.field, value);
  const { config, issues } = decodeConfig(params.toString());
  const err = issues.find((i) => i.level === 'error' || (sweep && i.field === sweep.field));
  if (err) throw new Error(err.message);
  return config;
}

export function summariseSeeds(runs: ExperimentResult[]): SeedSummary {
  const { mean, sd } = summarise(runs.map((r) => r.final), FINAL_KEYS);
  return {
    seeds: runs.map((r) => r.config.seed),
    mean,
    sd,
    stepsPerSec: runs.reduce((a, r) => a + r.stepsPerSec, 0) / runs.length,
  };
}

/** Runs every (value × seed) through `run`, sequentially (one backend, one device). */
export async function runSweep(
  base: ExperimentConfig,
  sweep: SweepSpec | null,
  seeds: number[],
  run: (config: ExperimentConfig) => Promise<ExperimentResult>,
): Promise<SweepRow[]> {
  const rows: SweepRow[] = [];
  for (const value of sweep ? sweep.values : [null]) {
    const runs: ExperimentResult[] = [];
    for (const seed of seeds) runs.push(await run(configForValue(base, sweep, value, seed)));
    rows.push({ value: value ?? '', config: runs[0].config, runs, ...summariseSeeds(runs) });
  }
  return rows;
}

/** A fixed-width table of mean ± sd per swept value. */
export function formatSweepTable(field: string, rows: SweepRow[]): string {
  const pct = (m: number, s: number) => `${(100 * m).toFixed(2)} ± ${(100 * s).toFixed(2)}`;
  const num = (m: number, s: number) => `${m.toPrecision(4)} ± ${s.toPrecision(2)}`;
  const header = [field, 'test acc %', 'train acc %', 'loss', 'difference', 'steps/s', 'seeds'];
  const body = rows.map((r) => [
    r.value || '(base)',
    pct(r.mean.testAcc, r.sd.testAcc),
    pct(r.mean.trainAcc, r.sd.trainAcc),
    num(r.mean.loss, r.sd.loss),
    num(r.mean.difference, r.sd.difference),
    r.stepsPerSec.toFixed(1),
    r.seeds.join(','),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
