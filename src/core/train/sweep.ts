/**
 * Seeds and sweeps: a base config, a list of seeds and optionally one field swept over values.
 * Each (value, seed) run is independent; runs that share a seed share the student's initial
 * weights, the data order and the test set, so methods are compared on equal terms.
 */
import { summarise } from '../stats';
import type { ExperimentConfig } from '../config';
import { type ExperimentResult, FINAL_KEYS, type FinalMetrics } from './experiment';
import { type SweepSpec, configForValue } from './sweepSpec';

export { type SweepSpec, configForValue, parseSeeds, parseSweep } from './sweepSpec';

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
