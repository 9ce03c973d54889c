// Sparse batch norm, statistics: per-channel mean and biased variance over ACTIVE positions only.
//
// SparK's sparse batch norm must not let the zeros at masked positions drag the mean towards 0
// and shrink the variance, so every sum is weighted by the 0/1 mask:
//   count = Σ a,  mean_c = Σ a·x_c / count,  var_c = Σ a·(x_c − mean_c)² / count
// (two passes over the data for a stable variance; count = 0 gives mean = var = 0).
// One workgroup per channel: its WG invocations stride over the N·H·W positions, then reduce
// their partial sums as a tree in workgroup memory (deterministic order).
//
// Inputs: x [N, H, W, C]; activeMask [N, H, W, 1]. Output: [3, C] rows mean, variance, count.

//#include group_sum

fn main(index : i32) {
  let ch = i32(workgroupId.x);
  let lid = i32(localId.x);
  let nc = uniforms.xShape.w;
  let positions = uniforms.xShape.x * uniforms.xShape.y * uniforms.xShape.z;
  var s = 0.0;
  var m = 0.0;
  for (var p = lid; p < positions; p += WG) {
    let a = f32(activeMask[p]);
    s += a * x[p * nc + ch];
    m += a;
  }
  let count = groupSum(m, lid);
  let mean = groupSum(s, lid) / max(count, 1.0);
  var q = 0.0;
  for (var p = lid; p < positions; p += WG) {
    let d = x[p * nc + ch] - mean;
    q += f32(activeMask[p]) * d * d;
  }
  let variance = groupSum(q, lid) / max(count, 1.0);
  if (lid == 0) {
    result[ch] = mean;
    result[nc + ch] = variance;
    result[2 * nc + ch] = count;
  }
}
