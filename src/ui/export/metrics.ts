/**
 * A run's metrics as files: CSV (one row per recorded step, the MetricsPoint columns) and JSON
 * (the config the run trained with, its URL, its live α / λ changes with their steps, backend,
 * summary and the same rows). Rows are the points the page holds:
 * every step up to 1500, thinned beyond (evaluation steps and the last always kept).
 */
import { type ExperimentConfig, encodeConfig } from '../../core/config';
import type { BackendName, LiveChange, MetricsPoint, RunSummary } from '../../worker/protocol';

export const METRIC_COLUMNS = ['step', 'loss', 'taskLoss', 'distillLoss', 'featureLoss', 'difference', 'batchAcc', 'trainAcc', 'testAcc', 'alpha', 'lambda', 'stepMs'] as const satisfies readonly (keyof MetricsPoint)[];

/** CSV with a header row; an absent value (testAcc off evaluation steps) is an empty cell. */
export function metricsCsv(points: readonly MetricsPoint[]): string {
  const rows = points.map((p) => METRIC_COLUMNS.map((k) => (p[k] === undefined ? '' : String(p[k]))).join(','));
  return [METRIC_COLUMNS.join(','), ...rows].join('\n') + '\n';
}

export interface RunRecord {
  /** As trained: its starting values, its live changes in alphaAt / lambdaAt (so `url` replays them). */
  config: ExperimentConfig;
  liveChanges: readonly LiveChange[];
  backend: BackendName | null;
  summary: RunSummary | null;
  points: readonly MetricsPoint[];
}

export function metricsJson({ config, liveChanges, backend, summary, points }: RunRecord): string {
  return JSON.stringify({ config, url: encodeConfig(config), liveChanges, backend, summary, points }, null, 1);
}
