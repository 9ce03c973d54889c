/**
 * Custom kernels: masked convolution (MGD) and sparse convolution + sparse batch norm (H-GKD).
 * Every op runs its WGSL passes on webgpu once `registerWebGPUKernels()` (./webgpu/registerWebGPU, not
 * re-exported here so that this module stays loadable without Vite) has run, and its plain-tfjs
 * reference on every other backend.
 */
export { maskedConv2d } from './maskedConv/op';
export { maskedConv2dReference } from './maskedConv/reference';
export { sparseConv2d } from './sparseConv/op';
export { sparseConv2dReference } from './sparseConv/reference';
export { downsampleMask } from './sparseConv/mask';
export { sparseBatchNorm, sparseBatchNormInfer } from './sparseBatchNorm/op';
export { sparseBatchNormReference, type SparseBatchNormResult } from './sparseBatchNorm/reference';
export { kernelPath, type KernelPath } from './webgpu/dispatch';
export type { ConvPad } from './convGeometry';
