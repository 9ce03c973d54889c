/**
 * Forward-conv geometry shared by the gradient kernels: the pads tfjs itself would use
 * (computeConv2DInfo, so 'same' with stride 2 and odd sizes pads exactly like the forward op)
 * and the attrs every conv gradient kernel receives.
 */
import { backend_util, type NamedAttrMap } from '@tensorflow/tfjs';

export interface ConvGeometry {
  strides: [number, number];
  kernel: [number, number]; // [KH, KW]
  input: [number, number]; // [H, W]
  top: number;
  left: number;
}

/** Thrown before any work when a case is outside what the fast kernels handle. */
export class UnsupportedConvGradient extends Error {
  override name = 'UnsupportedConvGradient';
}

type PadAttr = 'same' | 'valid' | number | backend_util.ExplicitPadding;
type RoundingAttr = 'floor' | 'round' | 'ceil' | undefined;

/** Geometry of the forward conv `inShape` [N, H, W, C] * `filterShape` [KH, KW, ...]. */
export function convGeometry(
  inShape: number[],
  filterShape: number[],
  attrs: NamedAttrMap,
  depthwise: boolean,
): ConvGeometry {
  const dataFormat = attrs.dataFormat as string | undefined;
  if (dataFormat != null && dataFormat !== 'NHWC') {
    throw new UnsupportedConvGradient(`conv gradient: only NHWC is supported, got ${dataFormat}`);
  }
  const dilations = (attrs.dilations as number | [number, number] | undefined) ?? 1;
  const [dh, dw] = typeof dilations === 'number' ? [dilations, dilations] : dilations;
  if (dh !== 1 || dw !== 1) throw new UnsupportedConvGradient(`conv gradient: dilations ${dilations} are not supported`);
  const info = backend_util.computeConv2DInfo(
    inShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides as number | [number, number],
    1,
    attrs.pad as PadAttr,
    attrs.dimRoundingMode as RoundingAttr,
    depthwise,
  );
  return {
    strides: [info.strideHeight, info.strideWidth],
    kernel: [info.filterHeight, info.filterWidth],
    input: [info.inHeight, info.inWidth],
    top: info.padInfo.top,
    left: info.padInfo.left,
  };
}
