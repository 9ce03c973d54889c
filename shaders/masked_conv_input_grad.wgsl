// Masked convolution, input gradient: dx = mask ⊙ conv2dTranspose(dy, w).
//
// y depends on x only through x ⊙ mask, so the gradient is the ordinary transposed convolution
// of dy, multiplied by the mask; masked positions (and blocks of 4 masked channels) are exactly 0
// and their sums are skipped.
// One invocation computes 4 input pixels of one image (a run of the flattened H·W grid) × 4 input
// channels; it gathers every (oh, ow, kh, kw) with oh·S − padTop + kh = ih (and likewise for
// columns). Each w vec4 it loads feeds all 4 pixels, each dy vec4 all 4 channels.
// Neighbouring invocations take neighbouring channel blocks of the same pixels, so the mask
// and stride branches agree across a SIMD group.
//
// Inputs: dy [N, Ho, Wo, Co] as vec4s; mask [N, H, W, 1] or [N, 1, 1, Ci] (lib_mask_at);
// w [K, K, Ci, Co] as vec4s. Output: dx [N, H, W, Ci] as vec4s; Ci, Co multiples of 4.
// Invocations: N · ⌈H·W / 4⌉ · Ci/4. Uniforms: pads = (top, left). Baked in: K, S, PIXEL_MASK.

const K = {{K}};
const S = {{S}};

//#include mask_at
//#include pixel_run

// a ⊙ mm, exactly +0 where mm is 0 (a · 0 would be −0 for a negative a).
fn applyMask(a : vec4<f32>, mm : vec4<f32>) -> vec4<f32> {
  return select(vec4<f32>(0.0), a * mm, mm != vec4<f32>(0.0));
}

fn main(index : i32) {
  let ci4s = uniforms.outShape.w / 4;
  let co4s = uniforms.dyShape.w / 4;
  let hw = uniforms.outShape.y * uniforms.outShape.z;
  let run = pixelRun(index, hw, ci4s);
  let n = run.n;
  if (n >= uniforms.outShape.x) { return; }
  let cb = run.cb;
  let q = run.q;  // the 4 input pixels, ih·W + iw
  let valid = run.valid;
  let p = select(vec4<i32>(0), n * hw + q, valid);  // flat input pixel
  let cm = channelMask(n, cb);
  let live = valid & vec4<bool>(any(cm != vec4<f32>(0.0)));  // false too when the 4 channels are masked
  let m = select(vec4<f32>(0.0), vec4<f32>(pixelMask(p.x), pixelMask(p.y), pixelMask(p.z), pixelMask(p.w)), live);
  let th0 = q / uniforms.outShape.z + uniforms.pads.x;  // ih + padTop = oh·S + kh
  let tw0 = q % uniforms.outShape.z + uniforms.pads.y;
  let ho = uniforms.dyShape.y;
  let wo = uniforms.dyShape.z;
  var a0 = vec4<f32>(0.0);
  var a1 = vec4<f32>(0.0);
  var a2 = vec4<f32>(0.0);
  var a3 = vec4<f32>(0.0);
  for (var kh = 0; kh < K; kh++) {
    for (var kw = 0; kw < K; kw++) {
      let th = th0 - kh;
      let tw = tw0 - kw;
      let oh = th / S;
      let ow = tw / S;
      let hit = (m != vec4<f32>(0.0)) & (th >= vec4<i32>(0)) & (th % S == vec4<i32>(0)) & (oh < vec4<i32>(ho)) &
                (tw >= vec4<i32>(0)) & (tw % S == vec4<i32>(0)) & (ow < vec4<i32>(wo));
      if (!any(hit)) { continue; }
      let db = select(vec4<i32>(0), (n * ho + oh) * wo + ow, hit) * co4s;
      let wr = ((kh * K + kw) * uniforms.outShape.w + 4 * cb) * co4s;  // w[kh, kw, 4·cb, 0]
      for (var o4 = 0; o4 < co4s; o4++) {
        let w0 = w[wr + o4];
        let w1 = w[wr + co4s + o4];
        let w2 = w[wr + 2 * co4s + o4];
        let w3 = w[wr + 3 * co4s + o4];
        if (hit.x) { let d = dy[db.x + o4]; a0 += vec4<f32>(dot(d, w0), dot(d, w1), dot(d, w2), dot(d, w3)); }
        if (hit.y) { let d = dy[db.y + o4]; a1 += vec4<f32>(dot(d, w0), dot(d, w1), dot(d, w2), dot(d, w3)); }
        if (hit.z) { let d = dy[db.z + o4]; a2 += vec4<f32>(dot(d, w0), dot(d, w1), dot(d, w2), dot(d, w3)); }
        if (hit.w) { let d = dy[db.w + o4]; a3 += vec4<f32>(dot(d, w0), dot(d, w1), dot(d, w2), dot(d, w3)); }
      }
    }
  }
  let o = p * ci4s + cb;
  if (valid.x) { result[o.x] = applyMask(a0, m.x * cm); }
  if (valid.y) { result[o.y] = applyMask(a1, m.y * cm); }
  if (valid.z) { result[o.z] = applyMask(a2, m.z * cm); }
  if (valid.w) { result[o.w] = applyMask(a3, m.w * cm); }
}
