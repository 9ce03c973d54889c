// Masked convolution, filter gradient:
// dw[kh, kw, ci, co] = Σ_{n, oh, ow} (x ⊙ mask)[n, r, c, ci] · dy[n, oh, ow, co]
// with r = oh·S − padTop + kh, c = ow·S − padLeft + kw.
//
// Like the forward pass it reads x ⊙ mask on the fly (no masked copy of x is kept between the
// passes) and skips masked input positions, so the work falls with the masked fraction. One
// invocation computes a 4 ci × 4 co block of one tap: per position, one x vec4 and one dy vec4
// feed 16 multiply-adds (an outer product). Neighbouring invocations take neighbouring co
// blocks of the same tap, so the bounds and mask branches agree across a SIMD group.
//
// Inputs: x [N, H, W, Ci] as vec4s; mask [N, H, W, 1] or [N, 1, 1, Ci] (lib_mask_at); dy [N, Ho, Wo, Co]
// as vec4s. Output: dw [K, K, Ci, Co] as vec4s; Ci, Co multiples of 4. Invocations: K·K · Ci/4 · Co/4.
// Uniforms: pads = (top, left). Baked in (shaderKey): S, PIXEL_MASK (K is the output's own shape).

const S = {{S}};

//#include mask_at

fn main(index : i32) {
  let ci4s = uniforms.xShape.w / 4;
  let co4s = uniforms.dyShape.w / 4;
  let k = uniforms.outShape.x;
  let ob = index % co4s;
  let t = index / co4s;
  let cb = t % ci4s;
  let tap = t / ci4s;
  if (tap >= k * k) { return; }
  let kh = tap / k;
  let kw = tap % k;
  let h = uniforms.xShape.y;
  let wd = uniforms.xShape.z;
  var a0 = vec4<f32>(0.0);
  var a1 = vec4<f32>(0.0);
  var a2 = vec4<f32>(0.0);
  var a3 = vec4<f32>(0.0);
  for (var n = 0; n < uniforms.xShape.x; n++) {
    let cm = channelMask(n, cb);
    for (var oh = 0; oh < uniforms.dyShape.y; oh++) {
      let r = oh * S - uniforms.pads.x + kh;
      if (r < 0 || r >= h) { continue; }
      let dRow = (n * uniforms.dyShape.y + oh) * uniforms.dyShape.z;
      for (var ow = 0; ow < uniforms.dyShape.z; ow++) {
        let c = ow * S - uniforms.pads.y + kw;
        if (c < 0 || c >= wd) { continue; }
        let p = (n * h + r) * wd + c;
        let m = pixelMask(p);
        if (m == 0.0) { continue; }  // masked input: contributes nothing
        let v = x[p * ci4s + cb] * (m * cm);
        let d = dy[(dRow + ow) * co4s + ob];
        a0 += v.x * d;
        a1 += v.y * d;
        a2 += v.z * d;
        a3 += v.w * d;
      }
    }
  }
  let o = (tap * uniforms.xShape.w + 4 * cb) * co4s + ob;  // dw[kh, kw, 4·cb, 4·ob]
  result[o] = a0;
  result[o + co4s] = a1;
  result[o + 2 * co4s] = a2;
  result[o + 3 * co4s] = a3;
}
