// Sparse (submanifold) convolution, forward: y = conv2d(x ⊙ active, w) ⊙ activeOut, 'same' pad.
//
// Outputs exist only at active sites (activeOut = the mask subsampled at (oh·s, ow·s)), and only
// active inputs are read, so the mask pattern survives every layer and holes never fill in
// (SparK / H-GKD). Invocation t handles site sites[1 + t / B] and output channels 4·(t % B) ..
// +3 (B = ⌈Co/4⌉ blocks): each x load feeds 4 multiply-adds. Invocations past the active count
// return at once, so the work scales with the active fraction; inactive taps are skipped, so it
// falls faster. The output was zero-filled beforehand: inactive outputs stay exactly 0.
// The inner loop indexes the raw buffers from offsets hoisted out of it (SwiftShader, a CPU
// emulation, pays for every index computation and bounds check).
//
// Inputs: x [N, H, W, Ci]; activeMask [N, H, W, 1]; w [K, K, Ci, Co]; sites (int32, from
// sparse_conv_compact over the output grid). Output: y [N, Ho, Wo, Co].
// Uniforms: pads = (top, left). Baked in (shaderKey): K, S.

const K = {{K}};
const S = {{S}};

//#include site_pack
//#include site_block

fn main(index : i32) {
  let nco = uniforms.outShape.w;
  let b = siteBlock(index, nco);  // (n, oh, ow, co0)
  if (b.x < 0) { return; }
  let n = b.x;
  let co0 = b.w;
  let h = uniforms.xShape.y;
  let wd = uniforms.xShape.z;
  let nci = uniforms.xShape.w;
  let lane = laneOffsets(co0, nco, 1);
  var acc = vec4<f32>(0.0);
  for (var kh = 0; kh < K; kh++) {
    let r = b.y * S - uniforms.pads.x + kh;
    if (r < 0 || r >= h) { continue; }
    for (var kw = 0; kw < K; kw++) {
      let c = b.z * S - uniforms.pads.y + kw;
      if (c < 0 || c >= wd) { continue; }
      let q = (n * h + r) * wd + c;  // input site
      if (f32(activeMask[q]) == 0.0) { continue; }  // inactive input: never read
      let xb = q * nci;
      var wb = (kh * K + kw) * nci * nco + co0;  // w[kh, kw, ci, co0], advanced by Co per ci
      for (var ci = 0; ci < nci; ci++) {
        acc += x[xb + ci] * vec4<f32>(w[wb], w[wb + lane.y], w[wb + lane.z], w[wb + lane.w]);
        wb += nco;
      }
    }
  }
  let p = (n * uniforms.outShape.y + b.y) * uniforms.outShape.z + b.z;  // flat output site
  storeLanes(p * nco + co0, co0, nco, acc);
}
