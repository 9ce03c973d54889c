// Snippet (`//#include bn_element`): what the per-element sparse batch-norm passes share about
// element `index` of x [N, H, W, C]: its channel, its mask value and x̂ = (x − mean)·invstd
// from the active-only statistics. Needs inputs x, activeMask, stats [3, C] and uniform eps.

struct BnElement {
  ch : i32,
  a : f32,       // activeMask at the element's position (0/1)
  invstd : f32,  // 1/√(var + ε)
  xhat : f32,
}

fn bnElement(index : i32) -> BnElement {
  let nc = uniforms.xShape.w;
  let ch = index % nc;
  let invstd = inverseSqrt(stats[nc + ch] + uniforms.eps);
  return BnElement(ch, f32(activeMask[index / nc]), invstd, (x[index] - stats[ch]) * invstd);
}
