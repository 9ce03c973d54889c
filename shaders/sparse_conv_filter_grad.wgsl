// Sparse (submanifold) convolution, filter gradient:
// dw[kh, kw, ci, co] = Σ over active output sites (n, oh, ow) of (x ⊙ active)[n, r, c, ci] · dy[n, oh, ow, co]
// with r = oh·S − padTop + kh, c = ow·S − padLeft + kw.
//
// Invocation t owns a 4×4 block of dw: one tap (kh, kw), input channels ci0 .. +3 and output
// channels co0 .. +3, so per site 4 x loads and 4 dy loads feed 16 multiply-adds, and the site's
// coordinates are decoded once for 16 outputs. It walks its tap's list from sparse_conv_compact:
// the active output sites whose input at this tap is on the grid and active, so every step does
// work (a single list of active sites would make most steps of most taps skip) and the work
// scales with the active fraction; the list is in increasing order, so the sums are
// deterministic. t = (tap · Bi + ci0 / 4) · Bo + co0 / 4 with Bi, Bo the 4-channel block counts.
//
// Inputs: x [N, H, W, Ci]; dy [N, Ho, Wo, Co]; sites (int32 [K²·(1 + N·Ho·Wo)], per-tap lists).
// Output: dw [K, K, Ci, Co]. Uniforms: pads = (top, left). Baked in (shaderKey): K, S.

const K = {{K}};
const S = {{S}};

//#include site_pack
//#include site_block

fn main(index : i32) {
  let nci = uniforms.xShape.w;
  let nco = uniforms.dyShape.w;
  let bo = (nco + 3) / 4;
  let bi = (nci + 3) / 4;
  let tci = index / bo;
  let tap = tci / bi;
  if (tap >= K * K) { return; }
  let co0 = (index - tci * bo) * 4;
  let ci0 = (tci - tap * bi) * 4;
  let dr = tap / K - uniforms.pads.x;
  let dc = tap % K - uniforms.pads.y;
  let h = uniforms.xShape.y;
  let wd = uniforms.xShape.z;
  let ho = uniforms.dyShape.y;
  let wo = uniforms.dyShape.z;
  let xl = laneOffsets(ci0, nci, 1);
  let dl = laneOffsets(co0, nco, 1);
  var a0 = vec4<f32>(0.0);  // row ci0 + i of the block is a<i>
  var a1 = vec4<f32>(0.0);
  var a2 = vec4<f32>(0.0);
  var a3 = vec4<f32>(0.0);
  let base = tap * (1 + uniforms.dyShape.x * ho * wo);  // this tap's list
  let last = base + sites[base];
  for (var slot = base + 1; slot <= last; slot++) {
    let o = siteCoords(sites[slot]);  // (n, oh, ow)
    let q = (o.x * h + o.y * S + dr) * wd + o.z * S + dc;  // its input at this tap
    let xb = q * nci + ci0;
    let db = ((o.x * ho + o.y) * wo + o.z) * nco + co0;
    let d = vec4<f32>(dy[db], dy[db + dl.y], dy[db + dl.z], dy[db + dl.w]);
    a0 += x[xb] * d;
    a1 += x[xb + xl.y] * d;
    a2 += x[xb + xl.z] * d;
    a3 += x[xb + xl.w] * d;
  }
  let row = (tap * nci + ci0) * nco + co0;  // dw[kh, kw, ci0, co0]
  storeLanes(row, co0, nco, a0);
  if (ci0 + 1 < nci) { storeLanes(row + nco, co0, nco, a1); }
  if (ci0 + 2 < nci) { storeLanes(row + 2 * nco, co0, nco, a2); }
  if (ci0 + 3 < nci) { storeLanes(row + 3 * nco, co0, nco, a3); }
}
