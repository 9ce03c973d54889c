/**
 * Kernel configs for the conv gradients, each composed from the backend's own forward
 * kernels (see kernelOps.ts) so the heavy lifting runs in XNNPACK on wasm.
 */
import type { KernelBackend, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { conv2dBackpropInput, depthwiseBackpropInput } from './backpropInput';
import { conv2dBackpropFilter } from './conv2dBackpropFilter';
import { convGeometryOfAttrs, UnsupportedConvGradient } from '../convGeometry';
import { depthwiseBackpropFilter } from './depthwiseBackpropFilter';
import { composeKernel, type GradientBackend, type KernelOps } from './kernelOps';

export type GradKernelName =
  | 'Conv2DBackpropFilter'
  | 'Conv2DBackpropInput'
  | 'DepthwiseConv2dNativeBackpropFilter'
  | 'DepthwiseConv2dNativeBackpropInput';

export const GRAD_KERNEL_NAMES: readonly GradKernelName[] = [
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
];

type Body = (ops: KernelOps, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap) => TensorInfo;

function checkMultiplier(filterShape: number[]): void {
  if (filterShape[3] !== 1) {
    throw new UnsupportedConvGradient(`depthwise conv gradient: channel multiplier ${filterShape[3]} is not supported (only 1)`);
  }
}

const BODIES: Record<GradKernelName, Body> = {
  // inputs {x, dy}, attrs {strides, pad, dataFormat, dimRoundingMode, filterShape}
  Conv2DBackpropFilter: (ops, { x, dy }, attrs) =>
    conv2dBackpropFilter(ops, x, dy, convGeometryOfAttrs(x.shape, attrs.filterShape as number[], attrs, false)),
  // inputs {dy, filter}, attrs {strides, pad, dataFormat, dimRoundingMode, inputShape}
  Conv2DBackpropInput: (ops, { dy, filter }, attrs) =>
    conv2dBackpropInput(ops, dy, filter, convGeometryOfAttrs(attrs.inputShape as number[], filter.shape, attrs, false)),
  // inputs {x, dy}, attrs {strides, dilations, pad, dimRoundingMode, filterShape}
  DepthwiseConv2dNativeBackpropFilter: (ops, { x, dy }, attrs) => {
    const filterShape = attrs.filterShape as number[];
    checkMultiplier(filterShape);
    return depthwiseBackpropFilter(ops, x, dy, convGeometryOfAttrs(x.shape, filterShape, attrs, true));
  },
  // inputs {dy, filter}, attrs {strides, dilations, pad, dimRoundingMode, inputShape}
  DepthwiseConv2dNativeBackpropInput: (ops, { dy, filter }, attrs) => {
    checkMultiplier(filter.shape);
    return depthwiseBackpropInput(ops, dy, filter, convGeometryOfAttrs(attrs.inputShape as number[], filter.shape, attrs, true));
  },
};

/**
 * Marks our kernel funcs so registration can tell them from the stock ones; a global symbol,
 * so two copies of this module (e.g. two bundles) still recognise each other's kernels.
 */
const OUR_KERNEL = Symbol.for('distill-playground.trainingKernel');

export function isOurKernel(config: KernelConfig | undefined): boolean {
  return config != null && (config.kernelFunc as unknown as Record<symbol, unknown>)[OUR_KERNEL] === true;
}

/**
 * The KernelConfig of one gradient kernel for `backendName`. Cases the fast path does not
 * cover (channel multiplier ≠ 1, dilation, NCHW) go to `fallback` (the stock kernel it
 * replaces) when there is one, else throw a clear error.
 */
export function gradKernelConfig(kernelName: GradKernelName, backendName: GradientBackend, fallback?: KernelConfig): KernelConfig {
  const body = BODIES[kernelName];
  const kernelFunc: KernelFunc = (args) => {
    try {
      return composeKernel(args.backend as KernelBackend, backendName, (ops) =>
        body(ops, args.inputs as Record<string, TensorInfo>, args.attrs ?? {}),
      );
    } catch (e) {
      if (e instanceof UnsupportedConvGradient && fallback != null) return fallback.kernelFunc(args);
      throw e;
    }
  };
  (kernelFunc as unknown as Record<symbol, unknown>)[OUR_KERNEL] = true;
  // The fallback's setup (wasm binds its C function there) must still run at backend init.
  const config: KernelConfig = { kernelName, backendName, kernelFunc };
  if (fallback?.setupFunc != null) config.setupFunc = fallback.setupFunc;
  if (fallback?.disposeFunc != null) config.disposeFunc = fallback.disposeFunc;
  return config;
}
