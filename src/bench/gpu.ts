/** WebGPU for the dev pages: tfjs on this browser's adapter, with or without our WGSL kernels. */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { registerWebGPUKernels } from '../core/kernels/webgpu/registerWebGPU';

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  description: string;
  isFallback: boolean;
}

/** Makes webgpu the tfjs backend (with the WGSL kernels, unless told not to); the adapter, or null without WebGPU. */
export async function initWebGPU(withKernels = true): Promise<AdapterSummary | null> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  const adapter = gpu ? await gpu.requestAdapter({ powerPreference: 'high-performance' }) : null;
  if (!adapter || !(await tf.setBackend('webgpu'))) return null;
  await tf.ready();
  if (withKernels) registerWebGPUKernels();
  const info = (adapter as GPUAdapter & { info?: GPUAdapterInfo & { isFallbackAdapter?: boolean } }).info;
  return { vendor: info?.vendor ?? '', architecture: info?.architecture ?? '', description: info?.description ?? '', isFallback: Boolean(info?.isFallbackAdapter) };
}
