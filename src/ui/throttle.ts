/**
 * A value that follows `value` at most once per `ms` (the last change always lands).
 *
 * `phase` (0 ≤ phase < 1) puts the updates on a clock: only at times ≡ phase·ms (mod ms). Charts
 * given different phases redraw in different tasks, so no single task pays for all of them (one
 * recharts redraw costs tens of ms; three at once made >100 ms long tasks).
 */
import { useEffect, useRef, useState } from 'react';

export function useThrottled<T>(value: T, ms: number, phase?: number): T {
  const [shown, setShown] = useState(value);
  const lastAt = useRef(-Infinity);
  useEffect(() => {
    const now = performance.now();
    let at = Math.max(now, lastAt.current + ms);
    if (phase !== undefined) at = Math.ceil((at - phase * ms) / ms) * ms + phase * ms;
    const show = () => {
      lastAt.current = performance.now();
      setShown(value);
    };
    if (at <= now) return show();
    const timer = setTimeout(show, at - now);
    return () => clearTimeout(timer);
  }, [value, ms, phase]);
  return shown;
}
