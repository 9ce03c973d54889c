/** A kept run for persistence tests: the default config, three points, nothing random. */
import { DEFAULT_CONFIG, LEGACY_RECIPE } from '../../core/config';
import type { SavedRun } from './runRecord';

export function savedRun(label: number, extra: Partial<SavedRun> = {}): SavedRun {
  const point = (step: number) => ({
    step, loss: 1 / step, taskLoss: 0.5, distillLoss: 0.5, featureLoss: 900, difference: 1000 - step, batchAcc: 0.5, trainAcc: 0.5, alpha: 5.6e-4, lambda: 0.5, stepMs: 10,
  });
  return {
    id: `run-${label}`, label, createdAt: 1_700_000_000_000 + label, config: { ...DEFAULT_CONFIG, steps: 3 }, status: 'completed', backend: 'wasm', steps: 3,
    testAcc: 0.9, trainAcc: 0.8, metrics: { pipeline: 'distill', difference: 997 }, stepsPerSec: 12, seconds: 2, error: null, points: [1, 2, 3].map(point), liveChanges: [], batch: null, selected: false,
    ...extra,
  };
}

/** `run` as record versions 1–2 stored it: a top-level `difference` where `metrics` is now. */
export function legacyShape(run: SavedRun): Omit<SavedRun, 'metrics'> & { difference: number | null } {
  const { metrics, ...rest } = run;
  return { ...rest, difference: metrics.pipeline === 'distill' ? metrics.difference : null };
}

/** A config as records of versions 1–3 stored it: without the recipe rows, which did not exist yet. */
export function withoutRecipe(config: SavedRun['config']): Record<string, unknown> {
  const old: Record<string, unknown> = { ...config };
  for (const key of ['lrSchedule', 'lrFloor', 'lrEvery', 'lrGamma', 'warmup', 'optimizer', 'momentum', 'wd']) delete old[key];
  return old;
}

/** `run` as it reads back from a record of versions 1–3: its config with the legacy recipe. */
export function withLegacyRecipeRun(run: SavedRun): SavedRun {
  return { ...run, config: { ...run.config, ...LEGACY_RECIPE } };
}
