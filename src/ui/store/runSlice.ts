/**
 * The run: commands to the worker client and the state its events produce. Status follows the
 * worker (a pause shows once the worker confirms it); `pending` covers the wait in between.
 */
import { unreachable } from '../../worker/protocol';
import { trainBlocker } from './dataSlice';
import { appendThinned } from './series';
import { type AppDeps, type RunSlice, type Slice, isActive } from './types';

/** Run fields reset by a new Train. */
const fresh = (): Pick<RunSlice, 'step' | 'stepsPerSec' | 'points' | 'summary' | 'error' | 'pending' | 'alphaHint' | 'features' | 'startPhase' | 'finalEval' | 'phase'> => ({
  step: 0, stepsPerSec: 0, points: [], summary: null, error: null, pending: null, alphaHint: null, features: null, startPhase: 'backend', finalEval: null, phase: null,
});

export const runSlice =
  (deps: AppDeps): Slice<RunSlice> =>
  (set, get) => ({
    status: 'idle',
    backend: null,
    steps: 0,
    ...fresh(),

    runConfig: null,

    train() {
      if (trainBlocker(get()) !== null) return; // the page says why (DataPanel); nothing trains
      const { config } = get();
      set({ ...fresh(), status: 'starting', steps: config.steps, runConfig: config });
      deps.client.start(config);
    },
    pause() {
      if (get().status !== 'running') return;
      set({ pending: 'pause' });
      deps.client.pause();
    },
    resume() {
      if (get().status !== 'paused') return;
      set({ pending: 'resume' });
      deps.client.resume();
    },
    stepOnce() {
      if (!isActive(get().status)) return;
      deps.client.step();
    },
    stop() {
      if (!isActive(get().status)) return;
      set({ pending: 'stop' });
      deps.client.stop();
    },
    sendLive(param, value) {
      if (isActive(get().status)) deps.client.set(param, value);
    },
    dismissError() {
      set({ error: null });
    },
    testCount: null,
    snapshotIndex: 0,
    chooseImage(index) {
      set({ snapshotIndex: index });
      deps.client.snapshot(index);
    },
    exportStudent: () => deps.client.exportStudent(),
    initialState: (config) => deps.client.initialState(config),
    storedTeacher: (key) => deps.client.storedTeacher(key),

    receive(event) {
      switch (event.type) {
        case 'ready':
          set({ backend: { name: event.backend, adapter: event.adapter, kernels: event.kernels, timings: event.timings, threads: event.threads ?? null } });
          return;
        case 'progress': {
          const { pending } = get();
          const confirmed = (pending === 'pause' && event.state === 'paused') || (pending === 'resume' && event.state === 'running');
          set({
            status: event.state,
            pending: confirmed ? null : pending,
            step: event.step,
            steps: event.steps,
            phase: event.pipeline === 'hgkd' ? event.phase : null,
            stepsPerSec: event.stepsPerSec > 0 ? event.stepsPerSec : get().stepsPerSec,
            points: event.pipeline === 'distill' && event.points.length > 0 ? appendThinned(get().points, event.points) : get().points,
          });
          return;
        }
        case 'starting':
          set({ startPhase: event.phase });
          return;
        case 'prepared':
          set({ alphaHint: event.alphaHint, testCount: event.testCount, finalEval: event.finalEval });
          return;
        case 'features':
          set({ features: { step: event.step, snapshot: event.snapshot } });
          return;
        case 'hgkd-snapshot':
          return; // the H-GKD slice keeps it
        case 'exported':
          return; // the client answers exportStudent() with it
        case 'initial-state':
          return; // the client answers initialState() with it
        case 'stored-teacher':
          return; // the client answers storedTeacher() with it
        case 'import-progress':
        case 'imported':
        case 'datasets':
        case 'teacher-progress':
        case 'teacher-done':
          return; // the data slice keeps them
        case 'done': {
          const { summary } = event;
          // A completed run's final accuracy (its final evaluation) belongs to its last step.
          const points = get().points;
          const last = points.at(-1);
          const final = summary.reason === 'completed' && summary.testAcc !== null && last ? [...points.slice(0, -1), Object.freeze({ ...last, testAcc: summary.testAcc })] : points;
          set({ status: 'done', pending: null, summary, step: summary.steps, points: final });
          return;
        }
        case 'error': {
          const error = { kind: event.kind, message: event.message, field: event.field };
          // runId null: an `init` failed or the worker crashed; a run in progress ends either way.
          // worker-lost: a fresh worker is coming up; the badge waits for its `ready`.
          const backend = event.kind === 'worker-lost' ? { backend: null } : {};
          if (event.runId === null && !isActive(get().status)) set({ error, ...backend });
          else set({ error, status: 'failed', pending: null, ...backend });
          return;
        }
        default:
          unreachable(event);
      }
    },
  });
