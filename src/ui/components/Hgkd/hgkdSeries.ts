/**
 * Pure shaping of H-GKD data for drawing: the fine-tune and scratch curves on one step axis,
 * the queue's similarity vectors thinned to a chart's width, and how empty a scale's holes are.
 * Drawn arrays are frozen, as the run charts' are (recharts' dev checks skip frozen data).
 */
import type { HgkdScaleMap, HgkdQueueView } from '../../../core/hgkd/snapshot';
import type { LabelledPoint } from '../../store/hgkdSlice';
import { DISPLAY_POINTS } from '../../store/series';

/** One row per step for the overlay chart: the distilled backbone's and the scratch baseline's numbers. */
export interface LabelledRow {
  step: number;
  ftLoss?: number;
  scratchLoss?: number;
  ftAcc?: number; // test accuracy on evaluation steps
  scratchAcc?: number;
}

export function labelledRows(finetune: readonly LabelledPoint[], scratch: readonly LabelledPoint[]): readonly LabelledRow[] {
  const rows = new Map<number, LabelledRow>();
  const row = (step: number) => rows.get(step) ?? rows.set(step, { step }).get(step)!;
  for (const p of finetune) Object.assign(row(p.step), { ftLoss: p.loss, ...(p.testAcc !== undefined && { ftAcc: p.testAcc }) });
  for (const p of scratch) Object.assign(row(p.step), { scratchLoss: p.loss, ...(p.testAcc !== undefined && { scratchAcc: p.testAcc }) });
  return Object.freeze([...rows.values()].sort((a, b) => a.step - b.step).map((r) => Object.freeze(r)));
}

/** Queue entry (0 = newest) with the two distributions' probabilities, at most `max` entries (every k-th). */
export interface SimilarityRow {
  entry: number;
  teacher: number;
  student: number;
}

export function similarityRows(q: HgkdQueueView, max = DISPLAY_POINTS): readonly SimilarityRow[] {
  if (!q.teacher || !q.student) return [];
  const stride = Math.max(1, Math.ceil(q.teacher.length / max));
  const rows: SimilarityRow[] = [];
  for (let i = 0; i < q.teacher.length; i += stride) rows.push(Object.freeze({ entry: i, teacher: q.teacher[i], student: q.student[i] }));
  return Object.freeze(rows);
}

/** Inactive positions of a scale, and how many of them carry any signal (sparse conv: none). */
export function holeStats(m: Pick<HgkdScaleMap, 'active' | 'attention'>): { holes: number; filled: number } {
  let holes = 0;
  let filled = 0;
  for (let p = 0; p < m.active.length; p++) {
    if (m.active[p] !== 0) continue;
    holes++;
    if (m.attention[p] !== 0) filled++;
  }
  return { holes, filled };
}
