/**
 * The one run loop: a phase of `steps` steps under a LoopControl, every step's metrics to a
 * sink, batched into flushes (at most one per minFlushMs, one at each pause, one at the end), a
 * quick test accuracy every `eval.every` steps but the last. The runner, the worker's session and
 * every method's phases (MGD family, H-GKD's distill / finetune / scratch) step through here.
 */
import type { LoopControl } from './control';

/** Window of recent steps behind a flush's steps/s (wall time, quick evaluations included). */
export const RATE_WINDOW = 20;

export type PhaseState = 'running' | 'paused' | 'evaluating';

export interface LoopMetrics {
  step: number;
  stepMs: number; // training time of this step (no evaluation)
  testAcc?: number;
}

export interface PhaseSpec<M extends LoopMetrics> {
  steps: number;
  step: () => Promise<M>;
  /** Quick test accuracy on `images` test images after every `every`-th step but the last. */
  eval?: { every: number; images: number; accuracy: (limit: number) => Promise<number> };
  /** Before each step (α/λ schedule, live changes); `next`: the step about to run. */
  beforeStep?: (next: number) => void;
  /** A completed phase is followed by a (slow) final evaluation: its last flush says 'evaluating'. */
  evaluatesAfter?: boolean;
}

export interface PhaseSink<M> {
  /** Each step's metrics, its quick evaluation included. */
  point(m: M): void;
  /** Sends the points gathered since the last flush. */
  flush?(state: PhaseState, stepsPerSec: number, step: number): void;
  /** After each step and whenever a paused run is poked (snapshots, exports). */
  between?(): Promise<void>;
}

/** Where the loop runs: the worker passes its clock, message yield and device-loss guard. */
export interface LoopRuntime {
  control: LoopControl;
  now?: () => number;
  yieldToEvents?: () => Promise<void>;
  minFlushMs?: number;
  guard?: <T>(p: Promise<T>) => Promise<T>;
}

export interface PhaseResult<M> {
  first: M | null;
  last: M | null;
  trainingMs: number; // sum of the steps' stepMs
  completed: boolean; // all steps ran and no stop was asked for
}

const same = <T>(p: Promise<T>) => p;

export async function runPhase<M extends LoopMetrics>(spec: PhaseSpec<M>, sink: PhaseSink<M>, rt: LoopRuntime): Promise<PhaseResult<M>> {
  const { control } = rt;
  const now = rt.now ?? (() => performance.now());
  const guard = rt.guard ?? same;
  const minFlushMs = rt.minFlushMs ?? 0;
  const recent: number[] = []; // wall ms of the last RATE_WINDOW steps
  let first: M | null = null;
  let last: M | null = null;
  let trainingMs = 0;
  let pending = 0; // points since the last flush
  let lastFlush = -Infinity;
  const flush = (state: PhaseState) => {
    if (!sink.flush) return;
    const ms = recent.reduce((a, b) => a + b, 0);
    sink.flush(state, ms > 0 ? (recent.length / ms) * 1000 : 0, last?.step ?? 0);
    pending = 0;
    lastFlush = now();
  };
  const between = sink.between ?? (async () => {});
  try {
    while ((last?.step ?? 0) < spec.steps) {
      await control.whilePaused(() => flush('paused'), between);
      if (control.stopRequested) break;
      if (control.singleSteps > 0) control.singleSteps--;
      spec.beforeStep?.((last?.step ?? 0) + 1);
      const t0 = now();
      const m = await guard(spec.step());
      if (spec.eval && m.step % spec.eval.every === 0 && m.step < spec.steps) m.testAcc = await guard(spec.eval.accuracy(spec.eval.images));
      recent.push(now() - t0);
      if (recent.length > RATE_WINDOW) recent.shift();
      trainingMs += m.stepMs;
      first ??= m;
      last = m;
      sink.point(m);
      pending++;
      if (now() - lastFlush >= minFlushMs) flush(control.paused ? 'paused' : 'running');
      await between();
      await rt.yieldToEvents?.();
    }
  } catch (e) {
    if (pending > 0) flush('paused'); // the steps that did happen still reach the charts
    throw e;
  }
  const completed = (last?.step ?? 0) >= spec.steps && !control.stopRequested;
  if (completed && spec.evaluatesAfter) flush('evaluating'); // the last points go out before the slow evaluation
  else if (pending > 0) flush(control.paused ? 'paused' : 'running');
  return { first, last, trainingMs, completed };
}
