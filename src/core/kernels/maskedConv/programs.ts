/** The masked-convolution passes (shaders/masked_conv_*.wgsl); the bias gradient is a plain tf.sum. */
import { PADS_UNIFORM, type ConvGeometry } from '../convGeometry';
import { KernelProgram } from '../program';

/** y [N, Ho, Wo, Co] = conv2d(x ⊙ mask, w) + b. */
export class MaskedConvForwardProgram extends KernelProgram {
  readonly variableNames = ['x', 'mask', 'w', 'b']; // [N,H,W,Ci], broadcastable to x, [K,K,Ci,Co], [Co]
  override uniforms = PADS_UNIFORM;
  constructor(g: ConvGeometry) {
    super('masked_conv_forward', { K: g.k, S: g.stride }, g.outShape);
  }
}

/** dx [N, H, W, Ci] = mask ⊙ conv2dTranspose(dy, w). */
export class MaskedConvInputGradProgram extends KernelProgram {
  readonly variableNames = ['dy', 'mask', 'w']; // [N,Ho,Wo,Co], broadcastable to x, [K,K,Ci,Co]
  override uniforms = PADS_UNIFORM;
  constructor(g: ConvGeometry) {
    super('masked_conv_input_grad', { K: g.k, S: g.stride }, g.inShape);
  }
}

/** dw [K, K, Ci, Co] = Σ (x ⊙ mask) ⊗ dy over batch and output positions. */
export class MaskedConvFilterGradProgram extends KernelProgram {
  readonly variableNames = ['x', 'mask', 'dy']; // [N,H,W,Ci], broadcastable to x, [N,Ho,Wo,Co]
  override uniforms = PADS_UNIFORM;
  constructor(g: ConvGeometry) {
    super('masked_conv_filter_grad', { S: g.stride }, g.filterShape);
  }
}
