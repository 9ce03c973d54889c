/**
 * A one-click experiment in progress (paper comparison, λ sweep, H-GKD grid) and its stored
 * form, so a reload can offer to resume it. Same discipline as runRecord: a format version, every
 * config checked through the config schema, and null-with-a-reason instead of a throw for
 * anything that cannot be trusted.
 */
import * as z from 'zod';
import { type ExperimentConfig, withLegacyRecipe } from '../../core/config';
import { BATCH_KINDS, type BatchKind } from './runRecord';
import { checkedConfig, readVersioned, type Unreadable } from './versioned';

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

/**
 * Bumped when BatchState changes shape; older records are then dropped (or migrated here).
 * 2: the training recipe rows; version 1's configs read with the legacy recipe (as runRecord's 1–3).
 */
export const BATCH_RECORD_VERSION = 2;

export interface StoredBatch {
  version: number;
  batch: BatchState;
}

const batchSchema = z.object({
  id: z.string().min(1).max(100),
  kind: z.enum(BATCH_KINDS),
  base: z.record(z.string(), z.unknown()),
  configs: z.array(z.record(z.string(), z.unknown())).min(1).max(1000),
  done: z.number().int().nonnegative(),
});

export function toBatchRecord(batch: BatchState): StoredBatch {
  return { version: BATCH_RECORD_VERSION, batch };
}

export type BatchReadResult = { ok: true; batch: BatchState } | Unreadable;

/** Reads a stored batch; never throws. */
export function fromBatchRecord(raw: unknown): BatchReadResult {
  const v1 = typeof raw === 'object' && raw !== null && (raw as { version?: unknown }).version === 1;
  const read = readVersioned(raw, v1 ? 1 : BATCH_RECORD_VERSION, 'batch', batchSchema);
  if (!read.ok) return read;
  if (read.data.done >= read.data.configs.length) return { ok: false, reason: 'damaged' };
  const recipe = (c: Record<string, unknown>) => checkedConfig(v1 ? withLegacyRecipe(c) : c);
  const base = recipe(read.data.base);
  const configs = read.data.configs.map(recipe);
  if (!base || configs.some((c) => c === null)) return { ok: false, reason: 'damaged' };
  return { ok: true, batch: { ...read.data, base, configs: configs as ExperimentConfig[] } };
}
