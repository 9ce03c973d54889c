/**
 * `auto`'s measurement: which backend trains fastest here. WebGPU is not always it — a small
 * CNN can run faster on wasm or WebGL, and a software adapter (SwiftShader) is far slower than
 * wasm — so each candidate runs the same small workload: one warm-up step (shader compilation,
 * buffer pools) and then TIMED_STEPS timed steps; the fastest wins.
 *
 * Pure logic over injected backends, workload and clock (a Node test drives it with fakes);
 * the worker's tfjs side is in backend.ts and probeWorkload.ts.
 */
import type { BackendName, BackendTiming } from './protocol';

export const WARMUP_STEPS = 1;
export const TIMED_STEPS = 2;
/** The warm-up may take this long (a real GPU compiles a student's shaders in ~1 s; SwiftShader takes a minute). */
export const WARMUP_BUDGET_MS = 8000;
/** A timed step this many times slower than the best so far has lost: the probe moves on. */
export const LOSING_FACTOR = 3;

/** A training step built on the active backend; `step` resolves once its result is read back. */
export interface Workload {
  step(): Promise<void>;
  dispose(): void;
}

export interface ProbeDeps {
  /** Makes `name` the active backend; the reason it failed, or null. */
  activate(name: BackendName): Promise<string | null>;
  /** Builds the workload on the active backend. */
  workload(): Workload;
  now(): number;
  /** Resolves after `ms` (a step still running then is abandoned). */
  sleep(ms: number): Promise<void>;
}

class OverBudget extends Error {}

/**
 * Times each candidate in turn; the result lists the timed ones fastest first, then those that
 * failed or ran over budget. Put the likely-cheap candidates first: they set the bar the others
 * must beat. A step over its budget is abandoned (its workload is disposed once it settles).
 */
export async function timeBackends(candidates: readonly BackendName[], deps: ProbeDeps): Promise<BackendTiming[]> {
  const timings: BackendTiming[] = [];
  let best = Infinity;
  for (const backend of candidates) {
    const failure = await deps.activate(backend);
    if (failure !== null) {
      timings.push({ backend, skipped: `could not start: ${failure}` });
      continue;
    }
    const work = deps.workload();
    let inFlight: Promise<void> = Promise.resolve();
    /** One step, or OverBudget if it runs longer than `budget` ms. */
    const step = async (budget: number, what: string): Promise<number> => {
      const t0 = deps.now();
      inFlight = work.step();
      const done = inFlight.then(() => deps.now() - t0);
      const ms = Number.isFinite(budget) ? await Promise.race([done, deps.sleep(budget).then(() => 'late' as const)]) : await done;
      if (ms === 'late' || ms > budget) throw new OverBudget(`${what} took over ${Math.round(budget)} ms`);
      return ms;
    };
    try {
      for (let i = 0; i < WARMUP_STEPS; i++) await step(WARMUP_BUDGET_MS, 'the warm-up step (shader compilation)');
      const samples: number[] = [];
      for (let i = 0; i < TIMED_STEPS; i++) samples.push(await step(LOSING_FACTOR * best, 'a timed step'));
      // The faster timed step: one stray pause (GC, another tab) must not decide the choice.
      const msPerStep = Math.min(...samples);
      best = Math.min(best, msPerStep);
      timings.push({ backend, msPerStep });
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      timings.push({ backend, skipped: e instanceof OverBudget ? `too slow: ${reason}` : `its step failed: ${reason}` });
    } finally {
      inFlight.then(() => work.dispose(), () => work.dispose());
    }
  }
  const rank = (t: BackendTiming) => ('msPerStep' in t ? t.msPerStep : Infinity);
  return timings.sort((a, b) => rank(a) - rank(b)); // stable: ties keep the candidates' order
}

/** The fastest backend that could be timed, or null if none could. */
export function fastest(timings: readonly BackendTiming[]): BackendName | null {
  const best = timings.find((t) => 'msPerStep' in t);
  return best ? best.backend : null;
}

/**
 * One probe per workload shape for the life of the worker: later runs with the same student and
 * batch reuse the decision. A probe that throws is forgotten, so the next run tries again.
 */
export class ProbeCache {
  private readonly probes = new Map<string, Promise<BackendTiming[]>>();

  get(key: string, probe: () => Promise<BackendTiming[]>): Promise<BackendTiming[]> {
    let p = this.probes.get(key);
    if (!p) {
      p = probe();
      p.catch(() => this.probes.delete(key));
      this.probes.set(key, p);
    }
    return p;
  }
}
