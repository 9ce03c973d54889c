/**
 * A kept run and its stored form. Stored records carry a format version; reading one checks
 * every field (the config through the config schema, so a stored run can never load a config
 * the form would reject) and returns null for anything it cannot trust, instead of throwing:
 * a damaged or foreign record costs that one run, never the page.
 */
import * as z from 'zod';
import { type ExperimentConfig, withChanges, withLegacyRecipe } from '../../core/config';
import { methodOf } from '../../core/methods';
import type { BackendName, LiveChange, MetricsPoint } from '../../worker/protocol';
import { checkedConfig, readVersioned, type Unreadable } from './versioned';

/** interrupted: the worker died under the run (crashed, killed, silent); its points up to then are kept. */
export type RunOutcomeStatus = 'completed' | 'stopped' | 'failed' | 'interrupted';
/** One-click experiments: ablation is H-GKD's Table 5 grid; table, a paper table's "Run it here" (core/compare/tables.ts). */
export const BATCH_KINDS = ['paper', 'lambda', 'ablation', 'table'] as const;
export type BatchKind = (typeof BATCH_KINDS)[number];

/** What a run measured beside its accuracy, by the pipeline its method declares (core/methods): each field means one thing. */
export type SavedMetrics =
  | { pipeline: 'distill'; difference: number | null } // Σ(align(S) − T)²/N at the last step
  | { pipeline: 'hgkd'; scratchAcc: number | null; mse: number | null }; // the scratch baseline's test accuracy; the last distillation MSE

export interface SavedRun {
  id: string;
  /** 1, 2, 3… in the order runs were made; stays with the run when others are deleted. */
  label: number;
  createdAt: number; // ms since the epoch
  config: ExperimentConfig;
  status: RunOutcomeStatus;
  backend: BackendName | null;
  steps: number; // steps taken
  testAcc: number | null; // completed: full test set; otherwise the last periodic evaluation
  trainAcc: number | null;
  metrics: SavedMetrics;
  stepsPerSec: number | null;
  seconds: number; // wall time, pauses included
  error: string | null; // failed and interrupted runs: why
  points: MetricsPoint[]; // downsampled for drawing (a few hundred)
  liveChanges: LiveChange[];
  /** The one-click experiment the run belongs to. */
  batch: { id: string; kind: BatchKind } | null;
  /** Overlaid on the charts. */
  selected: boolean;
}

/**
 * Bumped when SavedRun changes shape; older records are migrated here. 2: `config` is the config
 * as trained, its live α / λ changes in its schedules (alphaAt, lambdaAt); version 1 held the
 * starting values only, so its `liveChanges` are folded in on reading. 3: `metrics` by pipeline;
 * versions 1–2 held a top-level `difference` (always null for H-GKD runs, which have none).
 * 4: the training recipe rows (lrSchedule … wd); versions 1–3 trained with the legacy recipe
 * (constant lr, Adam, no weight decay), which their configs get on reading, as a link without `v`.
 */
export const RECORD_VERSION = 4;

export interface StoredRecord {
  version: number;
  run: SavedRun;
}

// Structured clone keeps NaN and ±Infinity (a diverged run's last losses), so any number is accepted.
const anyNumber = z.custom<number>((v) => typeof v === 'number');
const nullableNumber = anyNumber.nullable();

const pointSchema = z.object({
  step: anyNumber, loss: anyNumber, taskLoss: anyNumber, distillLoss: anyNumber, featureLoss: anyNumber, difference: anyNumber,
  batchAcc: anyNumber, trainAcc: anyNumber, alpha: anyNumber, lambda: anyNumber, stepMs: anyNumber, testAcc: anyNumber.optional(),
});

const metricsSchema = z.discriminatedUnion('pipeline', [
  z.object({ pipeline: z.literal('distill'), difference: nullableNumber }),
  z.object({ pipeline: z.literal('hgkd'), scratchAcc: nullableNumber, mse: nullableNumber }),
]);

const runSchema = z.object({
  id: z.string().min(1).max(100),
  label: z.number().int().positive(),
  createdAt: z.number(),
  config: z.record(z.string(), z.unknown()),
  status: z.enum(['completed', 'stopped', 'failed', 'interrupted']),
  backend: z.enum(['webgpu', 'wasm', 'webgl', 'cpu']).nullable(),
  steps: z.number().int().nonnegative(),
  testAcc: nullableNumber,
  trainAcc: nullableNumber,
  metrics: metricsSchema,
  stepsPerSec: nullableNumber,
  seconds: anyNumber,
  error: z.string().nullable(),
  points: z.array(pointSchema).max(5000),
  liveChanges: z.array(z.object({ step: anyNumber, param: z.enum(['alpha', 'lambda']), value: anyNumber })).max(5000),
  batch: z.object({ id: z.string(), kind: z.enum(BATCH_KINDS) }).nullable(),
  selected: z.boolean(),
});
const legacyRunSchema = runSchema.omit({ metrics: true }).extend({ difference: nullableNumber });

export function toRecord(run: SavedRun): StoredRecord {
  return { version: RECORD_VERSION, run };
}

export type ReadResult = { ok: true; run: SavedRun } | Unreadable;

/** Reads a stored record (any version up to RECORD_VERSION, migrated); never throws. */
export function fromRecord(raw: unknown): ReadResult {
  const version = typeof raw === 'object' && raw !== null ? (raw as { version?: unknown }).version : undefined;
  if (version === 1 || version === 2) return fromLegacy(raw, version);
  const current = version !== 3;
  const read = readVersioned(raw, current ? RECORD_VERSION : 3, 'run', runSchema);
  if (!read.ok) return read;
  const config = checkedConfig(current ? read.data.config : withLegacyRecipe(read.data.config));
  if (!config || read.data.metrics.pipeline !== methodOf(config.method).pipeline) return { ok: false, reason: 'damaged' };
  return { ok: true, run: { ...read.data, config } as SavedRun };
}

/** Versions 1–2: `difference` becomes the run's pipeline's metrics; version 1's live changes move into its config. */
function fromLegacy(raw: unknown, version: 1 | 2): ReadResult {
  const read = readVersioned(raw, version, 'run', legacyRunSchema);
  if (!read.ok) return read;
  const checked = checkedConfig(withLegacyRecipe(read.data.config));
  if (!checked) return { ok: false, reason: 'damaged' };
  const { difference, ...run } = read.data;
  const config = version === 1 ? withChanges(checked, run.liveChanges, run.steps) : checked;
  const metrics: SavedMetrics = methodOf(config.method).pipeline === 'hgkd' ? { pipeline: 'hgkd', scratchAcc: null, mse: null } : { pipeline: 'distill', difference };
  return { ok: true, run: { ...run, config, metrics } as SavedRun };
}
