/**
 * Node-only backend setup for scripts and tests: the wasm backend loads its binaries from
 * the local node_modules (SIMD, single-threaded: the threaded build needs workers we do not
 * want in Node), then the training kernels are installed.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerTrainingKernels } from '../core/kernels/gradients/registerTrainingKernels';

let wasmPathsSet = false;

function wasmDistDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep;
}

export async function initNodeBackend(name: 'wasm' | 'cpu'): Promise<void> {
  if (name === 'wasm' && !wasmPathsSet) {
    // Threads off explicitly (tfjs already reports none in Node, this just pins it).
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    const dir = wasmDistDir();
    setWasmPaths({
      'tfjs-backend-wasm.wasm': dir + 'tfjs-backend-wasm.wasm',
      'tfjs-backend-wasm-simd.wasm': dir + 'tfjs-backend-wasm-simd.wasm',
      // Never picked with threads off; mapped to the single-threaded SIMD build regardless.
      'tfjs-backend-wasm-threaded-simd.wasm': dir + 'tfjs-backend-wasm-simd.wasm',
    });
    wasmPathsSet = true;
  }
  if (!(await tf.setBackend(name))) throw new Error(`tfjs backend ${name} failed to initialise`);
  await tf.ready();
  registerTrainingKernels(name);
}
