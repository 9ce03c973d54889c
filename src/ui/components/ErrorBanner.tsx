/** The last error of the worker: what kind, what happened; the page stays usable. */
import type { ErrorKind } from '../../worker/protocol';
import { useApp } from '../store';

const TITLE: Record<ErrorKind, string> = {
  config: 'Invalid setting',
  data: 'Data missing',
  backend: 'Backend unavailable',
  nan: 'Training diverged',
  'device-lost': 'GPU device lost',
  oom: 'Out of memory',
  'gpu-read': 'GPU read aborted',
  'worker-lost': 'Training worker lost',
  internal: 'Something went wrong',
};

export function ErrorBanner() {
  const error = useApp((s) => s.error);
  const dismiss = useApp((s) => s.dismissError);
  if (!error) return null;
  return (
    <div className="banner banner-error" role="alert" data-testid="error-banner" data-kind={error.kind}>
      <strong>{TITLE[error.kind]}:</strong> <span className="banner-message">{error.message}</span>
      <button type="button" className="banner-close" aria-label="Dismiss" onClick={dismiss}>
        ×
      </button>
    </div>
  );
}
