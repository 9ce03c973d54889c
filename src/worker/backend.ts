/// <reference types="@webgpu/types" />
/**
 * Backend selection inside the browser worker.
 *
 * `auto`: WebGPU when `navigator.gpu.requestAdapter()` gives an adapter, else wasm, else WebGL,
 * else cpu; each candidate that fails to initialise falls through to the next. A forced backend
 * is honoured or fails with a BackendUnavailableError saying why.
 *
 * wasm runs single-threaded SIMD: the threaded build spawns its own workers from a blob, which
 * breaks inside a Vite-bundled module worker. It is imported when first chosen; its binaries
 * come from Vite `?url` imports, so they are fingerprinted and served by the dev server and the
 * build alike. wasm and cpu get the engine's training kernels (wasm has no conv filter
 * gradients of its own).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import { registerTrainingKernels } from '../core/backends/registerTrainingKernels';
import { BackendUnavailableError, DeviceLostError } from './errors';
import type { AdapterInfo, BackendChoice, BackendName } from './protocol';
import type { BackendHandle } from './session';

const AUTO_ORDER: readonly BackendName[] = ['webgpu', 'wasm', 'webgl', 'cpu'];

let wasmConfigured: Promise<void> | null = null;

/**
 * Loads the wasm backend on first use (a WebGPU session never downloads it) and points it at
 * its binaries. A failure here fails the wasm backend only; `auto` then moves on.
 */
function configureWasm(): Promise<void> {
  wasmConfigured ??= import('@tensorflow/tfjs-backend-wasm').then(({ setWasmPaths }) => {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    setWasmPaths({
      'tfjs-backend-wasm.wasm': wasmPlainUrl,
      'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
      // Never chosen with threads off; mapped anyway so setWasmPaths accepts the map.
      'tfjs-backend-wasm-threaded-simd.wasm': wasmSimdUrl,
    });
  });
  wasmConfigured.catch(() => (wasmConfigured = null)); // retried by the next request
  return wasmConfigured;
}

async function requestAdapter(): Promise<GPUAdapter | null> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return null;
  try {
    // Same options as tfjs-backend-webgpu's own request, so we describe the adapter it uses.
    return await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch {
    return null;
  }
}

function describeAdapter(adapter: GPUAdapter): AdapterInfo {
  // `info` replaced requestAdapterInfo() and `isFallbackAdapter` moved onto it (Chrome 125+);
  // @webgpu/types 0.1.38 predates both, hence the widened type.
  const a = adapter as GPUAdapter & { info?: GPUAdapterInfo & { isFallbackAdapter?: boolean }; isFallbackAdapter?: boolean };
  const info = a.info;
  const legacy = a.isFallbackAdapter;
  return { vendor: info?.vendor ?? '', architecture: info?.architecture ?? '', isFallback: Boolean(info?.isFallbackAdapter ?? legacy) };
}

// ---------------------------------------------------------------------------------------------
// Device loss: each WebGPU device gets one `lost` watcher; after a loss the backend is rebuilt
// on the next start (tfjs would otherwise keep handing out the dead device).
// ---------------------------------------------------------------------------------------------

const lostWatchers = new WeakMap<GPUDevice, Promise<DeviceLostError>>();
let webgpuNeedsReset = false;

function watchDevice(device: GPUDevice): Promise<DeviceLostError> {
  let watcher = lostWatchers.get(device);
  if (!watcher) {
    watcher = device.lost.then((info) => {
      webgpuNeedsReset = true;
      return new DeviceLostError(info.reason ?? 'unknown', info.message);
    });
    lostWatchers.set(device, watcher);
  }
  return watcher;
}

/** Drops a dead WebGPU backend and re-registers its factory, so the next setBackend makes a new device. */
function resetWebGPU(): void {
  const factory = tf.findBackendFactory('webgpu');
  if (!factory) return;
  tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', factory, 3);
  webgpuNeedsReset = false;
}

/** Switches tfjs to `name`; the reason it failed, or null on success. */
async function trySetBackend(name: BackendName): Promise<string | null> {
  if (name === 'webgpu' && webgpuNeedsReset) resetWebGPU();
  try {
    if (name === 'wasm') await configureWasm();
    if (!(await tf.setBackend(name))) return 'it failed to initialise';
    await tf.ready();
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  if (name === 'wasm' || name === 'cpu') registerTrainingKernels(name);
  return null;
}

async function start(name: BackendName, adapter: GPUAdapter | null): Promise<BackendHandle> {
  if (name !== 'webgpu') return { name, adapter: null, lost: null };
  const device = (tf.backend() as WebGPUBackend).device;
  return { name, adapter: adapter ? describeAdapter(adapter) : null, lost: watchDevice(device) };
}

/** Makes `choice` the active tfjs backend (see the file comment for `auto`). */
export async function initBackend(choice: BackendChoice): Promise<BackendHandle> {
  const adapter = choice === 'auto' || choice === 'webgpu' ? await requestAdapter() : null;
  if (choice !== 'auto') {
    if (choice === 'webgpu' && !adapter) {
      throw new BackendUnavailableError('webgpu', 'navigator.gpu gave no adapter (no WebGPU support, or it is disabled)');
    }
    const failure = await trySetBackend(choice);
    if (failure !== null) throw new BackendUnavailableError(choice, failure);
    return start(choice, adapter);
  }
  const reasons: string[] = [];
  for (const name of AUTO_ORDER) {
    if (name === 'webgpu' && !adapter) continue;
    const failure = await trySetBackend(name);
    if (failure === null) return start(name, adapter);
    reasons.push(`${name}: ${failure}`);
  }
  throw new BackendUnavailableError('cpu', `no backend could start (${reasons.join('; ')})`);
}
