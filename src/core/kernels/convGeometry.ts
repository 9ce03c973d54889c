/** Output shape and padding of a square-kernel NHWC conv, exactly as tf.conv2d computes them. */
import * as tf from '@tensorflow/tfjs';

export type ConvPad = 'same' | 'valid';

export type ConvGeometry = {
  k: number; // kernel size (square)
  stride: number;
  inShape: [number, number, number, number]; // [N, H, W, Ci]
  filterShape: [number, number, number, number]; // [K, K, Ci, Co]
  outShape: [number, number, number, number]; // [N, Ho, Wo, Co]
  padTop: number;
  padLeft: number;
};

export function convGeometry(xShape: number[], wShape: number[], stride: number, pad: ConvPad): ConvGeometry {
  if (xShape.length !== 4 || wShape.length !== 4) throw new Error(`conv expects x [N,H,W,Ci] and w [K,K,Ci,Co], got [${xShape}] and [${wShape}]`);
  const [k, k2, ci] = wShape;
  if (k !== k2) throw new Error(`square kernels only, got ${k}×${k2}`);
  if (ci !== xShape[3]) throw new Error(`w has ${ci} input channels, x has ${xShape[3]}`);
  if (!Number.isInteger(stride) || stride < 1) throw new Error(`stride must be a positive integer, got ${stride}`);
  const inShape = xShape as ConvGeometry['inShape'];
  const filterShape = wShape as ConvGeometry['filterShape'];
  const info = tf.backend_util.computeConv2DInfo(inShape, filterShape, stride, 1, pad);
  return { k, stride, inShape, filterShape, outShape: info.outShape as ConvGeometry['outShape'], padTop: info.padInfo.top, padLeft: info.padInfo.left };
}

/** The `pads : vec2<i32>` uniform the conv shaders declare. */
export const PADS_UNIFORM = 'pads : vec2<i32>,';
export function padsUniform(g: ConvGeometry): { type: 'int32'; data: number[] }[] {
  return [{ type: 'int32', data: [g.padTop, g.padLeft] }];
}
