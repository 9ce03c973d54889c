// Snippet (`//#include pixel_run`): the work of one invocation of a "4 pixels × 4 channels" pass.
// Invocations are numbered channel-block fastest, so neighbouring lanes own the same 4 pixels and
// take the same mask branches.
struct PixelRun {
  n : i32,             // image
  cb : i32,            // channel block: channels 4·cb … 4·cb + 3
  q : vec4<i32>,       // the 4 pixels, row·W + col within the image
  valid : vec4<bool>,  // q < H·W (an image's last run may be partial)
}

// Invocation `index` of a grid of images with hw = H·W pixels and c4s channel blocks (n ≥ N past the end).
fn pixelRun(index : i32, hw : i32, c4s : i32) -> PixelRun {
  let runs = (hw + 3) / 4;  // 4-pixel runs per image
  let g = index / c4s;
  let q = (g % runs) * 4 + vec4<i32>(0, 1, 2, 3);
  return PixelRun(g / runs, index % c4s, q, q < vec4<i32>(hw));
}
