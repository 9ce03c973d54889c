// Sparse convolution, site compaction: ordered lists of active sites of an [N, Ho, Wo] grid.
//
// Sparse (submanifold) convolution computes outputs at active sites only. Rather than launching
// one invocation per site and returning early at inactive ones (idle lanes still occupy their
// SIMD group), the conv passes run over these compacted lists, so their cost scales with the
// number of active sites.
//
// Site (n, oh, ow) is active iff activeMask[n, oh·s, ow·s, 0] != 0: with s = 1 the mask itself, with
// s = 2 the mask subsampled at the top-left input position of each output (stride-aligned).
// Workgroup t lists the active sites whose input at filter tap t, (oh·s + kh − padTop,
// ow·s + kw − padLeft) with (kh, kw) = (t / K, t % K), is on the grid and active too: the pairs
// the filter gradient sums over at that tap, with nothing to skip. With K = 1 and no pads: the
// plain list of active sites (forward, input gradient).
// Output: for each tap t, at base t·(1 + N·Ho·Wo): the count, then the sites packed by packSite
// (lib_site_pack.wgsl) in increasing order (the tail is left unwritten and never read).
// Increasing order keeps the filter-gradient sums deterministic from run to run.
// Invocation i of a workgroup owns the i-th of WG contiguous runs of the grid: it counts its
// listed sites, one Hillis–Steele prefix sum over the WG counts in workgroup memory gives its
// offset, and it writes its sites from there. That is ~2·log2(WG) barriers per list whatever
// the grid size (a scan per chunk of WG sites had that many per chunk; SwiftShader switches
// between all WG invocations at every barrier).
//
// Inputs: activeMask [N, H, W, 1] (`active` is a WGSL reserved word). Uniforms: grid = (N, Ho, Wo, s),
// taps = (K, padTop, padLeft, 0). Output: int32 [K²·(1 + N·Ho·Wo)]. Baked in (shaderKey): B.

const WG = {{WG}};

var<workgroup> scan : array<i32, WG>;

//#include site_pack

fn maskOn(n : i32, r : i32, c : i32) -> bool {
  let hw = uniforms.activeMaskShape.yz;
  return r >= 0 && r < hw.x && c >= 0 && c < hw.y && f32(activeMask[(n * hw.x + r) * hw.y + c]) != 0.0;
}

// Flat grid index p = n·Ho·Wo + oh·Wo + ow → the packed site if it is listed for tap (dr, dc), else -1.
fn listedSite(p : i32, dr : i32, dc : i32) -> i32 {
  let g = uniforms.grid;
  let ow = p % g.z;
  let t = p / g.z;
  let n = t / g.y;
  let oh = t % g.y;
  let on = maskOn(n, oh * g.w, ow * g.w) && maskOn(n, oh * g.w + dr, ow * g.w + dc);
  return select(-1, packSite(n, oh, ow), on);
}

fn main(index : i32) {
  let lid = i32(localId.x);
  let tap = i32(workgroupId.x);
  let k = uniforms.taps.x;
  let dr = tap / k - uniforms.taps.y;
  let dc = tap % k - uniforms.taps.z;
  let total = uniforms.grid.x * uniforms.grid.y * uniforms.grid.z;
  let base = tap * (1 + total);
  let run = (total + WG - 1) / WG;
  let start = min(lid * run, total);
  let stop = min(start + run, total);
  var mine = 0;
  for (var p = start; p < stop; p++) {
    if (listedSite(p, dr, dc) >= 0) { mine++; }
  }
  scan[lid] = mine;
  workgroupBarrier();
  for (var d = 1; d < WG; d *= 2) {
    var v = scan[lid];
    if (lid >= d) { v += scan[lid - d]; }
    workgroupBarrier();
    scan[lid] = v;
    workgroupBarrier();
  }
  // Inclusive sum − own count = sites listed by earlier runs; the list's slot 0 holds the count.
  var slot = base + scan[lid] - mine;
  for (var p = start; p < stop; p++) {
    let site = listedSite(p, dr, dc);
    if (site >= 0) {
      slot++;
      result[slot] = site;
    }
  }
  if (lid == WG - 1) { result[base] = scan[WG - 1]; }
}
