// Masked convolution, filter gradient: dw[kh, kw, ci, co] = Σ_{n, oh, ow} (x ⊙ mask)[n, r, c, ci] · dy[n, oh, ow, co]
// with r = oh·S − padTop + kh, c = ow·S − padLeft + kw.
//
// Like the forward pass it reads x ⊙ mask on the fly, so no masked copy of x is kept between the
// forward and backward passes. One invocation per filter element; each sums over N·Ho·Wo.
//
// Inputs: x [N, H, W, Ci]; mask broadcastable to x; dy [N, Ho, Wo, Co]. Output: dw [K, K, Ci, Co].
// Uniforms: pads = (top, left). Baked in (shaderKey): S (K is the output's own shape).

const S = {{S}};

//#include mask_at

fn main(index : i32) {
  if (index >= uniforms.size) { return; }
  let f = getCoordsFromIndex(index);  // (kh, kw, ci, co)
  let ci = f.z;
  let co = f.w;
  var acc = 0.0;
  for (var n = 0; n < uniforms.xShape.x; n++) {
    for (var oh = 0; oh < uniforms.dyShape.y; oh++) {
      let r = oh * S - uniforms.pads.x + f.x;
      if (r < 0 || r >= uniforms.xShape.y) { continue; }
      for (var ow = 0; ow < uniforms.dyShape.z; ow++) {
        let c = ow * S - uniforms.pads.y + f.y;
        if (c < 0 || c >= uniforms.xShape.z) { continue; }
        acc += getX(n, r, c, ci) * maskAt(n, r, c, ci) * getDy(n, oh, ow, co);
      }
    }
  }
  setOutputAtIndex(index, acc);
}
