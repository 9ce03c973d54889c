/** The sparse batch-norm passes (shaders/sparse_bn_*.wgsl). Shapes in comments: x [N, H, W, C]. */
import { KernelProgram } from '../webgpu/program';

const REDUCE_WORKGROUP = 64;
const EPS_UNIFORM = 'eps : f32,';

function channels(xShape: readonly number[]): number {
  return xShape[3];
}

/** [3, C]: mean, biased variance and count over active positions; one workgroup per channel. */
export class SparseBnStatsProgram extends KernelProgram {
  readonly variableNames = ['x', 'activeMask']; // [N,H,W,C], [N,H,W,1]
  constructor(xShape: readonly number[]) {
    super('sparse_bn_stats', {}, [3, channels(xShape)], { kind: 'workgroups', count: channels(xShape), size: REDUCE_WORKGROUP });
  }
}

/** y [N, H, W, C] = active ⊙ (x̂·γ + β). */
export class SparseBnForwardProgram extends KernelProgram {
  readonly variableNames = ['x', 'activeMask', 'stats', 'gamma', 'beta']; // [N,H,W,C], [N,H,W,1], [3,C], [C], [C]
  override uniforms = EPS_UNIFORM;
  constructor(xShape: readonly number[]) {
    super('sparse_bn_forward', {}, [...xShape]);
  }
}

/** [2, C]: dβ = Σ a·dy, dγ = Σ a·dy·x̂; one workgroup per channel. */
export class SparseBnGradStatsProgram extends KernelProgram {
  readonly variableNames = ['dy', 'x', 'activeMask', 'stats']; // [N,H,W,C], [N,H,W,C], [N,H,W,1], [3,C]
  override uniforms = EPS_UNIFORM;
  constructor(xShape: readonly number[]) {
    super('sparse_bn_grad_stats', {}, [2, channels(xShape)], { kind: 'workgroups', count: channels(xShape), size: REDUCE_WORKGROUP });
  }
}

/** dx [N, H, W, C] = a·γ·invstd·(dy − (dβ + x̂·dγ)/count). */
export class SparseBnInputGradProgram extends KernelProgram {
  readonly variableNames = ['dy', 'x', 'activeMask', 'stats', 'gamma', 'sums']; // …, [C], [2,C]
  override uniforms = EPS_UNIFORM;
  constructor(xShape: readonly number[]) {
    super('sparse_bn_input_grad', {}, [...xShape]);
  }
}
