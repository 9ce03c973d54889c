/**
 * Input gradients of conv2d and depthwiseConv2d as ONE stride-1 forward conv each.
 *
 * conv2d uses the "sub-pixel" transposed convolution rather than a zero-inserted dy:
 * Per spatial axis with stride s and forward top pad t, output row i = s·u + p
 * (phase p ∈ [0, s)) receives dy[u + d]·W[p + t − s·d] for every d with a valid tap.
 * Gathering, for every phase, the taps at offsets d ∈ [dmin, dmax] into one filter
 * G[a, p] = W[p + t − s·(dmin + a)] (zero where out of range) gives a stride-1 conv of dy
 * with s·s·C output channels (one group per phase); a transpose interleaves the phases
 * back into space (like DepthToSpace). With s = 1 it is the plain flipped-filter conv.
 * Only (L·s/K)² more multiply-adds than the exact count (16/9 for 3×3 stride 2),
 * versus s² (4×) for zero insertion.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import type { ConvGeometry } from '../convGeometry';
import type { KernelOps } from './kernelOps';

interface SubPixelAxis {
  stride: number;
  taps: number; // L: filter size of the sub-pixel conv
  filterPads: [number, number]; // pad (+) / crop (−) of W so that tap j reads W[j + base]
  convPads: [number, number]; // pads of dy for the stride-1 conv
  phases: number; // U = ceil(in / s): output rows per phase
}

function subPixelAxis(k: number, s: number, top: number, inSize: number, outSize: number): SubPixelAxis {
  const dmin = Math.ceil((top - k + 1) / s);
  const dmax = Math.floor((s - 1 + top) / s);
  const taps = dmax - dmin + 1;
  // Tap j = s·(L−1−a) + p reads W[j + base]: a reshape to [L, s] plus a reverse of L gives G.
  const base = top - s * dmin - s * (taps - 1);
  const phases = Math.ceil(inSize / s);
  return {
    stride: s,
    taps,
    filterPads: [-base, taps * s + base - k],
    convPads: [-dmin, phases - outSize + dmin + taps - 1],
    phases,
  };
}

function axes(dy: TensorInfo, g: ConvGeometry): [SubPixelAxis, SubPixelAxis] {
  return [
    subPixelAxis(g.kernel[0], g.strides[0], g.top, g.input[0], dy.shape[1]),
    subPixelAxis(g.kernel[1], g.strides[1], g.left, g.input[1], dy.shape[2]),
  ];
}

/** [N, Uh, Uw, (…, sh, sw, …) C] phases → [N, H, W, C]; `perm` puts them in [N, Uh, sh, Uw, sw, C]. */
function interleave(ops: KernelOps, y6: TensorInfo, perm: number[], ay: SubPixelAxis, ax: SubPixelAxis, g: ConvGeometry): TensorInfo {
  const [n, , , , , c] = perm.map((i) => y6.shape[i]);
  const yt = ops.transpose(y6, perm); // [N, Uh, sh, Uw, sw, C]
  const full = ops.reshape(yt, [n, ay.phases * ay.stride, ax.phases * ax.stride, c]);
  return ops.slice(full, [0, 0, 0, 0], [n, g.input[0], g.input[1], c]); // [N, H, W, C]
}

/** dx of conv2d: dy [N, OH, OW, Co], W [KH, KW, Ci, Co] → [N, H, W, Ci]. */
export function conv2dBackpropInput(ops: KernelOps, dy: TensorInfo, w: TensorInfo, g: ConvGeometry): TensorInfo {
  const [ay, ax] = axes(dy, g);
  const [, , ci, co] = w.shape;
  const [sh, sw] = g.strides;
  const wp = ops.padOrCrop(w, [ay.filterPads, ax.filterPads, [0, 0], [0, 0]]); // [Lh·sh, Lw·sw, Ci, Co]
  const w6 = ops.reshape(wp, [ay.taps, sh, ax.taps, sw, ci, co]);
  const wr = ops.reverse(w6, [0, 2]);
  const wt = ops.transpose(wr, [0, 2, 5, 1, 3, 4]); // [Lh, Lw, Co, sh, sw, Ci]
  const filter = ops.reshape(wt, [ay.taps, ax.taps, co, sh * sw * ci]);
  const y = ops.conv2d(dy, filter, [1, 1], [1, 1], [...ay.convPads, ...ax.convPads]); // [N, Uh, Uw, sh·sw·Ci]
  const y6 = ops.reshape(y, [dy.shape[0], ay.phases, ax.phases, sh, sw, ci]);
  return interleave(ops, y6, [0, 1, 3, 2, 4, 5], ay, ax, g);
}

/**
 * dx of depthwiseConv2d (multiplier 1): dy [N, OH, OW, C], W [KH, KW, C, 1] → [N, H, W, C].
 * Zero insertion here: dy dilated by the stride (reshape + pad, no strided copies), then a
 * stride-1 conv with the flipped filter. More multiply-adds than the sub-pixel form, but it
 * keeps channel multiplier 1, which XNNPACK runs much faster (25–60% less time measured).
 */
export function depthwiseBackpropInput(ops: KernelOps, dy: TensorInfo, w: TensorInfo, g: ConvGeometry): TensorInfo {
  const [n, oh, ow, c] = dy.shape;
  const [sh, sw] = g.strides;
  const [kh, kw] = g.kernel;
  const [h, wd] = g.input;
  const dy6 = ops.reshape(dy, [n, oh, 1, ow, 1, c]);
  const spread = ops.pad(dy6, [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]); // dy at rows s·i, zeros between
  const dilated = ops.reshape(spread, [n, oh * sh, ow * sw, c]);
  const flipped = ops.reverse(w, [0, 1]); // [KH, KW, C, 1]
  const top = kh - 1 - g.top;
  const left = kw - 1 - g.left;
  // Output must be H: dilated length + pads − (K − 1) = H.
  const bottom = h + kh - 1 - oh * sh - top;
  const right = wd + kw - 1 - ow * sw - left;
  return ops.depthwiseConv2d(dilated, flipped, [1, 1], [1, 1], [top, bottom, left, right]);
}
