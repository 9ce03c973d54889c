/**
 * Conv2DBackpropFilter as ONE forward convolution on the backend's own Conv2D
 * (XNNPACK's igemm on wasm):
 *   dW[kh,kw,ci,co] = Σ_{n,oh,ow} xpad[n, oh·s+kh, ow·s+kw, ci] · dy[n, oh, ow, co]
 * is a conv of x seen as [Ci, H, W, N] (batch = ci, channels = n) with dy seen as the
 * filter [OH, OW, N, Co], stride 1 and dilation = the forward stride, producing
 * [Ci, KH, KW, Co]. The forward pads are kept on top/left; bottom/right are whatever makes
 * the output exactly KH×KW (negative = rows the forward conv never read, cropped).
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import type { ConvGeometry } from '../convGeometry';
import type { KernelOps } from './kernelOps';

export function conv2dBackpropFilter(
  ops: KernelOps,
  x: TensorInfo, // [N, H, W, Ci]
  dy: TensorInfo, // [N, OH, OW, Co]
  g: ConvGeometry,
): TensorInfo {
  const [sh, sw] = g.strides;
  const [kh, kw] = g.kernel;
  const [h, w] = g.input;
  const [, oh, ow] = dy.shape;
  const xt = ops.transpose(x, [3, 1, 2, 0]); // [Ci, H, W, N]
  const f = ops.transpose(dy, [1, 2, 0, 3]); // [OH, OW, N, Co]
  const bottom = kh + (oh - 1) * sh - h - g.top;
  const right = kw + (ow - 1) * sw - w - g.left;
  const out = ops.conv2d(xt, f, [1, 1], [sh, sw], [g.top, bottom, g.left, right]); // [Ci, KH, KW, Co]
  return ops.transpose(out, [1, 2, 0, 3]); // [KH, KW, Ci, Co]
}
