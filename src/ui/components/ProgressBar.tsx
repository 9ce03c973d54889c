/** Steps done of the run (over all H-GKD phases), its speed, time left, what it is doing, and its outcome. */
import { fmt, pct } from '../format';
import { useShallow } from 'zustand/react/shallow';
import { finalEvalNote, formatLeft, overallProgress, phaseText, secondsLeft, statusText } from '../progress';
import { useApp } from '../store';

export function ProgressBar() {
  const s = useApp(
    useShallow((s) => ({
      status: s.status, step: s.step, steps: s.steps, stepsPerSec: s.stepsPerSec, summary: s.summary, phase: s.phase,
      startPhase: s.startPhase, backend: s.backend?.name ?? null, finalEval: s.finalEval, config: s.config,
    })),
  );
  const { status, step, steps, stepsPerSec, summary } = s;
  const progress = overallProgress({ status, step, steps, config: s.config, phase: s.phase, hgkd: summary?.pipeline === 'hgkd' ? summary.hgkd : undefined });
  const left = status === 'running' ? secondsLeft(progress, stepsPerSec) : null;
  const finalEval = summary?.finalEval ?? null;
  return (
    <div className="progress" data-testid="progress" data-status={status} data-step={step} data-steps={steps} data-done={progress.done} data-total={progress.total}>
      <progress max={progress.total || 1} value={progress.done} aria-label="Training progress" />
      <div className="progress-text">
        <span className="progress-steps">
          step <b data-testid="step-count">{step}</b> / {steps || '–'}
        </span>
        {progress.phase && (
          <span className="progress-phase" data-testid="progress-phase" data-phase={progress.phase.name}>
            {phaseText(progress.phase, s.config.ftMode)}
          </span>
        )}
        <span>{stepsPerSec > 0 ? `${fmt(stepsPerSec)} steps/s` : ''}</span>
        {left !== null && (
          <span className="progress-eta" data-testid="run-eta" title="Training steps left at the current speed (the final evaluation comes on top)">
            {formatLeft(left)}
          </span>
        )}
        <span className={`status status-${status}`} data-testid="run-status">
          {/* A run that ended by Stop is "stopped", not "done". */}
          {status === 'done' && summary?.reason === 'stopped' ? 'stopped' : statusText({ status, startPhase: s.startPhase, backend: s.backend, finalEval: s.finalEval })}
        </span>
        {summary && (
          <span data-testid="summary" data-final-eval={finalEval?.kind}>
            {summary.reason === 'completed'
              ? `test acc ${pct(summary.testAcc)} ${finalEvalNote(finalEval)}`
              : summary.steps === steps
                ? 'stopped before the final evaluation'
                : `stopped at step ${summary.steps}`}
          </span>
        )}
      </div>
    </div>
  );
}
