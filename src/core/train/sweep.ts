/**
 * Seeds and sweeps: a base config, a list of seeds and optionally one field swept over values.
 * Each (value, seed) run is independent; runs that share a seed share the student's initial
 * weights, the data order and the test set, so methods are compared on equal terms.
 */
import { summarise } from '../stats';
import type { ExperimentConfig } from '../config';
import { FINAL_KEYS, type FinalMetrics, finalNumbers } from '../methods';
import type { ExperimentResult } from './experiment';
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

/** Mean ± sd over seeds of runs of one method (so one pipeline's metrics). */
export function summariseSeeds(runs: ExperimentResult[]): SeedSummary {
  const { pipeline } = runs[0].final;
  if (runs.some((r) => r.final.pipeline !== pipeline)) throw new Error('a seed summary needs runs of one pipeline');
  const { mean, sd } = summarise(runs.map((r) => finalNumbers(r.final)), FINAL_KEYS[pipeline]);
  return {
    seeds: runs.map((r) => r.config.seed),
    mean: { pipeline, ...mean } as FinalMetrics,
    sd: { pipeline, ...sd } as FinalMetrics,
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

/**
 * A fixed-width table of mean ± sd per swept value. A column a row's pipeline does not measure
 * shows '–' (H-GKD: no total loss or feature difference; the MGD family: no scratch baseline).
 */
export function formatSweepTable(field: string, rows: SweepRow[]): string {
  const pct = (m: number, s: number) => `${(100 * m).toFixed(2)} ± ${(100 * s).toFixed(2)}`;
  const num = (m: number, s: number) => `${m.toPrecision(4)} ± ${s.toPrecision(2)}`;
  const columns: [string, string, typeof pct][] = [
    ['test acc %', 'testAcc', pct], ['scratch acc %', 'scratchAcc', pct], ['train acc %', 'trainAcc', pct],
    ['loss', 'loss', num], ['difference', 'difference', num], ['distillation mse', 'mse', num],
  ];
  const shown = columns.filter(([, key]) => rows.some((r) => key in r.mean));
  const header = [field, ...shown.map(([h]) => h), 'steps/s', 'seeds'];
  const body = rows.map((r) => {
    const [mean, sd] = [finalNumbers(r.mean), finalNumbers(r.sd)];
    const cells = shown.map(([, key, format]) => (key in mean ? format(mean[key], sd[key]) : '–'));
    return [r.value || '(base)', ...cells, r.stepsPerSec.toFixed(1), r.seeds.join(',')];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
