/**
 * The current H-GKD run as the page draws it: the points of its three phases (thinned like the
 * run slice's), the latest mask-view / queue snapshot and the final summary. Fed by the same
 * worker events as the run slice; a run's `ready` starts it afresh.
 */
import type { HgkdPhase, HgkdPoint, HgkdSnapshot, HgkdSummary, WorkerEvent } from '../../worker/protocol';
import { appendThinned } from './series';
import type { Slice } from './types';

export type DistillPoint = Extract<HgkdPoint, { phase: 'distill' }>;
export type LabelledPoint = Extract<HgkdPoint, { phase: 'finetune' | 'scratch' }>;

export interface HgkdView {
  phase: HgkdPhase | null;
  distill: DistillPoint[];
  finetune: LabelledPoint[];
  scratch: LabelledPoint[];
  snapshot: { step: number; snapshot: HgkdSnapshot } | null;
  summary: HgkdSummary | null;
}

export interface HgkdSlice {
  hgkd: HgkdView;
  receiveHgkd(event: WorkerEvent): void;
}

const EMPTY: HgkdView = { phase: null, distill: [], finetune: [], scratch: [], snapshot: null, summary: null };

/** Appends a batch; a point for the step already last (a phase's final accuracy) replaces it. */
function merge<P extends { step: number; testAcc?: number }>(points: readonly P[], batch: readonly P[]): P[] {
  if (batch.length === 0) return points as P[];
  const last = points.at(-1);
  const head = last && last.step === batch[0].step ? points.slice(0, -1) : points;
  return appendThinned(head, batch);
}

export const hgkdSlice: Slice<HgkdSlice> = (set, get) => ({
  hgkd: EMPTY,
  receiveHgkd(event) {
    const view = get().hgkd;
    switch (event.type) {
      case 'ready':
        if (event.runId !== null) set({ hgkd: EMPTY });
        return;
      case 'progress': {
        if (event.pipeline !== 'hgkd' || !event.phase) return;
        const batch = event.points;
        set({
          hgkd: {
            ...view,
            phase: event.phase,
            distill: merge(view.distill, batch.filter((p): p is DistillPoint => p.phase === 'distill')),
            finetune: merge(view.finetune, batch.filter((p): p is LabelledPoint => p.phase === 'finetune')),
            scratch: merge(view.scratch, batch.filter((p): p is LabelledPoint => p.phase === 'scratch')),
          },
        });
        return;
      }
      case 'hgkd-snapshot':
        set({ hgkd: { ...view, snapshot: { step: event.step, snapshot: event.snapshot } } });
        return;
      case 'done':
        if (event.summary.pipeline === 'hgkd') set({ hgkd: { ...view, summary: event.summary.hgkd } });
        return;
      default:
        return; // every other event belongs to the run slice
    }
  },
});
