/** Which tfjs backend the worker runs on, and for WebGPU, which adapter. */
import { useApp } from '../store';

export function BackendBadge() {
  const backend = useApp((s) => s.backend);
  const choice = useApp((s) => s.config.backend);
  if (!backend) {
    return (
      <span className="badge badge-pending" data-testid="backend-badge" data-backend="">
        starting {choice} backend…
      </span>
    );
  }
  const a = backend.adapter;
  const adapter = a ? [a.vendor, a.architecture].filter(Boolean).join(' ') || 'unknown adapter' : '';
  return (
    <span
      className={`badge badge-${backend.name}`}
      data-testid="backend-badge"
      data-backend={backend.name}
      title={a?.isFallback ? 'A software (fallback) adapter: real WebGPU, CPU speed' : `tfjs backend: ${backend.name}`}
    >
      {backend.name}
      {a && (
        <span className="badge-adapter">
          {' · '}
          {adapter}
          {a.isFallback ? ' (fallback)' : ''}
        </span>
      )}
    </span>
  );
}
