// Sparse (submanifold) convolution, input gradient: dx = active ⊙ conv2dTranspose(dy ⊙ activeOut, w).
//
// Runs over the compacted list of active INPUT sites (sparse_conv_compact with stride 1):
// inactive inputs were never read by the forward pass, so their gradient is exactly 0 (the
// output was zero-filled) and costs nothing. Only active outputs pass gradient back.
// Invocation t handles input site sites[1 + t / Ci], channel t % Ci.
//
// Inputs: dy [N, Ho, Wo, Co]; activeMask [N, H, W, 1]; w [K, K, Ci, Co]; sites (int32, input grid).
// Output: dx [N, H, W, Ci]. Uniforms: pads = (top, left). Baked in (shaderKey): K, S.

const K = {{K}};
const S = {{S}};

fn main(index : i32) {
  let ci = index % uniforms.outShape.w;
  let slot = index / uniforms.outShape.w;
  if (slot >= sites[0]) { return; }
  let p = sites[1 + slot];  // n·H·W + ih·W + iw
  let iw = p % uniforms.outShape.z;
  let ih = (p / uniforms.outShape.z) % uniforms.outShape.y;
  let n = p / (uniforms.outShape.z * uniforms.outShape.y);
  var acc = 0.0;
  for (var kh = 0; kh < K; kh++) {
    let th = ih + uniforms.pads.x - kh;  // = oh·S when this tap reaches ih
    if (th < 0 || th % S != 0 || th / S >= uniforms.dyShape.y) { continue; }
    let oh = th / S;
    for (var kw = 0; kw < K; kw++) {
      let tw = iw + uniforms.pads.y - kw;
      if (tw < 0 || tw % S != 0 || tw / S >= uniforms.dyShape.z) { continue; }
      let ow = tw / S;
      let ao = getActiveMask(n, oh * S, ow * S, 0);  // is output (oh, ow) active?
      if (ao == 0.0) { continue; }
      var dot = 0.0;
      for (var co = 0; co < uniforms.dyShape.w; co++) {
        dot += getDy(n, oh, ow, co) * getW(kh, kw, ci, co);
      }
      acc += ao * dot;
    }
  }
  setOutputAtCoords(n, ih, iw, ci, getActiveMask(n, ih, iw, 0) * acc);
}
