/**
 * How a run is steered between steps. The worker's session changes it from commands (pause,
 * single step, stop); Node runs pass `freeRunning`, which only ever stops when asked to.
 */
export interface LoopControl {
  readonly runId: number;
  paused: boolean;
  stopRequested: boolean;
  /** Steps still allowed while paused (a single-step command sets 1). */
  singleSteps: number;
  /** Waits while paused with no single step requested; `onWake`: a poke that did not resume. */
  whilePaused(onPause: () => void, onWake: () => Promise<void>): Promise<void>;
}

/** A control nobody pauses: stops before a step once `shouldStop` says so (Node runs). */
export function freeRunning(shouldStop: () => boolean = () => false): LoopControl {
  return {
    runId: 0,
    paused: false,
    get stopRequested() {
      return shouldStop();
    },
    set stopRequested(_: boolean) {
      // Node runs stop through shouldStop only.
    },
    singleSteps: 0,
    whilePaused: async () => {},
  };
}
