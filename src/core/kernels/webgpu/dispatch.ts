/**
 * Which path an op takes, and running one program. The WGSL path is taken when the active
 * backend is webgpu and `registerWebGPUKernels()` has installed the shaders; everywhere else
 * (wasm, cpu, webgl, or webgpu before registration) the plain-tfjs reference runs.
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { KernelProgram } from './program';
import { shadersInstalled } from './shaderRegistry';

export type { WebGPUBackend };
export type ProgramUniforms = NonNullable<Parameters<WebGPUBackend['runWebGPUProgram']>[3]>;
export type KernelPath = 'webgpu' | 'reference';

/** The webgpu backend when our WGSL path applies, else null. */
export function webgpuForKernels(): WebGPUBackend | null {
  return tf.getBackend() === 'webgpu' && shadersInstalled() ? (tf.backend() as WebGPUBackend) : null;
}

/** The path the kernel ops take on the current backend (the worker can report it). */
export function kernelPath(): KernelPath {
  return webgpuForKernels() ? 'webgpu' : 'reference';
}

export type RunOptions = {
  dtype?: 'float32' | 'int32';
  /** Write into this tensor (which the caller created and owns) instead of a fresh one, e.g. a zero-filled output. */
  into?: tf.Tensor;
};

/** Runs `program` on `inputs` and wraps the output as a tracked tensor (no tape entry: no gradient). */
export function runProgram(backend: WebGPUBackend, program: KernelProgram, inputs: tf.Tensor[], uniforms: ProgramUniforms = [], opts: RunOptions = {}): tf.Tensor {
  const info = backend.runWebGPUProgram(program, inputs, opts.dtype ?? 'float32', uniforms, opts.into);
  return opts.into ?? tf.engine().makeTensorFromTensorInfo(info);
}

/** A zero-filled float32 tensor made on the GPU (tf.fill runs a fill program; tf.zeros would upload a CPU array). */
export function gpuZeros(shape: number[]): tf.Tensor {
  return tf.fill(shape, 0, 'float32');
}
