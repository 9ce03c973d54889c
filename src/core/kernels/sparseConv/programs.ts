/** The sparse-convolution passes (shaders/sparse_conv_*.wgsl). */
import { PADS_UNIFORM, type ConvGeometry } from '../convGeometry';
import { KernelProgram } from '../program';

const COMPACT_WORKGROUP = 256;

/** Blocks of 4 channels (shaders/lib_channel_block.wgsl): an invocation owns one block. */
const blocks4 = (channels: number) => Math.ceil(channels / 4);

/** int32 [1 + N·Ho·Wo]: active-site count, then the active flat sites of the [N, Ho, Wo] grid in order. */
export class SparseConvCompactProgram extends KernelProgram {
  readonly variableNames = ['activeMask']; // [N, H, W, 1]
  override uniforms = 'grid : vec4<i32>,'; // (N, Ho, Wo, stride)
  constructor(gridSize: number) {
    super('sparse_conv_compact', {}, [1 + gridSize], { kind: 'workgroups', count: 1, size: COMPACT_WORKGROUP });
  }
}

/** y [N, Ho, Wo, Co] at the listed output sites (output pre-zeroed); one invocation per (site, 4 output channels). */
export class SparseConvForwardProgram extends KernelProgram {
  readonly variableNames = ['x', 'activeMask', 'w', 'sites']; // [N,H,W,Ci], [N,H,W,1], [K,K,Ci,Co], int32
  override uniforms = PADS_UNIFORM;
  constructor(g: ConvGeometry) {
    const [n, ho, wo, co] = g.outShape;
    super('sparse_conv_forward', { K: g.k, S: g.stride }, g.outShape, { kind: 'lanes', count: n * ho * wo * blocks4(co) });
  }
}

/** dx [N, H, W, Ci] at the listed input sites (output pre-zeroed); one invocation per (site, 4 input channels). */
export class SparseConvInputGradProgram extends KernelProgram {
  readonly variableNames = ['dy', 'activeMask', 'w', 'sites']; // [N,Ho,Wo,Co], [N,H,W,1], [K,K,Ci,Co], int32
  override uniforms = PADS_UNIFORM;
  constructor(g: ConvGeometry) {
    const [n, h, w, ci] = g.inShape;
    super('sparse_conv_input_grad', { K: g.k, S: g.stride }, g.inShape, { kind: 'lanes', count: n * h * w * blocks4(ci) });
  }
}

/** dw [K, K, Ci, Co] summed over the listed output sites; one invocation per (tap, 4 input × 4 output channels). */
export class SparseConvFilterGradProgram extends KernelProgram {
  readonly variableNames = ['x', 'activeMask', 'dy', 'sites']; // [N,H,W,Ci], [N,H,W,1], [N,Ho,Wo,Co], int32
  override uniforms = PADS_UNIFORM;
  constructor(g: ConvGeometry) {
    const [k, , ci, co] = g.filterShape;
    super('sparse_conv_filter_grad', { K: g.k, S: g.stride }, g.filterShape, { kind: 'lanes', count: k * k * blocks4(ci) * blocks4(co) });
  }
}
