// Sparse batch norm, backward reductions: per channel over ACTIVE positions,
//   dβ_c = Σ a·dy_c,   dγ_c = Σ a·dy_c·x̂_c   with x̂ = (x − mean)/√(var + ε).
//
// These are the parameter gradients and also the two sums the input gradient needs
// (sparse_bn_input_grad). Same layout as sparse_bn_stats: one workgroup per channel, a strided
// loop over positions, then a tree reduction in workgroup memory.
//
// Inputs: dy [N, H, W, C]; x [N, H, W, C]; activeMask [N, H, W, 1]; stats [3, C].
// Output: [2, C] rows dβ, dγ. Uniforms: eps.

//#include group_sum

fn main(index : i32) {
  let ch = i32(workgroupId.x);
  let lid = i32(localId.x);
  let nc = uniforms.xShape.w;
  let positions = uniforms.xShape.x * uniforms.xShape.y * uniforms.xShape.z;
  let mean = stats[ch];
  var sb = 0.0;  // Σ a·dy
  var sg = 0.0;  // Σ a·dy·(x − mean)
  for (var p = lid; p < positions; p += WG) {
    let g = f32(activeMask[p]) * dy[p * nc + ch];
    sb += g;
    sg += g * (x[p * nc + ch] - mean);
  }
  let dBeta = groupSum(sb, lid);
  let dGamma = groupSum(sg, lid) * inverseSqrt(stats[nc + ch] + uniforms.eps);
  if (lid == 0) {
    result[ch] = dBeta;
    result[nc + ch] = dGamma;
  }
}
