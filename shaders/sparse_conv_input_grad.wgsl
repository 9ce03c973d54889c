// Sparse (submanifold) convolution, input gradient: dx = active ⊙ conv2dTranspose(dy ⊙ activeOut, w).
//
// Runs over the compacted list of active INPUT sites (sparse_conv_compact with stride 1):
// inactive inputs were never read by the forward pass, so their gradient is exactly 0 (the
// output was zero-filled) and costs nothing. Only active outputs pass gradient back.
// Invocation t handles input site sites[1 + t / B] and input channels 4·(t % B) .. +3
// (B = ⌈Ci/4⌉ blocks): each dy load feeds 4 multiply-adds. Raw-buffer indexing from hoisted
// offsets, as in sparse_conv_forward.
//
// Inputs: dy [N, Ho, Wo, Co]; activeMask [N, H, W, 1]; w [K, K, Ci, Co]; sites (int32, input grid).
// Output: dx [N, H, W, Ci]. Uniforms: pads = (top, left). Baked in (shaderKey): K, S.

const K = {{K}};
const S = {{S}};

//#include site_block

fn main(index : i32) {
  let nci = uniforms.outShape.w;
  let sc = slotAndChannel(index, nci);
  if (sc.x >= sites[0]) { return; }
  let ci0 = sc.y;
  let p = sites[1 + sc.x];  // n·H·W + ih·W + iw
  let h = uniforms.outShape.y;
  let wd = uniforms.outShape.z;
  let i = siteCoords(p, h, wd);
  let n = i.x;
  let ih = i.y;
  let iw = i.z;
  let ho = uniforms.dyShape.y;
  let wo = uniforms.dyShape.z;
  let nco = uniforms.dyShape.w;
  let lane = laneOffsets(ci0, nci, nco);  // w rows of the 4 input channels
  var acc = vec4<f32>(0.0);
  for (var kh = 0; kh < K; kh++) {
    let th = ih + uniforms.pads.x - kh;  // = oh·S when this tap reaches ih
    if (th < 0 || th % S != 0 || th / S >= ho) { continue; }
    let oh = th / S;
    for (var kw = 0; kw < K; kw++) {
      let tw = iw + uniforms.pads.y - kw;
      if (tw < 0 || tw % S != 0 || tw / S >= wo) { continue; }
      let ow = tw / S;
      if (f32(activeMask[(n * h + oh * S) * wd + ow * S]) == 0.0) { continue; }  // output (oh, ow) inactive
      let db = ((n * ho + oh) * wo + ow) * nco;
      var wb = ((kh * K + kw) * nci + ci0) * nco;  // w[kh, kw, ci0, co], advanced by 1 per co
      for (var co = 0; co < nco; co++) {
        acc += dy[db + co] * vec4<f32>(w[wb], w[wb + lane.y], w[wb + lane.z], w[wb + lane.w]);
        wb += 1;
      }
    }
  }
  storeLanes(p * nci + ci0, ci0, nci, acc);
}
