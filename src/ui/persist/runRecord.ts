/**
 * A kept run and its stored form. Stored records carry a format version; reading one checks
 * every field (the config through the config schema, so a stored run can never load a config
 * the form would reject) and returns null for anything it cannot trust, instead of throwing:
 * a damaged or foreign record costs that one run, never the page.
 */
import * as z from 'zod';
import { type ExperimentConfig, withChanges } from '../../core/config';
import type { BackendName, LiveChange, MetricsPoint } from '../../worker/protocol';
import { checkedConfig, readVersioned, type Unreadable } from './versioned';

/** interrupted: the worker died under the run (crashed, killed, silent); its points up to then are kept. */
export type RunOutcomeStatus = 'completed' | 'stopped' | 'failed' | 'interrupted';
export type BatchKind = 'paper' | 'lambda' | 'ablation'; // ablation: H-GKD's Table 5 grid

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
  difference: number | null; // at the last step
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
 * starting values only, so its `liveChanges` are folded in on reading.
 */
export const RECORD_VERSION = 2;
const LEGACY_VERSION = 1;

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
  difference: nullableNumber,
  stepsPerSec: nullableNumber,
  seconds: anyNumber,
  error: z.string().nullable(),
  points: z.array(pointSchema).max(5000),
  liveChanges: z.array(z.object({ step: anyNumber, param: z.enum(['alpha', 'lambda']), value: anyNumber })).max(5000),
  batch: z.object({ id: z.string(), kind: z.enum(['paper', 'lambda', 'ablation']) }).nullable(),
  selected: z.boolean(),
});

export function toRecord(run: SavedRun): StoredRecord {
  return { version: RECORD_VERSION, run };
}

export type ReadResult = { ok: true; run: SavedRun } | Unreadable;

/** Reads a stored record; never throws. */
export function fromRecord(raw: unknown): ReadResult {
  const legacy = typeof raw === 'object' && raw !== null && (raw as { version?: unknown }).version === LEGACY_VERSION;
  const read = readVersioned(raw, legacy ? LEGACY_VERSION : RECORD_VERSION, 'run', runSchema);
  if (!read.ok) return read;
  const config = checkedConfig(read.data.config);
  if (!config) return { ok: false, reason: 'damaged' };
  const run = { ...read.data, config: legacy ? withChanges(config, read.data.liveChanges, read.data.steps) : config } as SavedRun;
  return { ok: true, run };
}
