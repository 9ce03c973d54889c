/**
 * The import pipeline's image decoder in the page, run inside the worker: the browser's own
 * codecs (PNG, JPEG, WebP, GIF, BMP: whatever `createImageBitmap` takes) through an
 * OffscreenCanvas, so decoding never touches the main thread. No colour-space conversion and no
 * premultiplied alpha, so an 8-bit PNG gives the same bytes as the runner's pngjs (same hash).
 */
import { MAX_IMAGE_PIXELS, type ImageDecoder } from '../core/data/import/pipeline';

export const browserImageDecoder: ImageDecoder = async (bytes) => {
  const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]), { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  try {
    const { width, height } = bitmap;
    // Too large: its size alone, so the pipeline skips it without a canvas of that size being drawn.
    if (width * height > MAX_IMAGE_PIXELS) return { width, height, channels: 4, data: new Uint8Array(0) };
    const ctx = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('no 2D canvas context in this worker');
    ctx.drawImage(bitmap, 0, 0);
    const { data } = ctx.getImageData(0, 0, width, height); // RGBA, un-premultiplied
    return { width, height, channels: 4, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  } finally {
    bitmap.close();
  }
};
