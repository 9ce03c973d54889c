// Sparse (submanifold) convolution, input gradient: dx = active ⊙ conv2dTranspose(dy ⊙ activeOut, w).
//
// Runs over the compacted list of active INPUT sites (sparse_conv_compact with stride 1):
// inactive inputs were never read by the forward pass, so their gradient is exactly 0 (the
// output was zero-filled) and costs nothing. Only active outputs pass gradient back.
// Invocation t handles input site sites[1 + t / B] and input channels 4·(t % B) .. +3
// (B = ⌈Ci/4⌉ blocks): each dy load feeds 4 multiply-adds. Raw-buffer indexing from hoisted
// offsets, as in sparse_conv_forward. The filter comes transposed, wt [K, K, Co, Ci], so the
// 4 weights of a multiply-add are adjacent and neighbouring invocations read neighbouring
// weights (with w's own layout they are Co apart: the pass was ~2.5× slower on SwiftShader).
//
// Inputs: dy [N, Ho, Wo, Co]; activeMask [N, H, W, 1]; wt [K, K, Co, Ci]; sites (int32, input grid).
// Output: dx [N, H, W, Ci]. Uniforms: pads = (top, left). Baked in (shaderKey): K, S.

const K = {{K}};
const S = {{S}};

//#include site_pack
//#include site_block

fn main(index : i32) {
  let nci = uniforms.outShape.w;
  let b = siteBlock(index, nci);  // (n, ih, iw, ci0)
  if (b.x < 0) { return; }
  let n = b.x;
  let ci0 = b.w;
  let h = uniforms.outShape.y;
  let wd = uniforms.outShape.z;
  let ho = uniforms.dyShape.y;
  let wo = uniforms.dyShape.z;
  let nco = uniforms.dyShape.w;
  let lane = laneOffsets(ci0, nci, 1);
  var acc = vec4<f32>(0.0);
  for (var kh = 0; kh < K; kh++) {
    let th = b.y + uniforms.pads.x - kh;  // = oh·S when this tap reaches ih
    if (th < 0 || th % S != 0 || th / S >= ho) { continue; }
    let oh = th / S;
    for (var kw = 0; kw < K; kw++) {
      let tw = b.z + uniforms.pads.y - kw;
      if (tw < 0 || tw % S != 0 || tw / S >= wo) { continue; }
      let ow = tw / S;
      if (f32(activeMask[(n * h + oh * S) * wd + ow * S]) == 0.0) { continue; }  // output (oh, ow) inactive
      let db = ((n * ho + oh) * wo + ow) * nco;
      var wb = (kh * K + kw) * nco * nci + ci0;  // wt[kh, kw, co, ci0], advanced by Ci per co
      for (var co = 0; co < nco; co++) {
        acc += dy[db + co] * vec4<f32>(wt[wb], wt[wb + lane.y], wt[wb + lane.z], wt[wb + lane.w]);
        wb += nci;
      }
    }
  }
  storeLanes(((n * h + b.y) * wd + b.z) * nci + ci0, ci0, nci, acc);
}
