/** How a kept run is named and coloured everywhere it appears (runs table, chart legends). */
import type { SavedRun } from '../persist/runRecord';

/** Colours --run-1 … --run-8 (styles.css), picked by the run's label so a run keeps its colour. */
const PALETTE_SIZE = 8;

export function runColor(run: Pick<SavedRun, 'label'>): string {
  return `var(--run-${((run.label - 1) % PALETTE_SIZE) + 1})`;
}

export function runName(run: Pick<SavedRun, 'label' | 'config'>): string {
  return `#${run.label} ${run.config.method} s${run.config.seed}`;
}
