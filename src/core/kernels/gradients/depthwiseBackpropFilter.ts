/**
 * DepthwiseConv2dNativeBackpropFilter (multiplier 1) as ONE depthwise convolution:
 *   dW[kh,kw,c] = Σ_{n,oh,ow} xpad[n, oh·s+kh, ow·s+kw, c] · dy[n, oh, ow, c]
 * Pairing (n, c) as channels, x is [1, H, W, N·C] and dy the depthwise filter
 * [OH, OW, N·C, 1] (stride 1, dilation = forward stride), giving [1, KH, KW, N·C];
 * a sum over n finishes it.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import type { ConvGeometry } from '../convGeometry';
import type { KernelOps } from './kernelOps';

export function depthwiseBackpropFilter(
  ops: KernelOps,
  x: TensorInfo, // [N, H, W, C]
  dy: TensorInfo, // [N, OH, OW, C]
  g: ConvGeometry,
): TensorInfo {
  const [sh, sw] = g.strides;
  const [kh, kw] = g.kernel;
  const [h, w] = g.input;
  const [n, oh, ow, c] = dy.shape;
  const xt = ops.reshape(ops.transpose(x, [1, 2, 0, 3]), [1, h, w, n * c]); // [1, H, W, N·C]
  const f = ops.reshape(ops.transpose(dy, [1, 2, 0, 3]), [oh, ow, n * c, 1]); // [OH, OW, N·C, 1]
  const bottom = kh + (oh - 1) * sh - h - g.top;
  const right = kw + (ow - 1) * sw - w - g.left;
  const out = ops.depthwiseConv2d(xt, f, [1, 1], [sh, sw], [g.top, bottom, g.left, right]); // [1, KH, KW, N·C]
  const perSample = ops.reshape(out, [kh, kw, n, c]);
  return ops.reshape(ops.sum(perSample, [2]), [kh, kw, c, 1]); // [KH, KW, C, 1]
}
