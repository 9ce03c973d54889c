// Sparse batch norm, input gradient (batch statistics, active positions only):
//   dx = a·γ·invstd·(dy − (dβ + x̂·dγ)/count),   invstd = 1/√(var + ε),  x̂ = (x − mean)·invstd.
//
// The usual batch-norm input gradient with every sum taken over active positions and divided
// by their count, which includes the paths through the mean and the variance. Inactive
// positions get exactly 0: they neither feed the statistics nor reach the output.
// One invocation per element.
//
// Inputs: dy [N, H, W, C]; x [N, H, W, C]; activeMask [N, H, W, 1]; stats [3, C] (mean, var,
// count); gamma [C]; sums [2, C] (dβ, dγ from sparse_bn_grad_stats).
// Output: dx [N, H, W, C]. Uniforms: eps.

fn main(index : i32) {
  if (index >= uniforms.size) { return; }
  let nc = uniforms.xShape.w;
  let ch = index % nc;
  let a = activeMask[index / nc];
  if (a == 0.0) {
    setOutputAtIndex(index, 0.0);
    return;
  }
  let invstd = inverseSqrt(stats[nc + ch] + uniforms.eps);
  let xhat = (x[index] - stats[ch]) * invstd;
  let count = max(stats[2 * nc + ch], 1.0);
  let inner = dy[index] - (sums[ch] + xhat * sums[nc + ch]) / count;
  setOutputAtIndex(index, a * gamma[ch] * invstd * inner);
}
