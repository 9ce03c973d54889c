/**
 * Versions of the link format. A link (and a stored run) pins its run, so when a default that
 * changes the numbers moves, what was written before must keep reading as it was trained:
 *   1 (no `v` key): written before the training recipe; every run trained with a constant lr,
 *                   Adam, no weight decay, no warm-up.
 *   2: `v=2`, always written; the recipe rows (lrSchedule … wd) take their table defaults.
 */
import type { ExperimentConfig } from './schema';

export const LINK_VERSION = 2;
/** The URL key of the version; not a field (it says how to read the fields). */
export const VERSION_KEY = 'v';

/**
 * The recipe of version 1, over the table's defaults. Every recipe row whose value changes the
 * numbers is pinned, so a later change of a default cannot move an old link's run.
 */
export const LEGACY_RECIPE = Object.freeze({ lrSchedule: 'constant', optimizer: 'adam', wd: 0, warmup: 0 } as const satisfies Partial<ExperimentConfig>);

/** A config as version 1 wrote it (a stored record or link of before), read with its recipe. */
export function withLegacyRecipe<T extends object>(config: T): T & Partial<ExperimentConfig> {
  return { ...LEGACY_RECIPE, ...config };
}
