/**
 * IDX image/label pairs (the MNIST format, also EMNIST, KMNIST, Fashion-MNIST), gzipped or not.
 * Layout (big-endian): magic 0x00 0x00 <type> <ndim>, ndim uint32 sizes, then the data.
 * Only type 0x08 (uint8) is used by these datasets; anything else is refused with a message.
 */
import { gunzipSync } from 'fflate';

export class ImportError extends Error {
  constructor(
    readonly source: string,
    detail: string,
  ) {
    super(`${source}: ${detail}`);
    this.name = 'ImportError';
  }
}

export interface IdxArray {
  dims: number[];
  data: Uint8Array; // row-major, product(dims) bytes
}

/** Gunzips when the bytes start with the gzip magic (1f 8b); otherwise returns them as they are. */
export function maybeGunzip(bytes: Uint8Array, source: string): Uint8Array {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return gunzipSync(bytes);
    } catch (e) {
      throw new ImportError(source, `corrupt gzip data (${(e as Error).message})`);
    }
  }
  return bytes;
}

export function parseIdx(raw: Uint8Array, source: string): IdxArray {
  const bytes = maybeGunzip(raw, source);
  if (bytes.length < 4) throw new ImportError(source, `too short for an IDX header (${bytes.length} bytes)`);
  if (bytes[0] !== 0 || bytes[1] !== 0) throw new ImportError(source, 'not an IDX file (magic must start with two zero bytes)');
  if (bytes[2] !== 0x08) throw new ImportError(source, `IDX element type 0x${bytes[2].toString(16)} is not supported (only uint8, 0x08)`);
  const ndim = bytes[3];
  if (ndim < 1 || ndim > 3) throw new ImportError(source, `IDX with ${ndim} dimensions (expected 1 for labels or 3 for images)`);
  const headerLen = 4 + 4 * ndim;
  if (bytes.length < headerLen) throw new ImportError(source, 'truncated IDX header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < ndim; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const size = dims.reduce((a, b) => a * b, 1);
  if (bytes.length - headerLen !== size) {
    throw new ImportError(source, `IDX body has ${bytes.length - headerLen} bytes, header dims ${dims.join('×')} need ${size}`);
  }
  return { dims, data: bytes.subarray(headerLen) };
}

export interface IdxPair {
  count: number;
  rows: number;
  cols: number;
  pixels: Uint8Array; // [count, rows, cols]
  labels: Uint8Array; // [count]
}

/** Parses an images file and its labels file and checks they belong together. */
export function parseIdxPair(images: Uint8Array, labels: Uint8Array, imagesName: string, labelsName: string): IdxPair {
  const img = parseIdx(images, imagesName);
  const lab = parseIdx(labels, labelsName);
  if (img.dims.length !== 3) throw new ImportError(imagesName, `images need 3 dimensions, found ${img.dims.length}`);
  if (lab.dims.length !== 1) throw new ImportError(labelsName, `labels need 1 dimension, found ${lab.dims.length}`);
  const [count, rows, cols] = img.dims;
  if (lab.dims[0] !== count) {
    throw new ImportError(labelsName, `${lab.dims[0]} labels for ${count} images in ${imagesName}`);
  }
  if (count === 0) throw new ImportError(imagesName, 'no images');
  return { count, rows, cols, pixels: img.data, labels: lab.data };
}
