// Snippet (`//#include mask_at`): the mask of a masked convolution, read as the passes need it.
// The op hands the mask over in one of two forms (PIXEL_MASK, part of the shaderKey):
// 1: pixel [N, H, W, 1], one value per input position shared by all channels;
// 0: channel [N, 1, 1, C], one value per image and channel (C a multiple of 4).
// The batch dimension is never broadcast here: the op expands it beforehand.
// `mask` stays a plain f32 array (it is no multiple of 4 long in pixel form). Each function
// returns 1 for the form it does not apply to, so a body multiplies by both and the constant
// branch folds away. Needs the program input `mask` (and its shape uniform `maskShape`).

const PIXEL_MASK = {{PIXEL_MASK}};

// Mask at flat input position p = (n·H + r)·W + c; 1 for a channel mask.
fn pixelMask(p : i32) -> f32 {
  if (PIXEL_MASK == 0) { return 1.0; }
  return mask[p];
}

// Mask of channels 4·c4 … 4·c4 + 3 of image n; 1 for a pixel mask.
fn channelMask(n : i32, c4 : i32) -> vec4<f32> {
  if (PIXEL_MASK == 1) { return vec4<f32>(1.0); }
  let i = n * uniforms.maskShape.w + 4 * c4;
  return vec4<f32>(mask[i], mask[i + 1], mask[i + 2], mask[i + 3]);
}
