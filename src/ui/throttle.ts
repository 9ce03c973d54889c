/**
 * A value that follows `value` at most once per `ms` (the last change always lands).
 *
 * `phase` (0 ≤ phase < 1) puts the updates on a clock: only at times ≡ phase·ms (mod ms). Charts
 * given different phases redraw in different tasks, so no single task pays for all of them (one
 * recharts redraw costs several ms; three at once made long tasks).
 */
import { useEffect, useRef, useState } from 'react';

/**
 * When the next update may land: `ms` after the previous slot (not after the moment the previous
 * update actually ran: on a busy main thread a timer that fired late would otherwise push every
 * later slot back a whole period), at the earliest now, rounded up to the phase's clock.
 */
export function nextSlot(now: number, lastSlot: number, ms: number, phase?: number): number {
  const at = Math.max(now, lastSlot + ms);
  if (phase === undefined) return at;
  // The epsilon keeps a time already on the clock (lastSlot + ms) from rounding up a period.
  return Math.ceil((at - phase * ms) / ms - 1e-9) * ms + phase * ms;
}

export function useThrottled<T>(value: T, ms: number, phase?: number): T {
  const [shown, setShown] = useState(value);
  const lastSlot = useRef(-Infinity);
  useEffect(() => {
    const now = performance.now();
    const at = nextSlot(now, lastSlot.current, ms, phase);
    const show = () => {
      lastSlot.current = at;
      setShown(value);
    };
    if (at <= now) return show();
    const timer = setTimeout(show, at - now);
    return () => clearTimeout(timer);
  }, [value, ms, phase]);
  return shown;
}
