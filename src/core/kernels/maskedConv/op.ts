/**
 * maskedConv2d: conv2d(x ⊙ mask, w) + b with the mask applied while x is read (MGD's generator
 * input). On webgpu (after registerWebGPUKernels) it runs the fused WGSL passes under one
 * tf.customGrad; on every other backend it is the plain-tfjs reference.
 */
import * as tf from '@tensorflow/tfjs';
import { convGeometry, padsUniform, type ConvPad } from '../convGeometry';
import { customOp } from '../customOp';
import { runProgram, webgpuForKernels } from '../webgpu';
import { MaskedConvFilterGradProgram, MaskedConvForwardProgram, MaskedConvInputGradProgram } from './programs';
import { maskedConv2dReference } from './reference';

/** The mask must broadcast onto x [N, H, W, Ci] dimension by dimension (rank 4, each dim 1 or x's). */
function checkMask(xShape: number[], maskShape: number[]): void {
  const ok = maskShape.length === 4 && maskShape.every((d, i) => d === 1 || d === xShape[i]);
  if (!ok) throw new Error(`mask [${maskShape}] does not broadcast onto x [${xShape}] (pixel [N,H,W,1] or channel [N,1,1,C])`);
}

/**
 * x [N, H, W, Ci]; mask [N, H, W, 1] (pixel) or [N, 1, 1, Ci] (channel); w [K, K, Ci, Co];
 * b [Co] → [N, Ho, Wo, Co]. Gradients: x (masked), w, b; the mask gets zero.
 */
export function maskedConv2d(x: tf.Tensor4D, mask: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D, stride = 1, pad: ConvPad = 'same'): tf.Tensor4D {
  checkMask(x.shape, mask.shape);
  const g = convGeometry(x.shape, w.shape, stride, pad);
  if (b.rank !== 1 || b.shape[0] !== g.outShape[3]) throw new Error(`bias [${b.shape}] does not match ${g.outShape[3]} output channels`);
  const gpu = webgpuForKernels();
  if (gpu === null) return maskedConv2dReference(x, mask, w, b, stride, pad);
  const pads = padsUniform(g);
  const op = customOp(([xi, mi, wi, bi], save) => {
    save([xi, mi, wi]);
    const y = runProgram(gpu, new MaskedConvForwardProgram(g), [xi, mi, wi, bi], pads);
    const gradFunc = (dy: tf.Tensor, [xs, ms, ws]: tf.Tensor[]) => [
      runProgram(gpu, new MaskedConvInputGradProgram(g), [dy, ms, ws], pads), // dx
      tf.zerosLike(ms), // the mask is a constant
      runProgram(gpu, new MaskedConvFilterGradProgram(g), [xs, ms, dy], pads), // dw
      tf.sum(dy, [0, 1, 2]), // db: a plain reduction, tfjs's own is already good
    ];
    return { value: y, gradFunc };
  });
  return op(x, mask, w, b) as tf.Tensor4D;
}
