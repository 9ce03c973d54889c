/**
 * The geometry of one NHWC convolution, exactly as tfjs computes it (backend_util.computeConv2DInfo,
 * so 'same' with stride 2 and odd sizes pads as tf.conv2d does): the one description every kernel
 * here reads, the WGSL ops' (./maskedConv, ./sparseConv) and the gradient kernels' (./gradients).
 */
import { backend_util, type NamedAttrMap } from '@tensorflow/tfjs';

export type ConvPad = 'same' | 'valid';

export interface ConvGeometry {
  inShape: [number, number, number, number]; // [N, H, W, Ci]
  filterShape: [number, number, number, number]; // [KH, KW, Ci, Co] (depthwise: [KH, KW, Ci, multiplier])
  outShape: [number, number, number, number]; // [N, Ho, Wo, Co]
  strides: [number, number]; // [SH, SW]
  kernel: [number, number]; // [KH, KW]
  input: [number, number]; // [H, W]
  top: number; // padding above and left of the input
  left: number;
}

/** Thrown before any work when a case is outside what the fast gradient kernels handle. */
export class UnsupportedConvGradient extends Error {
  override name = 'UnsupportedConvGradient';
}

type PadAttr = ConvPad | number | backend_util.ExplicitPadding;
type RoundingAttr = 'floor' | 'round' | 'ceil' | undefined;
type Shape4 = ConvGeometry['inShape'];

function fromConvInfo(inShape: Shape4, filterShape: Shape4, info: backend_util.Conv2DInfo): ConvGeometry {
  return {
    inShape,
    filterShape,
    outShape: info.outShape as Shape4,
    strides: [info.strideHeight, info.strideWidth],
    kernel: [info.filterHeight, info.filterWidth],
    input: [info.inHeight, info.inWidth],
    top: info.padInfo.top,
    left: info.padInfo.left,
  };
}

/** A square-kernel conv of x [N, H, W, Ci] by w [K, K, Ci, Co] with one stride (the WGSL ops). */
export function convGeometry(xShape: number[], wShape: number[], stride: number, pad: ConvPad): ConvGeometry {
  if (xShape.length !== 4 || wShape.length !== 4) throw new Error(`conv expects x [N,H,W,Ci] and w [K,K,Ci,Co], got [${xShape}] and [${wShape}]`);
  const [k, k2, ci] = wShape;
  if (k !== k2) throw new Error(`square kernels only, got ${k}×${k2}`);
  if (ci !== xShape[3]) throw new Error(`w has ${ci} input channels, x has ${xShape[3]}`);
  if (!Number.isInteger(stride) || stride < 1) throw new Error(`stride must be a positive integer, got ${stride}`);
  const inShape = xShape as Shape4;
  const filterShape = wShape as Shape4;
  return fromConvInfo(inShape, filterShape, backend_util.computeConv2DInfo(inShape, filterShape, stride, 1, pad));
}

/** The forward conv of a gradient kernel's attrs: `inShape` [N, H, W, C] * `filterShape` [KH, KW, ...]. */
export function convGeometryOfAttrs(inShape: number[], filterShape: number[], attrs: NamedAttrMap, depthwise: boolean): ConvGeometry {
  const dataFormat = attrs.dataFormat as string | undefined;
  if (dataFormat != null && dataFormat !== 'NHWC') throw new UnsupportedConvGradient(`conv gradient: only NHWC is supported, got ${dataFormat}`);
  const dilations = (attrs.dilations as number | [number, number] | undefined) ?? 1;
  const [dh, dw] = typeof dilations === 'number' ? [dilations, dilations] : dilations;
  if (dh !== 1 || dw !== 1) throw new UnsupportedConvGradient(`conv gradient: dilations ${dilations} are not supported`);
  const x = inShape as Shape4;
  const f = filterShape as Shape4;
  const info = backend_util.computeConv2DInfo(x, f, attrs.strides as number | [number, number], 1, attrs.pad as PadAttr, attrs.dimRoundingMode as RoundingAttr, depthwise);
  return fromConvInfo(x, f, info);
}

/** The `pads : vec2<i32>` uniform the conv shaders declare. */
export const PADS_UNIFORM = 'pads : vec2<i32>,';
export function padsUniform(g: ConvGeometry): { type: 'int32'; data: number[] }[] {
  return [{ type: 'int32', data: [g.top, g.left] }];
}
