/** Train / Pause / Resume / Step / Stop. Buttons only call store actions. */
import { useShallow } from 'zustand/react/shallow';
import { isActive, useApp } from '../store';
import { trainBlocker } from '../store/dataSlice';

export function RunControls() {
  const status = useApp((s) => s.status);
  const pending = useApp((s) => s.pending);
  const { train, pause, resume, stepOnce, stop } = useApp(useShallow((s) => ({ train: s.train, pause: s.pause, resume: s.resume, stepOnce: s.stepOnce, stop: s.stop })));
  const blocker = useApp(trainBlocker);
  const active = isActive(status);
  return (
    <div className="run-controls" role="group" aria-label="Run controls">
      <button type="button" className="primary" disabled={active} onClick={train} title={blocker ?? undefined}>
        Train
      </button>
      {status === 'paused' ? (
        <button type="button" disabled={pending !== null} onClick={resume}>
          {pending === 'resume' ? 'Resuming…' : 'Resume'}
        </button>
      ) : (
        <button type="button" disabled={status !== 'running' || pending !== null} onClick={pause}>
          {pending === 'pause' ? 'Pausing…' : 'Pause'}
        </button>
      )}
      <button type="button" disabled={!(status === 'running' || status === 'paused') || pending !== null} onClick={stepOnce} title="Take one step, then stay paused">
        Step
      </button>
      <button type="button" disabled={!active || pending === 'stop'} onClick={stop} title={status === 'evaluating' ? 'Skip the final evaluation' : undefined}>
        {pending === 'stop' ? 'Stopping…' : 'Stop'}
      </button>
    </div>
  );
}
