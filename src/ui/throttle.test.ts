/** The redraw clock: slots every `ms` at a phase, counted from the previous slot, not from when it ran. */
import { describe, expect, it } from 'vitest';
import { nextSlot } from './throttle';

describe('nextSlot', () => {
  it('shows the first value now without a phase, at the next slot of its phase with one', () => {
    expect(nextSlot(1234, -Infinity, 1000)).toBe(1234);
    expect(nextSlot(1234, -Infinity, 1000, 0)).toBe(2000);
    expect(nextSlot(1234, -Infinity, 1000, 1 / 2)).toBe(1500);
    expect(nextSlot(1500, -Infinity, 1000, 1 / 2)).toBe(1500); // already on the clock
  });

  it('keeps ms between slots and every slot on its phase', () => {
    for (const phase of [0, 1 / 3, 2 / 3, 1 / 5]) {
      let slot = nextSlot(17, -Infinity, 1000, phase);
      for (let i = 0; i < 50; i++) {
        const next = nextSlot(slot + 1, slot, 1000, phase); // a value changes 1 ms after each update
        expect(next - slot).toBeCloseTo(1000, 6);
        const periods = (next - phase * 1000) / 1000;
        expect(Math.abs(periods - Math.round(periods))).toBeLessThan(1e-9);
        slot = next;
      }
    }
  });

  it('does not lose a period when the previous update ran late', () => {
    // Slot 2000, but the timer fired at 2090 (a busy thread): the next slot is still 3000.
    expect(nextSlot(2095, 2000, 1000, 0)).toBe(3000);
    expect(nextSlot(2095, 2000, 1000)).toBe(3000);
  });

  it('after a quiet spell, the first change lands at the next slot from now', () => {
    expect(nextSlot(9400, 2000, 1000, 1 / 3)).toBeCloseTo(9333.33 + 1000, 1);
    expect(nextSlot(9400, 2000, 1000)).toBe(9400);
  });
});
