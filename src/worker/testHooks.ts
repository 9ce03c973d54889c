/**
 * Dev/test builds only (worker.ts installs it behind `import.meta.env.MODE`): what the soak test
 * reads from the worker's global scope with Playwright's `worker.evaluate`, as `window.__distill`
 * is read from the page. Read between steps (the run paused), so no step's tensors are in flight.
 */
import * as tf from '@tensorflow/tfjs';

/** The worker's tfjs allocation: tensors alive and their bytes (all backends count the same way). */
export interface WorkerMemory {
  numTensors: number;
  numBytes: number;
}

export interface WorkerTestHook {
  memory(): WorkerMemory;
}

export const WORKER_HOOK = '__distillWorker';

export function installTestHook(scope: object): void {
  const hook: WorkerTestHook = {
    memory: () => {
      const { numTensors, numBytes } = tf.memory();
      return { numTensors, numBytes };
    },
  };
  Object.assign(scope, { [WORKER_HOOK]: hook });
}
