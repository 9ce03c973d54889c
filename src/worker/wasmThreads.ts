/**
 * How many threads the wasm backend runs with in this worker. Threads need SharedArrayBuffer,
 * which the browser gives only to a cross-origin isolated page (COOP same-origin + COEP
 * require-corp, see vite.config.ts); otherwise the backend runs single-threaded and says why.
 */

/** What the badge shows: the thread count and, when it is 1 for lack of isolation, why. */
export interface WasmThreads {
  count: number;
  limitedBy: string | null; // why there are not more threads (null: one per core)
}

/** Threads past this gain little on these small convolutions and cost the page its cores. */
export const MAX_WASM_THREADS = 8;

export interface ThreadEnvironment {
  crossOriginIsolated: boolean;
  sharedArrayBuffer: boolean; // typeof SharedArrayBuffer !== 'undefined'
  cores: number; // navigator.hardwareConcurrency
}

export function planWasmThreads(env: ThreadEnvironment): WasmThreads {
  if (!env.crossOriginIsolated || !env.sharedArrayBuffer) {
    return { count: 1, limitedBy: 'the page is not cross-origin isolated (COOP/COEP headers missing), so wasm runs on one thread' };
  }
  const cores = Math.max(1, Math.floor(env.cores) || 1);
  if (cores === 1) return { count: 1, limitedBy: 'this device reports one core' };
  if (cores > MAX_WASM_THREADS) return { count: MAX_WASM_THREADS, limitedBy: `capped at ${MAX_WASM_THREADS} of ${cores} cores` };
  return { count: cores, limitedBy: null };
}

export function workerThreadEnvironment(): ThreadEnvironment {
  return {
    crossOriginIsolated: Boolean((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated),
    sharedArrayBuffer: typeof SharedArrayBuffer !== 'undefined',
    cores: typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : 1,
  };
}
