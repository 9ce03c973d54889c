/**
 * The teacher recipe's augmentation: shifts fill the uncovered border with each channel's black,
 * flips mirror left–right, draws are seeded; grey data keeps the draws (and so the shipped
 * teachers' weights) of before flips existed; colour data flips and its teachers' keys say so.
 */
import { describe, expect, it } from 'vitest';
import { augmentBatch } from '../src/core/train/augment';
import { teacherAugment, teacherKey } from '../src/core/train/teacherPlan';
import { parseSpec } from '../src/core/models/spec';
import { DATASETS } from '../src/core/data/datasets';
import { Rng } from '../src/core/random';

/** One 3×3 image of `channels`, pixel (r, c) channel ch = 100·ch + 10·r + c. */
const image = (channels: number) =>
  Float32Array.from({ length: 9 * channels }, (_, i) => {
    const p = Math.floor(i / channels);
    return 100 * (i % channels) + 10 * Math.floor(p / 3) + (p % 3);
  });

/** The (dy, dx, mirror) the augmentation draws first for `seed`, read the way augmentBatch draws them. */
function draws(seed: number, shift: number, flip: boolean) {
  const rng = new Rng(seed);
  const dy = rng.int(2 * shift + 1) - shift;
  const dx = rng.int(2 * shift + 1) - shift;
  return { dy, dx, mirror: flip && rng.uniform() < 0.5 };
}

describe('augmentBatch', () => {
  it('shifts a 3-channel image, fills each channel with its black, mirrors when drawn', () => {
    const fill = [-1, -2, -3];
    const x = image(3);
    for (let seed = 1; seed <= 40; seed++) {
      const out = augmentBatch(x, 1, 3, 3, { shift: 1, flip: true }, fill, new Rng(seed));
      const { dy, dx, mirror } = draws(seed, 1, true);
      for (let r = 0; r < 3; r++) {
        for (let c = 0; c < 3; c++) {
          for (let ch = 0; ch < 3; ch++) {
            const [sr, sc] = [r - dy, c - dx];
            const inside = sr >= 0 && sr < 3 && sc >= 0 && sc < 3;
            const want = inside ? 100 * ch + 10 * sr + (mirror ? 2 - sc : sc) : fill[ch];
            expect(out[(r * 3 + c) * 3 + ch]).toBe(want);
          }
        }
      }
    }
  });

  it('flips about half the images of a batch, the same ones for the same seed', () => {
    const b = 400;
    const x = new Float32Array(b * 4).map((_, i) => i % 2); // each 2×2 grey image's columns are 0 and 1
    const once = augmentBatch(x, b, 2, 1, { shift: 0, flip: true }, [0], new Rng(3));
    const flipped = Array.from({ length: b }, (_, i) => once[4 * i] === 1).filter(Boolean).length;
    expect(flipped).toBeGreaterThan(160);
    expect(flipped).toBeLessThan(240);
    expect(augmentBatch(x, b, 2, 1, { shift: 0, flip: true }, [0], new Rng(3))).toEqual(once);
  });

  it('grey images draw only their shifts, as before flips existed', () => {
    const x = image(1);
    const rng = new Rng(9);
    augmentBatch(x, 1, 3, 1, { shift: 1, flip: false }, [0], rng);
    const after = new Rng(9);
    after.int(3);
    after.int(3);
    expect(rng.uniform()).toBe(after.uniform()); // two draws per image, no third
  });
});

describe('the recipe\'s augmentation and teacher keys', () => {
  const spec = parseSpec('resnet:4-8x1');

  it('grey data shifts by the dataset\'s figure and keeps its key; colour data shifts by side/8 and flips', () => {
    expect(teacherAugment('mnist', DATASETS.mnist)).toEqual({ shift: 2, flip: false });
    expect(teacherAugment('fashion', DATASETS.fashion)).toEqual({ shift: 1, flip: false });
    expect(teacherAugment('import-0123456789ab', { imageSize: 32, channels: 3 })).toEqual({ shift: 4, flip: true });
    expect(teacherKey('mnist', spec, DATASETS.mnist)).toBe('mnist|resnet:4-8x1|recipe-adam-cosine-b64-lr0.002-e2|seed1');
    expect(teacherKey('import-0123456789ab', spec, { imageSize: 32, channels: 3 })).toBe('import-0123456789ab|resnet:4-8x1|recipe-adam-cosine-b64-lr0.002-e2-shift4-flip|seed1');
  });
});
