// Masked convolution, filter gradient:
// dw[kh, kw, ci, co] = Σ_{n, oh, ow} (x ⊙ mask)[n, r, c, ci] · dy[n, oh, ow, co]
// with r = oh·S − padTop + kh, c = ow·S − padLeft + kw.
//
// Like the forward pass it reads x ⊙ mask on the fly (no masked copy of x is kept between the
// passes) and skips masked input positions (and images whose 4 channels are masked), so the
// work falls with the masked fraction. One invocation computes a 4 ci × 4 co block of one tap
// (4 × 8 with WIDE): per position, one x vec4 and one or two dy vec4s feed 16 or 32
// multiply-adds (an outer product). Neighbouring invocations take neighbouring co blocks of the
// same tap, so the mask branches agree across a SIMD group.
//
// Inputs: x [N, H, W, Ci] as vec4s; mask [N, H, W, 1] or [N, 1, 1, Ci] (lib_mask_at); dy [N, Ho, Wo, Co]
// as vec4s. Output: dw [K, K, Ci, Co] as vec4s; Ci, Co multiples of 4 (of 8 with WIDE).
// Invocations: K·K · Ci/4 · Co/(4 or 8). Uniforms: pads = (top, left).
// Baked in (shaderKey): S, PIXEL_MASK, WIDE (K is the output's own shape).

const S = {{S}};
const WIDE = {{WIDE}};  // 1: 8 output channels per invocation (Co a multiple of 8), 0: 4

//#include mask_at

// The o with 0 ≤ o·S + off < size (off = k − pad): [lo, hi), so the loops below need no bounds checks.
fn tapRange(off : i32, size : i32, outSize : i32) -> vec2<i32> {
  return vec2<i32>(max(0, (S - 1 - off) / S), min(outSize, (size - off + S - 1) / S));
}

fn main(index : i32) {
  let ci4s = uniforms.xShape.w / 4;
  let co4s = uniforms.dyShape.w / 4;
  let k = uniforms.outShape.x;
  let ob = (index % (co4s / (1 + WIDE))) * (1 + WIDE);  // first co vec4
  let t = index / (co4s / (1 + WIDE));
  let cb = t % ci4s;
  let tap = t / ci4s;
  if (tap >= k * k) { return; }
  let offR = tap / k - uniforms.pads.x;
  let offC = tap % k - uniforms.pads.y;
  let rows = tapRange(offR, uniforms.xShape.y, uniforms.dyShape.y);
  let cols = tapRange(offC, uniforms.xShape.z, uniforms.dyShape.z);
  var a0 = vec4<f32>(0.0);
  var a1 = vec4<f32>(0.0);
  var a2 = vec4<f32>(0.0);
  var a3 = vec4<f32>(0.0);
  var b0 = vec4<f32>(0.0);
  var b1 = vec4<f32>(0.0);
  var b2 = vec4<f32>(0.0);
  var b3 = vec4<f32>(0.0);
  for (var n = 0; n < uniforms.xShape.x; n++) {
    let cm = channelMask(n, cb);
    if (!any(cm != vec4<f32>(0.0))) { continue; }  // the 4 input channels are masked in image n
    for (var oh = rows.x; oh < rows.y; oh++) {
      let xRow = (n * uniforms.xShape.y + oh * S + offR) * uniforms.xShape.z + offC;  // flat x pixel at ow = 0
      let dRow = ((n * uniforms.dyShape.y + oh) * uniforms.dyShape.z) * co4s + ob;
      for (var ow = cols.x; ow < cols.y; ow++) {
        let p = xRow + ow * S;
        let m = pixelMask(p);
        if (m == 0.0) { continue; }  // masked input: contributes nothing
        let v = x[p * ci4s + cb] * (m * cm);
        let d = dy[dRow + ow * co4s];
        a0 += v.x * d;
        a1 += v.y * d;
        a2 += v.z * d;
        a3 += v.w * d;
        if (WIDE == 1) {
          let e = dy[dRow + ow * co4s + 1];
          b0 += v.x * e;
          b1 += v.y * e;
          b2 += v.z * e;
          b3 += v.w * e;
        }
      }
    }
  }
  let o = (tap * uniforms.xShape.w + 4 * cb) * co4s + ob;  // dw[kh, kw, 4·cb, 4·ob]
  result[o] = a0;
  result[o + co4s] = a1;
  result[o + 2 * co4s] = a2;
  result[o + 3 * co4s] = a3;
  if (WIDE == 1) {
    result[o + 1] = b0;
    result[o + co4s + 1] = b1;
    result[o + 2 * co4s + 1] = b2;
    result[o + 3 * co4s + 1] = b3;
  }
}
