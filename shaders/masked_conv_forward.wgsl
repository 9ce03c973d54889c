// Masked convolution, forward: y = conv2d(x ⊙ mask, w) + b, NHWC, 'same' or 'valid' padding.
//
// MGD's generator sees the student feature with random pixels (or channels) zeroed. Instead of
// materialising x ⊙ mask, the mask is applied while x is read, and a masked input pixel is not
// read at all (nor a block of 4 masked channels): the work falls with the masked fraction.
// One invocation computes 4 output pixels of one image (a run of the flattened Ho·Wo grid) × 4
// output channels: each w vec4 it loads feeds 4 pixels, each x vec4 4 channels (register
// blocking: fewer loads per multiply-add). Neighbouring invocations take neighbouring channel
// blocks of the same pixels, so the mask branches agree across a SIMD group.
//
// Inputs (tfjs bindings): x [N, H, W, Ci] as vec4s; mask [N, H, W, 1] or [N, 1, 1, Ci] (lib_mask_at);
// w [K, K, Ci, Co] as vec4s; b [Co] as vec4s. Output: y [N, Ho, Wo, Co] as vec4s. Ci and Co are
// multiples of 4 (the op pads them). Invocations: N · ⌈Ho·Wo / 4⌉ · Co/4.
// Uniforms: pads = (top, left). Baked in (shaderKey): K, S (stride), PIXEL_MASK.

const K = {{K}};
const S = {{S}};

//#include mask_at
//#include pixel_run

fn main(index : i32) {
  let ci4s = uniforms.xShape.w / 4;
  let co4s = uniforms.outShape.w / 4;
  let hw = uniforms.outShape.y * uniforms.outShape.z;
  let run = pixelRun(index, hw, co4s);
  let n = run.n;
  if (n >= uniforms.outShape.x) { return; }
  let cb = run.cb;
  let q = run.q;  // the 4 output pixels, oh·Wo + ow
  let valid = run.valid;
  let r0 = (q / uniforms.outShape.z) * S - uniforms.pads.x;
  let c0 = (q % uniforms.outShape.z) * S - uniforms.pads.y;
  let h = uniforms.xShape.y;
  let wd = uniforms.xShape.z;
  var a0 = vec4<f32>(0.0);
  var a1 = vec4<f32>(0.0);
  var a2 = vec4<f32>(0.0);
  var a3 = vec4<f32>(0.0);
  for (var kh = 0; kh < K; kh++) {
    for (var kw = 0; kw < K; kw++) {
      let r = r0 + kh;
      let c = c0 + kw;
      let inb = valid & (r >= vec4<i32>(0)) & (r < vec4<i32>(h)) & (c >= vec4<i32>(0)) & (c < vec4<i32>(wd));
      let p = select(vec4<i32>(0), (n * h + r) * wd + c, inb);  // flat input pixel (0 when outside)
      let m = select(vec4<f32>(0.0), vec4<f32>(pixelMask(p.x), pixelMask(p.y), pixelMask(p.z), pixelMask(p.w)), inb);
      if (!any(m != vec4<f32>(0.0))) { continue; }  // the 4 inputs of this tap are masked or padding
      let xb = p * ci4s;
      let wTap = (kh * K + kw) * uniforms.xShape.w * co4s + cb;  // w[kh, kw, 0, 4·cb]
      for (var c4 = 0; c4 < ci4s; c4++) {
        let cm = channelMask(n, c4);
        if (!any(cm != vec4<f32>(0.0))) { continue; }  // 4 masked channels (channel mask)
        let wr = wTap + 4 * c4 * co4s;
        let w0 = w[wr];
        let w1 = w[wr + co4s];
        let w2 = w[wr + 2 * co4s];
        let w3 = w[wr + 3 * co4s];
        if (m.x != 0.0) { let v = x[xb.x + c4] * (m.x * cm); a0 += v.x * w0 + v.y * w1 + v.z * w2 + v.w * w3; }
        if (m.y != 0.0) { let v = x[xb.y + c4] * (m.y * cm); a1 += v.x * w0 + v.y * w1 + v.z * w2 + v.w * w3; }
        if (m.z != 0.0) { let v = x[xb.z + c4] * (m.z * cm); a2 += v.x * w0 + v.y * w1 + v.z * w2 + v.w * w3; }
        if (m.w != 0.0) { let v = x[xb.w + c4] * (m.w * cm); a3 += v.x * w0 + v.y * w1 + v.z * w2 + v.w * w3; }
      }
    }
  }
  let bias = b[cb];
  let o = (n * hw + q) * co4s + cb;
  if (valid.x) { result[o.x] = a0 + bias; }
  if (valid.y) { result[o.y] = a1 + bias; }
  if (valid.z) { result[o.z] = a2 + bias; }
  if (valid.w) { result[o.w] = a3 + bias; }
}
