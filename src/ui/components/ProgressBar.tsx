/** Steps done of the run, its speed and state. */
import { fmt, pct } from '../format';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../store';

const LABEL = { idle: 'ready', starting: 'loading data and teacher…', running: 'training', paused: 'paused', evaluating: 'evaluating on the full test set…', done: 'done', failed: 'failed' } as const;

export function ProgressBar() {
  const { status, step, steps, stepsPerSec, summary } = useApp(
    useShallow((s) => ({ status: s.status, step: s.step, steps: s.steps, stepsPerSec: s.stepsPerSec, summary: s.summary })),
  );
  const total = steps || 1;
  return (
    <div className="progress" data-testid="progress" data-status={status} data-step={step} data-steps={steps}>
      <progress max={total} value={step} aria-label="Training progress" />
      <div className="progress-text">
        <span className="progress-steps">
          step <b data-testid="step-count">{step}</b> / {steps || '–'}
        </span>
        <span>{stepsPerSec > 0 ? `${fmt(stepsPerSec)} steps/s` : ''}</span>
        {/* A run that ended by Stop is "stopped", not "done". */}
        <span className={`status status-${status}`}>{status === 'done' && summary?.reason === 'stopped' ? 'stopped' : LABEL[status]}</span>
        {summary && (
          <span data-testid="summary">
            {summary.reason === 'completed'
              ? `test acc ${pct(summary.testAcc)} (full test set)`
              : summary.steps === steps
                ? 'stopped before the final evaluation'
                : `stopped at step ${summary.steps}`}
          </span>
        )}
      </div>
    </div>
  );
}
