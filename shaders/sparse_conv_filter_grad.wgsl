// Sparse (submanifold) convolution, filter gradient:
// dw[kh, kw, ci, co] = Σ over active output sites (n, oh, ow) of (x ⊙ active)[n, r, c, ci] · dy[n, oh, ow, co]
// with r = oh·S − padTop + kh, c = ow·S − padLeft + kw.
//
// Each invocation owns one filter element and walks the compacted list of active OUTPUT sites
// (the same list the forward pass used), so the work scales with the active fraction; the list
// is in increasing order, so the sum is deterministic.
//
// Inputs: x [N, H, W, Ci]; activeMask [N, H, W, 1]; dy [N, Ho, Wo, Co]; sites (int32, output grid).
// Output: dw [K, K, Ci, Co]. Uniforms: pads = (top, left). Baked in (shaderKey): S.

const S = {{S}};

fn main(index : i32) {
  if (index >= uniforms.size) { return; }
  let f = getCoordsFromIndex(index);  // (kh, kw, ci, co)
  let ho = uniforms.dyShape.y;
  let wo = uniforms.dyShape.z;
  var acc = 0.0;
  for (var slot = 0; slot < sites[0]; slot++) {
    let p = sites[1 + slot];  // n·Ho·Wo + oh·Wo + ow
    let ow = p % wo;
    let oh = (p / wo) % ho;
    let n = p / (wo * ho);
    let r = oh * S - uniforms.pads.x + f.x;
    let c = ow * S - uniforms.pads.y + f.y;
    if (r < 0 || r >= uniforms.xShape.y || c < 0 || c >= uniforms.xShape.z) { continue; }
    let a = getActiveMask(n, r, c, 0) * getActiveMask(n, oh * S, ow * S, 0);
    acc += a * getX(n, r, c, f.z) * getDy(n, oh, ow, f.w);
  }
  setOutputAtIndex(index, acc);
}
