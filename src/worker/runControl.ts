/**
 * The worker's LoopControl of one run: the session's commands (pause, resume, single step, stop,
 * live α/λ) change it, the run loop (core/loop) reads it between steps.
 */
import { ConfigError, type ExperimentConfig } from '../core/config';
import type { LoopControl } from '../core/loop/control';
import type { LiveParam } from './protocol';

/** Live values the trainer can compute with. The form keeps them to the schema's ranges. */
function checkLive(param: LiveParam, value: number): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a finite number';
  if (param === 'alpha' && value < 0) return 'must be ≥ 0';
  if (param === 'lambda' && !(value >= 0 && value < 1)) return 'must be in [0, 1)';
  return null;
}

export class RunControl implements LoopControl {
  paused = false;
  stopRequested = false;
  singleSteps = 0;
  /** Live values for the next step (the MGD family applies them; H-GKD has none). */
  readonly pendingLive = new Map<LiveParam, number>();
  /** A rejected live value: it stops the run, which then ends with this error. */
  invalidLive: ConfigError | null = null;
  private wake: (() => void) | null = null;

  constructor(readonly runId: number, readonly config: ExperimentConfig) {}

  /** Wakes the loop if it waits in `whilePaused` (a snapshot or an export to answer). */
  poke(): void {
    this.wake?.();
    this.wake = null;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.poke();
  }

  /** Exactly one more step, then paused. */
  step(): void {
    this.paused = true;
    this.singleSteps = 1;
    this.poke();
  }

  stop(): void {
    this.stopRequested = true;
    this.poke();
  }

  set(param: LiveParam, value: number): void {
    const reason = checkLive(param, value);
    if (reason === null) {
      this.pendingLive.set(param, value);
      return;
    }
    this.invalidLive = new ConfigError(param, String(value), `${param}: rejected ${value}: ${reason}`);
    this.stop();
  }

  async whilePaused(onPause: () => void, onWake: () => Promise<void>): Promise<void> {
    if (this.paused && this.singleSteps === 0 && !this.stopRequested) onPause();
    while (this.paused && this.singleSteps === 0 && !this.stopRequested) {
      await new Promise<void>((resolve) => (this.wake = resolve));
      await onWake();
    }
  }
}
