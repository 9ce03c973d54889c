/**
 * Architecture specs: the string form used in URLs (`resnet:16-32-64x1`) and its parsed form.
 * A spec is family + stage widths + blocks per stage. Every family shares the same skeleton:
 * a 3×3 stem at full resolution, stages that halve the resolution after the first, global
 * average pooling and a linear head, so per-stage feature shapes follow from the spec alone.
 */
export type Family = 'resnet' | 'mobilenet';
export const FAMILIES: readonly Family[] = ['resnet', 'mobilenet'];

export interface ArchSpec {
  family: Family;
  widths: number[]; // channels per stage
  blocks: number[]; // blocks per stage, same length as widths
}

export const SPEC_LIMITS = { minStages: 1, maxStages: 4, minWidth: 4, maxWidth: 256, minBlocks: 1, maxBlocks: 4 };

/** Parses `family:w1-w2-…xB` or `family:w1-w2-…xB1-B2-…`; throws an Error saying what is wrong. */
export function parseSpec(text: string): ArchSpec {
  const m = /^([a-z]+):(\d+(?:-\d+)*)x(\d+(?:-\d+)*)$/.exec(text.trim());
  if (!m) throw new Error(`"${text}" is not an architecture spec like resnet:16-32-64x1`);
  const family = m[1] as Family;
  if (!FAMILIES.includes(family)) throw new Error(`unknown family "${m[1]}" (one of ${FAMILIES.join(', ')})`);
  const widths = m[2].split('-').map(Number);
  let blocks = m[3].split('-').map(Number);
  if (blocks.length === 1) blocks = widths.map(() => blocks[0]);
  const L = SPEC_LIMITS;
  if (widths.length < L.minStages || widths.length > L.maxStages) {
    throw new Error(`${widths.length} stages: must be ${L.minStages}…${L.maxStages}`);
  }
  if (blocks.length !== widths.length) throw new Error(`${blocks.length} block counts for ${widths.length} stages`);
  for (const w of widths) {
    if (w < L.minWidth || w > L.maxWidth) throw new Error(`stage width ${w}: must be ${L.minWidth}…${L.maxWidth}`);
  }
  for (const b of blocks) {
    if (b < L.minBlocks || b > L.maxBlocks) throw new Error(`blocks per stage ${b}: must be ${L.minBlocks}…${L.maxBlocks}`);
  }
  return { family, widths, blocks };
}

export function formatSpec(spec: ArchSpec): string {
  const sameBlocks = spec.blocks.every((b) => b === spec.blocks[0]);
  return `${spec.family}:${spec.widths.join('-')}x${sameBlocks ? spec.blocks[0] : spec.blocks.join('-')}`;
}

/** Output [H, W, C] of each stage for a square input of side `inputSize` ('same' padding). */
export function stageShapes(spec: ArchSpec, inputSize: number): [number, number, number][] {
  let s = inputSize;
  return spec.widths.map((w, i) => {
    if (i > 0) s = Math.ceil(s / 2);
    return [s, s, w];
  });
}
