/**
 * CIFAR-10 / CIFAR-100 binary batches as their authors publish them.
 *   CIFAR-10  record: 1 label byte, then 3072 pixel bytes (R plane 32×32, G plane, B plane).
 *   CIFAR-100 record: 1 coarse label byte, 1 fine label byte, then 3072 pixel bytes.
 * Output is interleaved [N, 32, 32, 3] uint8 (HWC), the layout the rest of the import uses.
 */
import { ImportError } from './idx';

export type CifarKind = 'cifar10' | 'cifar100';

const SIDE = 32;
const PLANE = SIDE * SIDE;
const PIXELS = 3 * PLANE;

export interface CifarBatch {
  count: number;
  pixels: Uint8Array; // [count, 32, 32, 3]
  labels: Uint8Array; // [count] (fine labels for CIFAR-100)
  coarseLabels?: Uint8Array; // [count] CIFAR-100 only
}

export function parseCifarBatch(bytes: Uint8Array, kind: CifarKind, source: string): CifarBatch {
  const labelBytes = kind === 'cifar10' ? 1 : 2;
  const record = labelBytes + PIXELS;
  if (bytes.length === 0) throw new ImportError(source, 'empty file');
  if (bytes.length % record !== 0) {
    throw new ImportError(source, `${bytes.length} bytes is not a whole number of ${kind} records (${record} bytes each)`);
  }
  const count = bytes.length / record;
  const maxLabel = kind === 'cifar10' ? 10 : 100;
  const pixels = new Uint8Array(count * PIXELS);
  const labels = new Uint8Array(count);
  const coarseLabels = kind === 'cifar100' ? new Uint8Array(count) : undefined;
  for (let n = 0; n < count; n++) {
    const off = n * record;
    const label = bytes[off + labelBytes - 1];
    if (label >= maxLabel) throw new ImportError(source, `record ${n}: label ${label} out of range 0..${maxLabel - 1}`);
    labels[n] = label;
    if (coarseLabels) {
      if (bytes[off] >= 20) throw new ImportError(source, `record ${n}: coarse label ${bytes[off]} out of range 0..19`);
      coarseLabels[n] = bytes[off];
    }
    const src = off + labelBytes;
    const dst = n * PIXELS;
    for (let p = 0; p < PLANE; p++) {
      pixels[dst + 3 * p] = bytes[src + p];
      pixels[dst + 3 * p + 1] = bytes[src + PLANE + p];
      pixels[dst + 3 * p + 2] = bytes[src + 2 * PLANE + p];
    }
  }
  return { count, pixels, labels, coarseLabels };
}

/** batches.meta.txt / fine_label_names.txt: one name a line, blank lines ignored. */
export function parseLabelNames(text: string): string[] {
  return text.split(/\r?\n/).map((s) => s.trim()).filter((s) => s.length > 0);
}
