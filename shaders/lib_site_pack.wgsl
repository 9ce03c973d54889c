// Snippet (`//#include site_pack`): a site (n, r, c) in the sparse conv passes' site lists is
// packed as n·2^(2B) + r·2^B + c with B = {{B}} bits a coordinate (SITE_BITS in
// src/core/kernels/sparseConv/programs.ts, which checks the grid fits). The packed values
// increase in the grid's flat order, and unpacking takes shifts where a flat index would take
// integer divisions (SwiftShader emulates those lane by lane; the filter-grad
// pass, which unpacks a site per step of its inner loop, runs 1.1–1.15× faster this way).

const SITE_BITS = {{B}}u;

fn packSite(n : i32, r : i32, c : i32) -> i32 {
  return (n << (2u * SITE_BITS)) | (r << SITE_BITS) | c;
}

// Packed site → (n, r, c).
fn siteCoords(v : i32) -> vec3<i32> {
  let low = (1 << SITE_BITS) - 1;
  return vec3<i32>(v >> (2u * SITE_BITS), (v >> SITE_BITS) & low, v & low);
}
