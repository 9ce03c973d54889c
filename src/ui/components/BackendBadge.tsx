/**
 * Which tfjs backend the worker runs on, for WebGPU which adapter, whether the custom WGSL
 * kernels are in use, on wasm how many threads (and why only one), and (tooltip) what `auto` measured on each backend it tried.
 */
import type { BackendTiming } from '../../worker/protocol';
import { useApp } from '../store';

function describeTiming(t: BackendTiming): string {
  return 'msPerStep' in t ? `${t.backend} ${t.msPerStep.toFixed(1)} ms/step` : `${t.backend} not used (${t.skipped})`;
}

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
  const wgsl = backend.kernels === 'webgpu';
  const threads = backend.threads;
  const title = [
    a?.isFallback ? 'A software (fallback) adapter: real WebGPU, CPU speed' : `tfjs backend: ${backend.name}`,
    ...(threads ? [`wasm threads: ${threads.count}${threads.limitedBy ? ` (${threads.limitedBy})` : ''}`] : []),
    wgsl ? 'Masked / sparse convolutions run as fused WGSL kernels' : 'Masked / sparse convolutions run as plain tfjs ops',
    ...(backend.timings.length > 0 ? [`auto measured one training step: ${backend.timings.map(describeTiming).join('; ')}`] : []),
  ].join('\n');
  return (
    <span
      className={`badge badge-${backend.name}`}
      data-testid="backend-badge"
      data-backend={backend.name}
      data-kernels={backend.kernels}
      data-threads={threads?.count}
      title={title}
    >
      {backend.name}
      {a && (
        <span className="badge-adapter">
          {' · '}
          {adapter}
          {a.isFallback ? ' (fallback)' : ''}
        </span>
      )}
      {threads && (
        <span className="badge-threads">
          {' · '}
          {threads.count === 1 ? '1 thread' : `${threads.count} threads`}
          {threads.count === 1 && threads.limitedBy?.includes('isolated') ? ' (not isolated)' : ''}
        </span>
      )}
      {wgsl && <span className="badge-kernels"> · WGSL kernels</span>}
    </span>
  );
}
