// Sparse batch norm, normalisation: y = active ⊙ ((x − mean)·γ/√(var + ε) + β).
//
// Uses the active-only statistics from sparse_bn_stats. Inactive positions are written as
// exactly 0 (β is not added there), so the mask pattern survives the norm layer and the next
// sparse conv sees true zeros. One invocation per element.
//
// Inputs: x [N, H, W, C]; activeMask [N, H, W, 1]; stats [3, C] (mean, variance, count);
// gamma [C]; beta [C]. Output: y [N, H, W, C]. Uniforms: eps.

//#include bn_element

fn main(index : i32) {
  if (index >= uniforms.size) { return; }
  let e = bnElement(index);
  setOutputAtIndex(index, select(0.0, e.a * (e.xhat * gamma[e.ch] + beta[e.ch]), e.a != 0.0));
}
