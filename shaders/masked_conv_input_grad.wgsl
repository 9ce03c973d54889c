// Masked convolution, input gradient: dx = mask ⊙ conv2dTranspose(dy, w).
//
// y depends on x only through x ⊙ mask, so the gradient is the ordinary transposed convolution
// of dy, multiplied by the mask. Where the mask is 0 the invocation writes 0 and skips the sum:
// masked positions cost nothing and their gradient is exactly zero.
// One invocation per dx element (n, ih, iw, ci); it gathers every (oh, ow, kh, kw) with
// oh·S − padTop + kh = ih (and likewise for columns).
//
// Inputs: dy [N, Ho, Wo, Co]; mask broadcastable to x; w [K, K, Ci, Co]. Output: dx [N, H, W, Ci].
// Uniforms: pads = (top, left). Baked in (shaderKey): K, S.

const K = {{K}};
const S = {{S}};

//#include mask_at

fn main(index : i32) {
  if (index >= uniforms.size) { return; }
  let i = getCoordsFromIndex(index);  // (n, ih, iw, ci)
  let m = maskAt(i.x, i.y, i.z, i.w);
  if (m == 0.0) {
    setOutputAtIndex(index, 0.0);
    return;
  }
  var acc = 0.0;
  for (var kh = 0; kh < K; kh++) {
    let th = i.y + uniforms.pads.x - kh;  // = oh·S when this tap reaches ih
    if (th < 0 || th % S != 0 || th / S >= uniforms.dyShape.y) { continue; }
    let oh = th / S;
    for (var kw = 0; kw < K; kw++) {
      let tw = i.z + uniforms.pads.y - kw;
      if (tw < 0 || tw % S != 0 || tw / S >= uniforms.dyShape.z) { continue; }
      let ow = tw / S;
      for (var co = 0; co < uniforms.dyShape.w; co++) {
        acc += getDy(i.x, oh, ow, co) * getW(kh, kw, i.w, co);
      }
    }
  }
  setOutputAtIndex(index, m * acc);
}
