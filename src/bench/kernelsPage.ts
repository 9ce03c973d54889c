/**
 * Entry of kernels.html (dev/test only). Without a query it runs the parity checks; with
 * `?bench=masked|sparse|step&reps=N&batch=N[&kernels=off]` one part of the benchmark (bench.ts);
 * `kernels=off` leaves the WGSL kernels unregistered, so the ops take their reference path. The
 * outcome goes to `window.__kernels` for e2e/kernels.spec.ts and scripts/bench-kernels.ts.
 */
import { type BenchOptions, runBench } from './bench';
import { BENCH_PARTS, type BenchPart } from './parts';
import { initWebGPU } from './gpu';
import { runParity } from './parity';

declare global {
  interface Window {
    __kernels?: { adapter: Awaited<ReturnType<typeof initWebGPU>>; result?: unknown; error?: string };
  }
}

function benchOptions(q: URLSearchParams): BenchOptions {
  const int = (key: string, fallback: number) => {
    const v = Number(q.get(key) ?? fallback);
    if (!Number.isInteger(v) || v < 1) throw new Error(`${key} must be a positive integer, got ${q.get(key)}`);
    return v;
  };
  const part = q.get('bench') as BenchPart;
  if (!BENCH_PARTS.includes(part)) throw new Error(`bench must be one of ${BENCH_PARTS.join(', ')}, got ${part}`);
  return { part, reps: int('reps', 5), batch: int('batch', 64) };
}

async function main(): Promise<void> {
  const out = document.getElementById('out')!;
  const q = new URLSearchParams(location.search);
  const withKernels = q.get('kernels') !== 'off';
  const adapter = await initWebGPU(withKernels);
  if (!adapter) {
    window.__kernels = { adapter: null, error: 'no WebGPU adapter in this browser' };
    out.textContent = window.__kernels.error!;
    return;
  }
  try {
    const result = q.has('bench') ? await runBench(benchOptions(q), withKernels) : await runParity();
    window.__kernels = { adapter, result };
    out.textContent = JSON.stringify(result, null, 1);
  } catch (e) {
    window.__kernels = { adapter, error: e instanceof Error ? `${e.message}\n${e.stack}` : String(e) };
    out.textContent = window.__kernels.error!;
  }
}

void main();
