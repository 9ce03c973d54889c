/**
 * Start and progress of a one-click experiment (paper comparison, λ sweep, H-GKD grid): a seeds
 * count, any extra inputs, the start button, and while it runs "run k of n" with a Stop that ends
 * the current run and cancels the rest of the queue, and the time left (the current run's steps
 * at its speed, then the queued runs at the seconds per step the ended ones took). A batch of
 * this kind that a reload cut short is offered for resuming (or discarding) here.
 */
import { type ReactNode, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { DEFAULT_SEEDS, MAX_SEEDS } from '../../core/compare/batches';
import type { BatchKind } from '../persist/runRecord';
import { batchSecondsLeft, formatLeft, overallProgress, secondsLeft } from '../progress';
import { isActive, useApp } from '../store';
import { useBatchRuns } from './batchRuns';

interface Props {
  kind: BatchKind;
  startLabel: string;
  defaultSeeds?: number;
  /** Starts the batch with the seeds count; returns an error message instead when an input is bad. */
  onStart(seeds: number): string | null;
  children?: ReactNode;
}

/** "≈ 4 min 10 s left" of the batch under way, or null while its speed is unknown. */
function useBatchLeft(kind: BatchKind): number | null {
  const runs = useBatchRuns(kind);
  const s = useApp(useShallow((s) => ({ batch: s.batch, status: s.status, step: s.step, steps: s.steps, stepsPerSec: s.stepsPerSec, phase: s.phase, config: s.config })));
  if (!s.batch || s.batch.kind !== kind) return null;
  const current = overallProgress({ status: s.status, step: s.step, steps: s.steps, config: s.config, phase: s.phase });
  return batchSecondsLeft({
    currentLeft: s.status === 'running' || s.status === 'paused' ? secondsLeft(current, s.stepsPerSec) : null,
    queued: s.batch.configs.slice(s.batch.done + 1),
    ended: runs.filter((r) => r.status === 'completed'),
    stepsPerSec: s.stepsPerSec,
  });
}

export function BatchControls({ kind, startLabel, defaultSeeds = DEFAULT_SEEDS, onStart, children }: Props) {
  const { batch, interrupted, notice, busy, stop, resume, discard } = useApp(
    useShallow((s) => ({
      batch: s.batch, interrupted: s.interruptedBatch, notice: s.batchNotice, busy: isActive(s.status) || s.batch !== null,
      stop: s.stop, resume: s.resumeBatch, discard: s.discardBatch,
    })),
  );
  const left = useBatchLeft(kind);
  const [seeds, setSeeds] = useState(String(defaultSeeds));
  const [error, setError] = useState<string | null>(null);
  const mine = batch?.kind === kind ? batch : null;
  const cut = interrupted?.kind === kind ? interrupted : null;
  const start = () => {
    const n = Number(seeds);
    setError(Number.isInteger(n) && n >= 1 && n <= MAX_SEEDS ? onStart(n) : `Seeds: a whole number from 1 to ${MAX_SEEDS}.`);
  };
  return (
    <div className="batch-controls" data-testid={`batch-${kind}`}>
      <label className="batch-field">
        seeds
        <input type="number" min={1} max={MAX_SEEDS} step={1} value={seeds} disabled={busy} onChange={(e) => setSeeds(e.target.value)} aria-label={`Seeds per setting (${kind})`} />
      </label>
      {children}
      <button type="button" className="primary" disabled={busy} onClick={start}>
        {startLabel}
      </button>
      {mine && (
        <span className="batch-progress" data-testid={`batch-progress-${kind}`} data-done={mine.done} data-total={mine.configs.length}>
          <progress max={mine.configs.length} value={mine.done} aria-label="Batch progress" /> run {mine.done + 1} of {mine.configs.length}
          {left !== null && (
            <span className="batch-eta" data-testid={`batch-eta-${kind}`} title="The current run's steps at its speed, then the queued runs at the seconds per step the ended ones took">
              {' · '}
              {formatLeft(left)}
            </span>
          )}
          <button type="button" onClick={stop}>
            Stop
          </button>
        </span>
      )}
      {cut && (
        <span className="batch-interrupted" role="status" data-testid={`batch-interrupted-${kind}`} data-done={cut.done} data-total={cut.configs.length}>
          Batch interrupted: {cut.done} of {cut.configs.length} runs done. Resume restarts run {cut.done + 1} from its first step.
          <span className="batch-actions">
            <button type="button" disabled={busy} onClick={resume}>
              Resume
            </button>
            <button type="button" onClick={discard}>
              Discard
            </button>
          </span>
        </span>
      )}
      {error && <span className="field-error">{error}</span>}
      {!mine && notice?.kind === kind && <span className="batch-notice">{notice.message}</span>}
    </div>
  );
}
