/**
 * The run loop (core/loop) as the worker runs it: its runtime (the run's control, the clock,
 * the message yield, the device-loss guard, the progress interval) and a sink that sends each
 * flush of points as one `progress` event.
 */
import type { LoopRuntime, PhaseSink } from '../core/loop/phase';
import type { ProgressPoints } from './protocol';
import type { RunControl } from './runControl';
import type { Emit } from './studentOutputs';

/** What every method's worker run gets from the session. */
export interface WorkerLoop {
  control: RunControl;
  emit: Emit;
  /** Races a promise against the loss of the GPU device. */
  guard: <T>(p: Promise<T>) => Promise<T>;
  now: () => number;
  yieldToEvents: () => Promise<void>;
  minFlushMs: number;
}

export function loopRuntime(w: WorkerLoop): LoopRuntime {
  return { control: w.control, now: w.now, yieldToEvents: w.yieldToEvents, minFlushMs: w.minFlushMs, guard: w.guard };
}

/**
 * A phase's sink: each step becomes a point (a copy: later changes to the metrics must not reach
 * points already sent), each flush one progress event of `steps`; `between` as in PhaseSink.
 */
export function progressSink<M, P>(
  w: WorkerLoop,
  steps: number,
  toPoint: (m: M) => P,
  batch: (points: P[]) => ProgressPoints,
  between?: () => Promise<void>,
): PhaseSink<M> {
  const points: P[] = [];
  return {
    point(m) {
      points.push(toPoint(m));
    },
    flush(state, stepsPerSec, step) {
      w.emit({ type: 'progress', runId: w.control.runId, ...batch(points.splice(0)), step, steps, stepsPerSec, state });
    },
    between,
  };
}
