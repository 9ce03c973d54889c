/**
 * Real WebGPU in Node for the kernel tests: Dawn (npm `webgpu`) on Chromium's SwiftShader
 * Vulkan driver, then tfjs-backend-webgpu on top, then our WGSL kernels.
 *
 * - VK_ICD_FILENAMES picks SwiftShader (Debian's lavapipe is rejected by Dawn). Set before the
 *   GPU is created; an existing value is respected.
 * - This machine has no system Vulkan loader, and Dawn dlopen()s "libvulkan.so.1" by name. We
 *   preload Chromium's loader with RTLD_NODELETE: Node's addon check then fails ("did not
 *   self-register", expected) but the library stays mapped, and Dawn's later dlopen finds it by
 *   its soname. Override the path with DISTILL_VULKAN_LOADER, or set LD_LIBRARY_PATH instead.
 * - Node 20 has no `navigator`; tfjs-backend-webgpu registers itself at import only if
 *   `navigator.gpu` exists, hence the dynamic import after it is set.
 *
 * No WebGPU → the suite FAILS with the reason, unless DISTILL_SKIP_GPU_TESTS=1 (then it is
 * skipped, with the reason printed).
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { describe } from 'vitest';
import { registerWebGPUKernels } from '../../src/core/kernels/webgpu/registerWebGPU';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const CHROMIUM_VULKAN_LOADER = '/usr/lib/chromium/libvulkan.so.1';
const RTLD_NODELETE = 0x1000; // glibc; not in os.constants.dlopen

export const SKIP_GPU = process.env.DISTILL_SKIP_GPU_TESTS === '1';

function preloadVulkanLoader(): void {
  if (process.platform !== 'linux') return;
  const path = process.env.DISTILL_VULKAN_LOADER ?? CHROMIUM_VULKAN_LOADER;
  if (!existsSync(path)) return; // fall back to whatever the system provides
  try {
    process.dlopen({ exports: {} } as NodeJS.Module, path, os.constants.dlopen.RTLD_NOW | os.constants.dlopen.RTLD_GLOBAL | RTLD_NODELETE);
  } catch {
    // Expected: a Vulkan loader is not a Node addon. It stays loaded (RTLD_NODELETE).
  }
}

let ready: Promise<void> | null = null;

async function init(): Promise<void> {
  process.env.VK_ICD_FILENAMES ??= SWIFTSHADER_ICD;
  preloadVulkanLoader();
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  const gpu = create([]);
  const adapter = await gpu.requestAdapter();
  if (!adapter) {
    throw new Error(`no WebGPU adapter from Dawn (VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES}; is ${SWIFTSHADER_ICD} / a Vulkan loader present?)`);
  }
  Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  await import('@tensorflow/tfjs-backend-webgpu');
  if (!(await tf.setBackend('webgpu'))) throw new Error('tf.setBackend("webgpu") failed');
  await tf.ready();
  registerWebGPUKernels();
}

/** Makes webgpu the tfjs backend with our kernels registered; throws a clear error if it cannot. */
export function initWebGPU(): Promise<void> {
  ready ??= init().catch((e: unknown) => {
    throw new Error(`WebGPU unavailable for the kernel tests: ${e instanceof Error ? e.message : String(e)}. Set DISTILL_SKIP_GPU_TESTS=1 to skip them.`);
  });
  return ready;
}

/** Switches back to webgpu (after a test used cpu/wasm). */
export async function useWebGPU(): Promise<void> {
  await initWebGPU();
  if (tf.getBackend() !== 'webgpu') await tf.setBackend('webgpu');
}

/** describe() for GPU suites: skipped with a stated reason when DISTILL_SKIP_GPU_TESTS=1. */
export function describeGPU(name: string, body: () => void): void {
  if (SKIP_GPU) {
    describe.skip(`${name} [skipped: DISTILL_SKIP_GPU_TESTS=1, no WebGPU]`, body);
    console.warn(`[kernels] skipping "${name}": DISTILL_SKIP_GPU_TESTS=1`);
    return;
  }
  describe(name, body);
}
