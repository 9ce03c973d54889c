/**
 * The masked-convolution passes (shaders/masked_conv_*.wgsl); the bias gradient is a plain tf.sum.
 * Every pass reads and writes x, w, dy and its output 4 channels at a time (vec4 bindings), so Ci
 * and Co must be multiples of 4 (op.ts pads them); the mask stays a plain f32 array.
 */
import { PADS_UNIFORM, type ConvGeometry } from '../convGeometry';
import { KernelProgram } from '../webgpu/program';

/** Whether the mask is in pixel form [N, H, W, 1] (else channel form [N, 1, 1, Ci]). */
export type MaskForm = 'pixel' | 'channel';

const maskParam = (form: MaskForm) => (form === 'pixel' ? 1 : 0);

/** Invocations of a pass that computes 4 pixels (of one image) × 4 channels each, over [N, H, W, C]. */
function pixelBlockLanes([n, h, w, c]: number[]): number {
  return n * Math.ceil((h * w) / 4) * (c / 4);
}

/** y [N, Ho, Wo, Co] = conv2d(x ⊙ mask, w) + b. */
export class MaskedConvForwardProgram extends KernelProgram {
  readonly variableNames = ['x', 'mask', 'w', 'b']; // [N,H,W,Ci], pixel or channel form, [K,K,Ci,Co], [Co]
  override uniforms = PADS_UNIFORM;
  override variableComponents = [4, 1, 4, 4];
  override outputComponent = 4;
  constructor(g: ConvGeometry, form: MaskForm) {
    super('masked_conv_forward', { K: g.kernel[0], S: g.strides[0], PIXEL_MASK: maskParam(form) }, g.outShape, { kind: 'lanes', count: pixelBlockLanes(g.outShape) });
  }
}

/** dx [N, H, W, Ci] = mask ⊙ conv2dTranspose(dy, w). */
export class MaskedConvInputGradProgram extends KernelProgram {
  readonly variableNames = ['dy', 'mask', 'w']; // [N,Ho,Wo,Co], pixel or channel form, [K,K,Ci,Co]
  override uniforms = PADS_UNIFORM;
  override variableComponents = [4, 1, 4];
  override outputComponent = 4;
  constructor(g: ConvGeometry, form: MaskForm) {
    super('masked_conv_input_grad', { K: g.kernel[0], S: g.strides[0], PIXEL_MASK: maskParam(form) }, g.inShape, { kind: 'lanes', count: pixelBlockLanes(g.inShape) });
  }
}

/** dw [K, K, Ci, Co] = Σ (x ⊙ mask) ⊗ dy over batch and output positions. */
export class MaskedConvFilterGradProgram extends KernelProgram {
  readonly variableNames = ['x', 'mask', 'dy']; // [N,H,W,Ci], pixel or channel form, [N,Ho,Wo,Co]
  override uniforms = PADS_UNIFORM;
  override variableComponents = [4, 1, 4];
  override outputComponent = 4;
  constructor(g: ConvGeometry, form: MaskForm) {
    const [k, , ci, co] = g.filterShape;
    const wide = co % 8 === 0 ? 1 : 0; // 8 output channels per invocation where they divide Co
    super('masked_conv_filter_grad', { S: g.strides[0], PIXEL_MASK: maskParam(form), WIDE: wide }, g.filterShape, { kind: 'lanes', count: (k * k * (ci / 4) * (co / 4)) / (1 + wide) });
  }
}
