// Snippet (`//#include group_sum`): Σ over the WG invocations of a workgroup, as a tree in
// workgroup memory (a fixed order, so deterministic). For the `workgroups` layout (WG = {{WG}}).

const WG = {{WG}};

var<workgroup> part : array<f32, WG>;

// Σ of v over the workgroup; must be called from uniform control flow.
fn groupSum(v : f32, lid : i32) -> f32 {
  part[lid] = v;
  workgroupBarrier();
  for (var d = WG / 2; d > 0; d /= 2) {
    if (lid < d) { part[lid] += part[lid + d]; }
    workgroupBarrier();
  }
  let total = part[0];
  workgroupBarrier();  // all have read part[0] before the next call overwrites it
  return total;
}
