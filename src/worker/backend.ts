/// <reference types="@webgpu/types" />
/**
 * Backend selection inside the browser worker.
 *
 * `auto`: times one small training step of the run's student on each candidate — WebGPU when
 * `navigator.gpu.requestAdapter()` gives an adapter, wasm, WebGL — and keeps the fastest
 * (./backendProbe); the decision is cached per student and batch for the worker's life. cpu is
 * the last resort, never timed. A forced backend skips the probe: it is honoured or fails with a
 * BackendUnavailableError saying why.
 *
 * On webgpu the custom WGSL kernels are installed (registerWebGPUKernels), so masked / sparse
 * convolutions run fused; the ready event reports that path (`kernels`).
 *
 * wasm runs the threaded SIMD build, one thread per core (./wasmThreads), when the page is
 * cross-origin isolated (the headers in vite.config.ts); otherwise single-threaded SIMD, and the
 * ready event says why. The threaded build starts its pthreads as workers of this worker, from
 * blobs it makes itself. It is imported when first chosen; its binaries come from Vite `?url`
 * imports, so they are fingerprinted and served by the dev server and the build alike. wasm and cpu get the engine's training kernels (wasm has no conv filter
 * gradients of its own).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { registerTrainingKernels } from '../core/kernels/gradients/registerTrainingKernels';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../core/config';
import { kernelPath } from '../core/kernels';
import { registerWebGPUKernels } from '../core/kernels/webgpu/registerWebGPU';
import { ProbeCache, fastest, timeBackends } from './backendProbe';
import { BackendUnavailableError, DeviceLostError, GpuOutOfMemoryError } from './errors';
import { probeKey, studentWorkload } from './probeWorkload';
import type { AdapterInfo, BackendChoice, BackendName, BackendTiming } from './protocol';
import type { BackendHandle } from './session';
import { planWasmThreads, workerThreadEnvironment, type WasmThreads } from './wasmThreads';

/** Timed by `auto` in this order (wasm, predictable, sets the bar the GPUs must beat); cpu is only the fallback. */
const PROBED: readonly BackendName[] = ['wasm', 'webgpu', 'webgl'];
const probes = new ProbeCache();

let wasmConfigured: Promise<WasmThreads> | null = null;

/**
 * Loads the wasm backend on first use (a WebGPU session never downloads it), points it at its
 * binaries and sets its thread count; the plan it used. A failure here fails the wasm backend
 * only; `auto` then moves on.
 */
function configureWasm(): Promise<WasmThreads> {
  wasmConfigured ??= import('@tensorflow/tfjs-backend-wasm').then(({ setWasmPaths, setThreadsCount }) => {
    const plan = planWasmThreads(workerThreadEnvironment());
    // tfjs picks the threaded binary whenever the browser could run it; pinned to the plan.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', plan.count > 1);
    setThreadsCount(plan.count);
    setWasmPaths({
      'tfjs-backend-wasm.wasm': wasmPlainUrl,
      'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
      'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
    });
    return plan;
  });
  wasmConfigured.catch(() => (wasmConfigured = null)); // retried by the next request
  return wasmConfigured;
}

/**
 * Runs `init` while `navigator.hardwareConcurrency` reads `cores`. tfjs-backend-wasm 4.22 sizes
 * its thread pool as min(setThreadsCount(n), hardwareConcurrency / 2) (it assumes two logical
 * cores per physical one), so on 2 cores it would start one thread whatever it is asked; it
 * reads the value once, while the backend is created.
 */
async function withReportedCores<T>(cores: number, init: () => Promise<T>): Promise<T> {
  Object.defineProperty(navigator, 'hardwareConcurrency', { value: cores, configurable: true });
  try {
    return await init();
  } finally {
    delete (navigator as unknown as Record<string, unknown>).hardwareConcurrency; // the prototype's getter again
  }
}

/** The wasm backend's threads as it runs them (its own count: the pool may have fewer than planned). */
async function wasmThreads(): Promise<WasmThreads> {
  const plan = await configureWasm();
  const { getThreadsCount } = await import('@tensorflow/tfjs-backend-wasm');
  const count = getThreadsCount();
  return count === plan.count ? plan : { count, limitedBy: plan.limitedBy ?? `the wasm backend started ${count} of ${plan.count} threads` };
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
// Fatal GPU faults: each WebGPU device gets one `lost` watcher and one listener for uncaptured
// out-of-memory errors (tfjs does not check for them). Either ends the run on that device, and
// the backend is rebuilt on the next start (tfjs would keep handing out the dead device and its
// full buffer pool).
// ---------------------------------------------------------------------------------------------

const lostWatchers = new WeakMap<GPUDevice, Promise<DeviceLostError>>();
let webgpuNeedsReset = false;
/** Fails the current run's fault promise (replaced at every start). */
let failRunOnOom: ((e: GpuOutOfMemoryError) => void) | null = null;

function watchDevice(device: GPUDevice): Promise<Error> {
  let lost = lostWatchers.get(device);
  if (!lost) {
    lost = device.lost.then((info) => {
      webgpuNeedsReset = true;
      return new DeviceLostError(info.reason ?? 'unknown', info.message);
    });
    lostWatchers.set(device, lost);
    device.addEventListener('uncapturederror', (e) => {
      const error = (e as GPUUncapturedErrorEvent).error;
      if (!(error instanceof GPUOutOfMemoryError)) return;
      webgpuNeedsReset = true;
      failRunOnOom?.(new GpuOutOfMemoryError(error.message));
    });
  }
  const oom = new Promise<GpuOutOfMemoryError>((resolve) => (failRunOnOom = resolve));
  return Promise.race([lost, oom]);
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
    const plan = name === 'wasm' ? await configureWasm() : null;
    const started = plan ? await withReportedCores(2 * plan.count, () => tf.setBackend(name)) : await tf.setBackend(name);
    if (!started) return 'it failed to initialise';
    await tf.ready();
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  if (name === 'wasm' || name === 'cpu') registerTrainingKernels(name);
  if (name === 'webgpu') registerWebGPUKernels();
  return null;
}

async function start(name: BackendName, adapter: GPUAdapter | null, timings: BackendTiming[]): Promise<BackendHandle> {
  const kernels = kernelPath();
  if (name === 'wasm') return { name, adapter: null, lost: null, kernels, timings, threads: await wasmThreads() };
  if (name !== 'webgpu') return { name, adapter: null, lost: null, kernels, timings, threads: null };
  const device = (tf.backend() as WebGPUBackend).device;
  return { name, adapter: adapter ? describeAdapter(adapter) : null, lost: watchDevice(device), kernels, timings, threads: null };
}

/** Renderers that emulate the GPU on the CPU (their WebGL renderer string or WebGPU architecture). */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|lavapipe|software/i;

function webglRenderer(): string | null {
  try {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    if (!gl) return null;
    const debug = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return renderer;
  } catch {
    return null;
  }
}

/**
 * Why `name` runs on a software renderer here, or null. Such a backend is not timed: it is never
 * faster than wasm's SIMD, and finding out costs a minute (SwiftShader compiling the student's
 * shaders blocks the worker for most of it, past any time budget).
 */
function softwareRenderer(name: BackendName, adapter: AdapterInfo | null): string | null {
  if (name === 'webgpu' && adapter && (adapter.isFallback || SOFTWARE_RENDERER.test(adapter.architecture))) {
    return `a software (fallback) adapter, ${[adapter.vendor, adapter.architecture].filter(Boolean).join(' ')}`;
  }
  const renderer = name === 'webgl' ? webglRenderer() : null;
  return renderer && SOFTWARE_RENDERER.test(renderer) ? `a software renderer, ${renderer}` : null;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** auto's timings for this workload (measured once per key), fastest first, then the skipped. */
function probe(adapter: AdapterInfo | null, config: ExperimentConfig): Promise<BackendTiming[]> {
  return probes.get(probeKey(config), async () => {
    const candidates = PROBED.filter((name) => name !== 'webgpu' || adapter);
    const software = candidates.flatMap((backend): BackendTiming[] => {
      const why = softwareRenderer(backend, adapter);
      return why ? [{ backend, skipped: why }] : [];
    });
    const timed = candidates.filter((name) => !software.some((t) => t.backend === name));
    const deps = { activate: trySetBackend, workload: () => studentWorkload(config), now: () => performance.now(), sleep };
    return [...(await timeBackends(timed, deps)), ...software];
  });
}

/**
 * Makes `choice` the active tfjs backend (see the file comment for `auto`). `config` is the run's;
 * without one (an `init` at page load), auto times the default student.
 */
export async function initBackend(choice: BackendChoice, config: ExperimentConfig = DEFAULT_CONFIG): Promise<BackendHandle> {
  const adapter = choice === 'auto' || choice === 'webgpu' ? await requestAdapter() : null;
  if (choice !== 'auto') {
    if (choice === 'webgpu' && !adapter) {
      throw new BackendUnavailableError('webgpu', 'navigator.gpu gave no adapter (no WebGPU support, or it is disabled)');
    }
    const failure = await trySetBackend(choice);
    if (failure !== null) throw new BackendUnavailableError(choice, failure);
    return start(choice, adapter, []);
  }
  const timings = await probe(adapter ? describeAdapter(adapter) : null, config);
  const best = fastest(timings);
  if (best !== null && (await trySetBackend(best)) === null) return start(best, adapter, timings);
  const failure = await trySetBackend('cpu');
  if (failure === null) return start('cpu', adapter, timings);
  const reasons = [...timings.flatMap((t) => ('skipped' in t ? [`${t.backend}: ${t.skipped}`] : [])), `cpu: ${failure}`];
  throw new BackendUnavailableError('cpu', `no backend could start (${reasons.join('; ')})`);
}
