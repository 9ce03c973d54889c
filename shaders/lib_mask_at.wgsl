// Snippet (`//#include mask_at`): the mask value at an x coordinate. The mask broadcasts onto
// x [N, H, W, C] dimension by dimension (pixel [N, H, W, 1] or channel [N, 1, 1, C]); a size-1
// dimension reads index 0. Needs a program input named `mask`.
fn maskAt(n : i32, r : i32, c : i32, ch : i32) -> f32 {
  let ms = uniforms.maskShape;
  return getMask(select(0, n, ms.x > 1), select(0, r, ms.y > 1),
                 select(0, c, ms.z > 1), select(0, ch, ms.w > 1));
}
