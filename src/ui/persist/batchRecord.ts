/**
 * A one-click experiment in progress (paper comparison, λ sweep, H-GKD grid) and its stored
 * form, so a reload can offer to resume it. Same discipline as runRecord: a format version, every
 * config checked through the config schema, and null-with-a-reason instead of a throw for
 * anything that cannot be trusted.
 */
import * as z from 'zod';
import { type ExperimentConfig, validateConfig } from '../../core/config';
import type { BatchKind } from './runRecord';

export interface BatchState {
  id: string; // the kept runs' `batch.id`
  kind: BatchKind;
  /** The form's config before the batch, given back at its end. */
  base: ExperimentConfig;
  /** Every run of the batch, in order; run i is configs[i]. */
  configs: ExperimentConfig[];
  /** Runs ended so far (configs[done] is the one running). */
  done: number;
}

/** Bumped when BatchState changes shape; older records are then dropped (or migrated here). */
export const BATCH_RECORD_VERSION = 1;

export interface StoredBatch {
  version: number;
  batch: BatchState;
}

const batchSchema = z.object({
  id: z.string().min(1).max(100),
  kind: z.enum(['paper', 'lambda', 'ablation']),
  base: z.record(z.string(), z.unknown()),
  configs: z.array(z.record(z.string(), z.unknown())).min(1).max(1000),
  done: z.number().int().nonnegative(),
});

export function toBatchRecord(batch: BatchState): StoredBatch {
  return { version: BATCH_RECORD_VERSION, batch };
}

export type BatchReadResult = { ok: true; batch: BatchState } | { ok: false; reason: 'newer' | 'damaged' };

/** A stored config as the form would take it; null when any field is rejected. */
function checkedConfig(raw: Record<string, unknown>): ExperimentConfig | null {
  const { config, issues } = validateConfig(raw as Partial<ExperimentConfig>);
  return issues.some((i) => i.level === 'error') ? null : config;
}

/** Reads a stored batch; never throws. */
export function fromBatchRecord(raw: unknown): BatchReadResult {
  if (typeof raw !== 'object' || raw === null) return { ok: false, reason: 'damaged' };
  const version = (raw as { version?: unknown }).version;
  if (typeof version === 'number' && version > BATCH_RECORD_VERSION) return { ok: false, reason: 'newer' };
  if (version !== BATCH_RECORD_VERSION) return { ok: false, reason: 'damaged' };
  const parsed = batchSchema.safeParse((raw as { batch?: unknown }).batch);
  if (!parsed.success || parsed.data.done >= parsed.data.configs.length) return { ok: false, reason: 'damaged' };
  const base = checkedConfig(parsed.data.base);
  const configs = parsed.data.configs.map(checkedConfig);
  if (!base || configs.some((c) => c === null)) return { ok: false, reason: 'damaged' };
  return { ok: true, batch: { ...parsed.data, base, configs: configs as ExperimentConfig[] } };
}
