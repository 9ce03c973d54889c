/** The last error of the worker: what kind, what happened; the page stays usable. */
import { useApp } from '../store';

const TITLE = {
  config: 'Invalid setting',
  data: 'Data missing',
  backend: 'Backend unavailable',
  nan: 'Training diverged',
  'device-lost': 'GPU device lost',
  oom: 'Out of memory',
  'gpu-read': 'GPU read aborted',
  internal: 'Something went wrong',
} as const;

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
