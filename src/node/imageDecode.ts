/**
 * The import pipeline's image decoder for Node: PNG with pngjs, JPEG with jpeg-js (both pure JS,
 * no native build). Other formats (WebP, GIF, BMP) are refused here, so the pipeline skips them
 * with that reason; the page decodes them with the browser's own codecs.
 */
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import type { ImageDecoder } from '../core/data/import/pipeline';

export const nodeImageDecoder: ImageDecoder = (bytes) => {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] === 0x89 && bytes[1] === 0x50) {
    const png = PNG.sync.read(buf); // always RGBA, 8 bits
    return { width: png.width, height: png.height, channels: 4, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    const img = jpeg.decode(buf, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 256 });
    return { width: img.width, height: img.height, channels: 3, data: img.data };
  }
  throw new Error('only PNG and JPEG decode in Node');
};
