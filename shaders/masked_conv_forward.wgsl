// Masked convolution, forward: y = conv2d(x ⊙ mask, w) + b, NHWC, 'same' or 'valid' padding.
//
// MGD's generator sees the student feature with random pixels (or channels) zeroed. Instead of
// materialising x ⊙ mask as a tensor (one extra full-size write and read per step), the mask is
// applied while x is read. One invocation computes one output element y[n, oh, ow, co].
//
// Inputs (tfjs bindings): x [N, H, W, Ci]; mask broadcastable to x: pixel [N, H, W, 1] or
// channel [N, 1, 1, Ci] (any size-1 dim broadcasts); w [K, K, Ci, Co]; b [Co].
// Uniforms: pads = (top, left). Baked in (part of the shaderKey): K, S (stride).

const K = {{K}};
const S = {{S}};

//#include mask_at

fn main(index : i32) {
  if (index >= uniforms.size) { return; }
  let o = getCoordsFromIndex(index);  // (n, oh, ow, co)
  let n = o.x;
  let co = o.w;
  let r0 = o.y * S - uniforms.pads.x;
  let c0 = o.z * S - uniforms.pads.y;
  var acc = getB(co);
  for (var kh = 0; kh < K; kh++) {
    let r = r0 + kh;
    if (r < 0 || r >= uniforms.xShape.y) { continue; }
    for (var kw = 0; kw < K; kw++) {
      let c = c0 + kw;
      if (c < 0 || c >= uniforms.xShape.z) { continue; }
      for (var ci = 0; ci < uniforms.xShape.w; ci++) {
        acc += getX(n, r, c, ci) * maskAt(n, r, c, ci) * getW(kh, kw, ci, co);
      }
    }
  }
  setOutputAtIndex(index, acc);
}
