// Sparse (submanifold) convolution, forward: y = conv2d(x ⊙ active, w) ⊙ activeOut, 'same' pad.
//
// Outputs exist only at active sites (activeOut = the mask subsampled at (oh·s, ow·s)), and only
// active inputs are read, so the mask pattern survives every layer and holes never fill in
// (SparK / H-GKD). Invocation t handles site sites[1 + t / Co], channel t % Co; invocations
// past the active count return at once, so the work scales with the active fraction. The output
// was zero-filled beforehand: inactive outputs stay exactly 0.
//
// Inputs: x [N, H, W, Ci]; activeMask [N, H, W, 1]; w [K, K, Ci, Co]; sites (int32, from
// sparse_conv_compact over the output grid). Output: y [N, Ho, Wo, Co].
// Uniforms: pads = (top, left). Baked in (shaderKey): K, S.

const K = {{K}};
const S = {{S}};

fn main(index : i32) {
  let co = index % uniforms.outShape.w;
  let slot = index / uniforms.outShape.w;
  if (slot >= sites[0]) { return; }
  let p = sites[1 + slot];  // n·Ho·Wo + oh·Wo + ow
  let ow = p % uniforms.outShape.z;
  let oh = (p / uniforms.outShape.z) % uniforms.outShape.y;
  let n = p / (uniforms.outShape.z * uniforms.outShape.y);
  var acc = 0.0;
  for (var kh = 0; kh < K; kh++) {
    let r = oh * S - uniforms.pads.x + kh;
    if (r < 0 || r >= uniforms.xShape.y) { continue; }
    for (var kw = 0; kw < K; kw++) {
      let c = ow * S - uniforms.pads.y + kw;
      if (c < 0 || c >= uniforms.xShape.z) { continue; }
      let a = getActiveMask(n, r, c, 0);
      if (a == 0.0) { continue; }  // inactive input: no multiply-adds
      var dot = 0.0;
      for (var ci = 0; ci < uniforms.xShape.w; ci++) {
        dot += getX(n, r, c, ci) * getW(kh, kw, ci, co);
      }
      acc += a * dot;
    }
  }
  setOutputAtCoords(n, oh, ow, co, getActiveMask(n, oh * S, ow * S, 0) * acc);
}
