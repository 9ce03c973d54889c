/** The sparse-convolution passes (shaders/sparse_conv_*.wgsl). */
import { PADS_UNIFORM, type ConvGeometry } from '../convGeometry';
import { KernelProgram } from '../webgpu/program';

const COMPACT_WORKGROUP = 256;

/**
 * Bits of each coordinate of a packed site (shaders/lib_site_pack.wgsl): n·2^(2B) + r·2^B + c
 * in an int32, so grids up to 2^B rows and columns and 2^(31−2B) images.
 */
export const SITE_BITS = 9;

/** The packed site (n, r, c), as the shaders write it. */
export function packSite(n: number, r: number, c: number): number {
  return n * 2 ** (2 * SITE_BITS) + r * 2 ** SITE_BITS + c;
}

function checkPackable([n, h, w]: readonly number[]): void {
  if (h > 2 ** SITE_BITS || w > 2 ** SITE_BITS || n > 2 ** (31 - 2 * SITE_BITS)) {
    throw new Error(`sparse conv: grid [${n}, ${h}, ${w}] exceeds the packed-site limits (${2 ** SITE_BITS} rows and columns, ${2 ** (31 - 2 * SITE_BITS)} images)`);
  }
}

/** Blocks of 4 channels (shaders/lib_site_block.wgsl): an invocation owns one block. */
const blocks4 = (channels: number) => Math.ceil(channels / 4);

/** A conv pass over a site list: pads uniform, K and S baked in, `invocations` lanes. */
abstract class SparseConvPass extends KernelProgram {
  override uniforms = PADS_UNIFORM;
  constructor(shader: 'sparse_conv_forward' | 'sparse_conv_input_grad' | 'sparse_conv_filter_grad', g: ConvGeometry, outShape: number[], invocations: number) {
    super(shader, { K: g.kernel[0], S: g.strides[0], B: SITE_BITS }, outShape, { kind: 'lanes', count: invocations });
  }
}

/** One invocation per (site of the [N, H, W] grid of `shape` [N, H, W, C], block of 4 of its C channels). */
const siteBlocks = ([n, h, w, c]: readonly number[]) => n * h * w * blocks4(c);

/**
 * int32 [taps·(1 + N·Ho·Wo)]: per filter tap, the count, then the packed active sites of the
 * [N, Ho, Wo] grid whose input at that tap is active too, in order; one workgroup per tap.
 */
export class SparseConvCompactProgram extends KernelProgram {
  readonly variableNames = ['activeMask']; // [N, H, W, 1]
  override uniforms = 'grid : vec4<i32>, taps : vec4<i32>,'; // (N, Ho, Wo, stride), (K, padTop, padLeft, 0)
  constructor(grid: readonly number[], taps: number) {
    checkPackable(grid);
    super('sparse_conv_compact', { B: SITE_BITS }, [taps * (1 + grid[0] * grid[1] * grid[2])], { kind: 'workgroups', count: taps, size: COMPACT_WORKGROUP });
  }
}

/** y [N, Ho, Wo, Co] at the listed output sites (output pre-zeroed); one invocation per (site, 4 output channels). */
export class SparseConvForwardProgram extends SparseConvPass {
  readonly variableNames = ['x', 'activeMask', 'w', 'sites']; // [N,H,W,Ci], [N,H,W,1], [K,K,Ci,Co], int32
  constructor(g: ConvGeometry) {
    super('sparse_conv_forward', g, g.outShape, siteBlocks(g.outShape));
  }
}

/** dx [N, H, W, Ci] at the listed input sites (output pre-zeroed); one invocation per (site, 4 input channels). */
export class SparseConvInputGradProgram extends SparseConvPass {
  readonly variableNames = ['dy', 'activeMask', 'wt', 'sites']; // [N,Ho,Wo,Co], [N,H,W,1], [K,K,Co,Ci] (w transposed), int32
  constructor(g: ConvGeometry) {
    super('sparse_conv_input_grad', g, g.inShape, siteBlocks(g.inShape));
  }
}

/** dw [K, K, Ci, Co] summed over the listed output sites; one invocation per (tap, 4 input × 4 output channels). */
export class SparseConvFilterGradProgram extends SparseConvPass {
  readonly variableNames = ['x', 'dy', 'sites']; // [N,H,W,Ci], [N,Ho,Wo,Co], int32 per-tap lists (compactTapSites)
  constructor(g: ConvGeometry) {
    const [k, , ci, co] = g.filterShape;
    super('sparse_conv_filter_grad', g, g.filterShape, k * k * blocks4(ci) * blocks4(co));
  }
}
