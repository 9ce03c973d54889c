/**
 * The envelope every stored record shares: `{ version, <payload key>: … }`. Reading checks the
 * version and the payload's shape and never throws; a record from a newer playground is told
 * apart from a damaged one, so the page can say which.
 */
import type * as z from 'zod';
import { type ExperimentConfig, validateConfig } from '../../core/config';

export type Unreadable = { ok: false; reason: 'newer' | 'damaged' };

/** `raw[key]` parsed by `schema` when `raw.version` is exactly `version`. */
export function readVersioned<S extends z.ZodType>(raw: unknown, version: number, key: string, schema: S): { ok: true; data: z.infer<S> } | Unreadable {
  if (typeof raw !== 'object' || raw === null) return { ok: false, reason: 'damaged' };
  const stored = (raw as { version?: unknown }).version;
  if (typeof stored === 'number' && stored > version) return { ok: false, reason: 'newer' };
  if (stored !== version) return { ok: false, reason: 'damaged' };
  const parsed = schema.safeParse((raw as Record<string, unknown>)[key]);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, reason: 'damaged' };
}

/** A stored config as the form would take it; null when any field is rejected. */
export function checkedConfig(raw: unknown): ExperimentConfig | null {
  const { config, issues } = validateConfig(raw as Partial<ExperimentConfig>);
  return issues.some((i) => i.level === 'error') ? null : config;
}
