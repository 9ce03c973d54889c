/**
 * The quality e2e's CPU figure for a long task: the trace task that covers the Long Tasks API's
 * (coarsened) span, found through the clock offset a performance.measure gives.
 */
import { describe, expect, it } from 'vitest';
import { taskCpuMs } from '../scripts/bench/longTaskTrace';

const PID = 1;
const TID = 2;
// The measure began at page time 1000 ms = trace time 5,000,000 µs: the page clock is 4,000,000 µs behind.
const measure = { name: 'redraw', ph: 'b', pid: PID, tid: TID, ts: 5_000_000, args: { startTime: 1000 } };
const task = (ts: number, dur: number, tdur?: number) => ({ name: 'ThreadControllerImpl::RunTask', ph: 'X', pid: PID, tid: TID, ts, dur, tdur });

describe('taskCpuMs', () => {
  const trace = {
    traceEvents: [
      measure,
      task(5_100_000, 10_000, 9_000), // page 1100–1110 ms: a short task just before
      task(5_111_500, 55_300, 21_000), // page 1111.5–1166.8 ms: the long task, preempted
      task(5_300_000, 80_000, 79_000), // page 1300–1380 ms
      { ...task(5_111_500, 55_300, 1), tid: 99 }, // another thread's task at the same time
    ],
  };

  it('finds the task covering a coarsened span and gives its CPU time', () => {
    // The API reports 1110 ms + 56 ms for the first long task (its start 1.5 ms early).
    expect(taskCpuMs(trace, 'redraw', [{ startTime: 1110, duration: 56 }, { startTime: 1300, duration: 80 }])).toEqual([21, 79]);
  });

  it('gives undefined where no task of the page thread covers half of the span', () => {
    expect(taskCpuMs(trace, 'redraw', [{ startTime: 2000, duration: 60 }])).toEqual([undefined]);
    expect(taskCpuMs({ traceEvents: [measure, task(5_111_500, 55_300)] }, 'redraw', [{ startTime: 1110, duration: 56 }])).toEqual([undefined]);
  });

  it('throws when the trace lacks the measure that gives the clock', () => {
    expect(() => taskCpuMs({ traceEvents: [task(0, 60_000, 1)] }, 'redraw', [{ startTime: 0, duration: 60 }])).toThrow(/no performance.measure/);
  });
});
