/**
 * Installs the fast conv-gradient kernels on a backend. Idempotent; the replaced stock
 * kernels stay reachable through `stockKernel` (tests, benchmarks) and serve as fallback
 * for the cases ours do not cover.
 *
 * Which kernels, from scripts/bench/gradKernels.ts (batch 64, MNIST-size layers):
 * - wasm has no filter gradients and no depthwise gradients at all, and its
 *   Conv2DBackpropInput is a plain C++ loop ~10× slower than ours on XNNPACK: all four.
 * - cpu: the stock filter gradients are 8–50× slower than ours; its input gradients are
 *   on par or faster than ours (JS convs gain nothing from the reformulation): filters only.
 */
import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs';
import { gradKernelConfig, isOurKernel, type GradKernelName } from './convGradKernels';
import type { GradientBackend } from './kernelOps';

export const TRAINING_KERNELS: Record<GradientBackend, readonly GradKernelName[]> = {
  wasm: ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput'],
  cpu: ['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter'],
};

const replaced = new Map<string, KernelConfig>();

function lookup(kernelName: string, backendName: string): KernelConfig | undefined {
  return getKernel(kernelName, backendName) as KernelConfig | undefined;
}

/**
 * Call after '@tensorflow/tfjs-backend-wasm' is imported (its kernels register at import
 * and would overwrite ours); before or after the backend is initialised both work.
 */
export function registerTrainingKernels(backendName: GradientBackend): void {
  for (const kernelName of TRAINING_KERNELS[backendName]) {
    const existing = lookup(kernelName, backendName);
    if (isOurKernel(existing)) continue;
    if (existing != null) {
      replaced.set(`${backendName}/${kernelName}`, existing);
      unregisterKernel(kernelName, backendName);
    }
    registerKernel(gradKernelConfig(kernelName, backendName, existing));
  }
}

/** The stock kernel (the one `registerTrainingKernels` replaced, or still in place). */
export function stockKernel(kernelName: GradKernelName, backendName: GradientBackend): KernelConfig | undefined {
  const current = lookup(kernelName, backendName);
  if (current != null && !isOurKernel(current)) return current;
  return replaced.get(`${backendName}/${kernelName}`);
}
