// Snippet (`//#include channel_block`): register blocks of 4 channels for the sparse conv passes.
// An invocation that owns channels c0 .. c0+3 of a dimension with `count` channels loads each
// operand once and feeds 4 multiply-adds from it. When count is not a multiple of 4, the lanes
// past the end re-read the last channel (the loads stay in bounds and branch-free) and are
// never stored.

// Offsets of lanes 0..3 from lane 0, for channels laid out `step` elements apart.
fn laneOffsets(c0 : i32, count : i32, step : i32) -> vec4<i32> {
  return (min(vec4<i32>(c0) + vec4<i32>(0, 1, 2, 3), vec4<i32>(count - 1)) - c0) * step;
}

// result[base + j] = v[j] for the lanes j whose channel c0 + j exists.
fn storeLanes(base : i32, c0 : i32, count : i32, v : vec4<f32>) {
  for (var j = 0; j < min(4, count - c0); j++) { result[base + j] = v[j]; }
}
