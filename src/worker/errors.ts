/**
 * Typed errors of the worker and the mapping of anything thrown to an `error` event's kind.
 * The session catches every error of a run and reports it through `describeError`.
 */
import { ConfigError } from '../core/config';
import { DataError } from '../core/data/decode';
import { NonFiniteLossError } from '../core/loop/nonFiniteLoss';
import type { BackendName, ErrorKind } from './protocol';

/** A forced backend that cannot start here (no WebGPU adapter, no WebGL context, …). */
export class BackendUnavailableError extends Error {
  override readonly name = 'BackendUnavailableError';
  constructor(readonly backend: BackendName, reason: string) {
    super(`backend ${backend} is not available here: ${reason}`);
  }
}

/** The GPU device went away (`GPUDevice.lost`); the run cannot continue on it. */
export class DeviceLostError extends Error {
  override readonly name = 'DeviceLostError';
  constructor(readonly reason: string, detail: string) {
    super(`the GPU device was lost (${reason}${detail ? `: ${detail}` : ''}); start again to re-create it`);
  }
}

/** The GPU ran out of memory (a GPUOutOfMemoryError nobody captured); the run cannot go on. */
export class GpuOutOfMemoryError extends Error {
  override readonly name = 'GpuOutOfMemoryError';
  constructor(detail: string) {
    super(`the GPU ran out of memory (${detail || 'no detail'}); try a smaller batch or model`);
  }
}

/** How long a failed GPU operation waits for its device's fault, which names the real cause. */
const FAULT_GRACE_MS = 500;

/**
 * Rethrows `e`, or the device fault behind it: a destroyed device first fails the reads in
 * flight (mapAsync AbortError) and only then resolves `lost`, so a failure waits briefly for it.
 */
export async function rethrowFault(fault: Promise<Error>, e: unknown): Promise<never> {
  const grace = new Promise<null>((resolve) => setTimeout(() => resolve(null), FAULT_GRACE_MS));
  throw (await Promise.race([fault, grace])) ?? e;
}

/**
 * A guard for a run on a device with `fault` (resolving if the device is lost or out of
 * memory): each guarded promise settles as itself, or rejects with the fault once it comes (or
 * with rethrowFault's answer when it fails). The fault promise gets one reaction for the whole
 * run: a Promise.race against it per call would add one per call, kept until the run ends (the
 * WebGPU worker's heap grew ~0.9 KB a step that way).
 */
export function faultGuard(fault: Promise<Error> | null): <T>(p: Promise<T>) => Promise<T> {
  if (!fault) return (p) => p;
  const waiting = new Set<(e: Error) => void>();
  let faulted: Error | null = null;
  void fault.then((e) => {
    faulted = e;
    for (const reject of waiting) reject(e);
    waiting.clear();
  });
  return <T>(p: Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      if (faulted) {
        p.catch(() => {}); // its own failure no longer matters
        reject(faulted);
        return;
      }
      waiting.add(reject);
      p.then(resolve, (e: unknown) => rethrowFault(fault, e).catch(reject)).finally(() => waiting.delete(reject));
    });
}

export interface ErrorReport {
  kind: ErrorKind;
  message: string;
  field?: string;
}

// Wasm heap growth, typed-array allocation and WebGPU buffer creation failures.
const OOM = /out of memory|\boom\b|allocation failed|failed to allocate|cannot enlarge memory|exceeds? .*max(imum)? buffer size/i;

export function describeError(e: unknown): ErrorReport {
  if (e instanceof ConfigError) return { kind: 'config', message: e.message, field: e.field };
  if (e instanceof DataError) return { kind: 'data', message: e.message };
  if (e instanceof NonFiniteLossError) return { kind: 'nan', message: e.message };
  if (e instanceof DeviceLostError) return { kind: 'device-lost', message: e.message };
  if (e instanceof BackendUnavailableError) return { kind: 'backend', message: e.message };
  if (e instanceof GpuOutOfMemoryError) return { kind: 'oom', message: e.message };
  const message = e instanceof Error ? e.message : String(e);
  // tfjs's data() awaits GPUBuffer.mapAsync, which rejects with an AbortError when the read is
  // cancelled (tfjs issue 8571); the device may be fine, so the next run simply tries again.
  if (e instanceof DOMException && e.name === 'AbortError') {
    return { kind: 'gpu-read', message: `reading a result back from the GPU was aborted (${message}); start again` };
  }
  if (OOM.test(message)) return { kind: 'oom', message: `out of memory: ${message} (try a smaller batch or model)` };
  return { kind: 'internal', message: message || 'unknown error' };
}
