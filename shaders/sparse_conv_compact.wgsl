// Sparse convolution, site compaction: the ordered list of active sites of an [N, Ho, Wo] grid.
//
// Sparse (submanifold) convolution computes outputs at active sites only. Rather than launching
// one invocation per site and returning early at inactive ones (idle lanes still occupy their
// SIMD group), the conv passes run over this compacted list, so their cost scales with the
// number of active sites. Output: result[0] = count, result[1 .. count] = the sites (n, oh, ow)
// packed by packSite (lib_site_block.wgsl), in increasing order (the tail is left unwritten and
// never read). Increasing order keeps the filter-gradient sums deterministic from run to run.
//
// Site (n, oh, ow) is active iff activeMask[n, oh·s, ow·s, 0] != 0: with s = 1 the mask itself, with
// s = 2 the mask subsampled at the top-left input position of each output (stride-aligned).
// One workgroup of WG invocations walks the grid in chunks of WG sites; each chunk does a
// Hillis–Steele inclusive prefix sum of its 0/1 flags in workgroup memory.
//
// Inputs: activeMask [N, H, W, 1] (`active` is a WGSL reserved word). Uniforms: grid = (N, Ho, Wo, s). Output: int32 [1 + N·Ho·Wo].
// Baked in (shaderKey): B (bits a packed coordinate).

const WG = {{WG}};

var<workgroup> scan : array<i32, WG>;

//#include site_pack

// Flat grid index p = n·Ho·Wo + oh·Wo + ow → the packed site if it is active, else -1.
fn activeSite(p : i32) -> i32 {
  let g = uniforms.grid;
  let ow = p % g.z;
  let t = p / g.z;
  let n = t / g.y;
  let oh = t % g.y;
  return select(-1, packSite(n, oh, ow), getActiveMask(n, oh * g.w, ow * g.w, 0) != 0.0);
}

fn main(index : i32) {
  let lid = i32(localId.x);
  let total = uniforms.grid.x * uniforms.grid.y * uniforms.grid.z;
  var count = 0;  // sites listed so far; the same in every invocation
  for (var start = 0; start < total; start += WG) {
    let p = start + lid;
    var site = -1;
    if (p < total) { site = activeSite(p); }
    let flag = select(0, 1, site >= 0);
    scan[lid] = flag;
    workgroupBarrier();
    for (var d = 1; d < WG; d *= 2) {
      var v = scan[lid];
      if (lid >= d) { v += scan[lid - d]; }
      workgroupBarrier();
      scan[lid] = v;
      workgroupBarrier();
    }
    // Inclusive sum = 1-based rank within the chunk; slot 0 holds the count.
    if (flag == 1) { result[count + scan[lid]] = site; }
    count += scan[WG - 1];
    workgroupBarrier();  // everyone has read scan before the next chunk overwrites it
  }
  if (lid == 0) { result[0] = count; }
}
