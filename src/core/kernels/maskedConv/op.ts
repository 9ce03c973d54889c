/**
 * maskedConv2d: conv2d(x ⊙ mask, w) + b with the mask applied while x is read (MGD's generator
 * input). On webgpu (after registerWebGPUKernels) it runs the fused WGSL passes under one
 * tf.customGrad; on every other backend it is the plain-tfjs reference.
 */
import * as tf from '@tensorflow/tfjs';
import { convGeometry, padsUniform, type ConvPad } from '../convGeometry';
import { customOp } from '../customOp';
import { runProgram, webgpuForKernels, type WebGPUBackend } from '../webgpu/dispatch';
import { MaskedConvFilterGradProgram, MaskedConvForwardProgram, MaskedConvInputGradProgram, type MaskForm } from './programs';
import { maskedConv2dReference } from './reference';

/**
 * The mask must broadcast onto x [N, H, W, Ci] dimension by dimension (rank 4, each dim 1 or x's)
 * and vary over positions or over channels, not both: pixel [N, H, W, 1] or channel [N, 1, 1, Ci].
 */
function maskForm(xShape: number[], maskShape: number[]): MaskForm {
  const ok = maskShape.length === 4 && maskShape.every((d, i) => d === 1 || d === xShape[i]);
  if (!ok) throw new Error(`mask [${maskShape}] does not broadcast onto x [${xShape}] (pixel [N,H,W,1] or channel [N,1,1,C])`);
  if (maskShape[1] === 1 && maskShape[2] === 1) return 'channel';
  if (maskShape[3] === 1) return 'pixel';
  throw new Error(`mask [${maskShape}] varies over both positions and channels: use a pixel [N,H,W,1] or a channel [N,1,1,C] mask`);
}

/** `t` zero-padded at the end of `axis` to `size` (itself when it already has that size). */
function padAxis<T extends tf.Tensor>(t: T, axis: number, size: number): T {
  if (t.shape[axis] === size) return t;
  return tf.pad(t, t.shape.map((d, i): [number, number] => [0, i === axis ? size - d : 0])) as T;
}

const roundUp4 = (c: number) => Math.ceil(c / 4) * 4;

/**
 * x [N, H, W, Ci]; mask [N, H, W, 1] (pixel) or [N, 1, 1, Ci] (channel), a size-1 batch dim
 * broadcasting; w [K, K, Ci, Co]; b [Co] → [N, Ho, Wo, Co]. Gradients: x (masked), w, b; the mask
 * gets zero.
 */
export function maskedConv2d(x: tf.Tensor4D, mask: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D, stride = 1, pad: ConvPad = 'same'): tf.Tensor4D {
  const form = maskForm(x.shape, mask.shape);
  const g = convGeometry(x.shape, w.shape, stride, pad);
  if (b.rank !== 1 || b.shape[0] !== g.outShape[3]) throw new Error(`bias [${b.shape}] does not match ${g.outShape[3]} output channels`);
  const gpu = webgpuForKernels();
  if (gpu === null) return maskedConv2dReference(x, mask, w, b, stride, pad);
  return tf.tidy(() => {
    // The passes read channels as vec4s: zero channels, which add nothing, pad Ci and Co to
    // multiples of 4 (tfjs differentiates the pads and the slice; MGD's widths need none).
    const [n, h, wd, ci] = x.shape;
    const co = g.outShape[3];
    const [ci4, co4] = [roundUp4(ci), roundUp4(co)];
    const m = tf.broadcastTo(mask, form === 'pixel' ? [n, h, wd, 1] : [n, 1, 1, ci]) as tf.Tensor4D;
    const y = fusedMaskedConv(gpu, form, padAxis(x, 3, ci4), form === 'pixel' ? m : padAxis(m, 3, ci4), padAxis(padAxis(w, 2, ci4), 3, co4), padAxis(b, 0, co4), stride, pad);
    return co4 === co ? y : tf.slice(y, [0, 0, 0, 0], [-1, -1, -1, co]);
  });
}

/** The three WGSL passes under one tf.customGrad; Ci and Co multiples of 4, mask in `form` with x's batch. */
function fusedMaskedConv(gpu: WebGPUBackend, form: MaskForm, x: tf.Tensor4D, mask: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D, stride: number, pad: ConvPad): tf.Tensor4D {
  const g = convGeometry(x.shape, w.shape, stride, pad);
  const pads = padsUniform(g);
  const op = customOp(([xi, mi, wi, bi], save) => {
    save([xi, mi, wi]);
    const y = runProgram(gpu, new MaskedConvForwardProgram(g, form), [xi, mi, wi, bi], pads);
    const gradFunc = (dy: tf.Tensor, [xs, ms, ws]: tf.Tensor[]) => [
      runProgram(gpu, new MaskedConvInputGradProgram(g, form), [dy, ms, ws], pads), // dx
      tf.zerosLike(ms), // the mask is a constant
      runProgram(gpu, new MaskedConvFilterGradProgram(g, form), [xs, ms, dy], pads), // dw
      tf.sum(dy, [0, 1, 2]), // db: a plain reduction, tfjs's own is already good
    ];
    return { value: y, gradFunc };
  });
  return op(x, mask, w, b) as tf.Tensor4D;
}
