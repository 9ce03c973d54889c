/**
 * Dev/test builds only (worker.ts imports this behind `import.meta.env.DEV`): GPU faults injected
 * into the worker's own WebGPU backend, so e2e tests can check that each ends the run with an
 * error naming its cause and that the worker recovers. Each goes through the path a real fault
 * takes: the device's `lost` promise, a rejected `mapAsync`, an uncaptured GPUOutOfMemoryError;
 * `crash` throws outside any handler (the page must replace the worker).
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { FaultKind } from './protocol';

/** The next GPUBuffer.mapAsync (tfjs's read-back in data()) rejects as an aborted mapping does. */
function abortNextMap(): void {
  const original = GPUBuffer.prototype.mapAsync;
  GPUBuffer.prototype.mapAsync = function (this: GPUBuffer) {
    GPUBuffer.prototype.mapAsync = original;
    return Promise.reject(new DOMException('mapAsync: the mapping was aborted (injected fault)', 'AbortError'));
  };
}

export function injectFault(fault: FaultKind): void {
  if (fault === 'crash') {
    // Uncaught, outside any handler: the worker's error event, as a wasm abort or a bug gives.
    setTimeout(() => {
      throw new Error('injected crash');
    });
    return;
  }
  if (tf.getBackend() !== 'webgpu') {
    console.warn(`fault ${fault} not injected: the backend is ${tf.getBackend()}, not webgpu`);
    return;
  }
  const device = (tf.backend() as WebGPUBackend).device;
  switch (fault) {
    case 'device-lost':
      device.destroy();
      return;
    case 'map-abort':
      abortNextMap();
      return;
    case 'oom':
      device.dispatchEvent(new GPUUncapturedErrorEvent('uncapturederror', { error: new GPUOutOfMemoryError('injected fault') }));
      return;
    default:
      fault satisfies never;
  }
}
