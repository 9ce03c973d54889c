/** The kept runs of a one-click experiment: the batch under way of that kind, else the latest one. */
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { RunOutcome } from '../../core/compare/batches';
import type { BatchKind, SavedRun } from '../persist/runRecord';
import { useApp } from '../store';

export function useBatchRuns(kind: BatchKind): SavedRun[] {
  const { runs, batch } = useApp(useShallow((s) => ({ runs: s.runs, batch: s.batch })));
  return useMemo(() => {
    const id = batch?.kind === kind ? batch.id : runs.filter((r) => r.batch?.kind === kind).at(-1)?.batch?.id;
    return id ? runs.filter((r) => r.batch?.id === id) : [];
  }, [runs, batch, kind]);
}

/**
 * What completed runs contribute to a batch summary. Stopped and failed runs are left out: a
 * run cut short would be compared on fewer steps (the table counts them separately).
 */
export function outcomesOf(runs: readonly SavedRun[]): RunOutcome[] {
  return runs
    .filter((r) => r.status === 'completed')
    .map((r) => ({ method: r.config.method, lambda: r.config.lambda, seed: r.config.seed, testAcc: r.testAcc, difference: r.metrics.pipeline === 'distill' ? r.metrics.difference : null }));
}
