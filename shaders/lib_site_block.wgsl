// Snippet (`//#include site_block`): helpers of the sparse conv passes, whose invocations each
// own one site of a compacted site list (sparse_conv_compact) and a block of 4 channels, or a
// 4×4 block of the filter. An invocation loads each operand once and feeds 4 multiply-adds from
// it. When a channel count is not a multiple of 4, the lanes past the end re-read the last
// channel (the loads stay in bounds and branch-free) and are never stored.

// (n, r, c, first channel) of invocation `index` when each site of the list `sites` (count,
// then packed sites) has ⌈count/4⌉ invocations; n = -1 past the list's end.
fn siteBlock(index : i32, count : i32) -> vec4<i32> {
  let blocks = (count + 3) / 4;
  let slot = index / blocks;
  if (slot >= sites[0]) { return vec4<i32>(-1); }
  return vec4<i32>(siteCoords(sites[1 + slot]), (index - slot * blocks) * 4);
}

// Offsets of lanes 0..3 from lane 0, for channels laid out `step` elements apart.
fn laneOffsets(c0 : i32, count : i32, step : i32) -> vec4<i32> {
  return (min(vec4<i32>(c0) + vec4<i32>(0, 1, 2, 3), vec4<i32>(count - 1)) - c0) * step;
}

// result[base + j] = v[j] for the lanes j whose channel c0 + j exists.
fn storeLanes(base : i32, c0 : i32, count : i32, v : vec4<f32>) {
  for (var j = 0; j < min(4, count - c0); j++) { result[base + j] = v[j]; }
}
