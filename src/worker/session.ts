/**
 * The worker's logic as a plain class: it takes Commands, drives a Trainer and emits
 * WorkerEvents. It knows nothing of `postMessage`, so tests run it in Node with an injected
 * environment (backend, teacher, data) exactly as the worker does in the browser.
 *
 * Run life: start → ready → progress… → done | error. Every start gets exactly one terminal
 * event (done or error); a start during a run stops that run first. Errors of any kind end the
 * run, never the session: the next start builds everything afresh. A run that ends well keeps
 * its nets until the next start, so picking another test image afterwards still gets a snapshot.
 *
 * Between steps the loop yields to the event loop, so pause, step, stop and live settings
 * arriving as messages are seen before the next step. Live α/λ (and the config's α/λ schedule,
 * at the steps it names) are applied at the next step and recorded (each point carries the values it used; the summary lists the changes). Points are
 * batched: at most one progress event per `minFlushMs`, plus one at each pause and at the end.
 */
import type { ExperimentConfig } from '../core/config';
import { ConfigError, scheduledLive, validateConfig } from '../core/config';
import type { Net } from '../core/models/net';
import { buildTrainer } from '../core/train/experiment';
import { finalEvaluation } from '../core/train/finalEval';
import { readInitialState } from '../core/export/pytorch/initialState';
import { type StepMetrics, type TestSource, type Trainer, type TrainSource, evaluateNet } from '../core/train/trainer';
import { describeError, rethrowFault } from './errors';
import { runHgkdInWorker } from './hgkdRun';
import type { Vit } from '../core/hgkd/vit';
import { type Emit, StudentOutputs } from './studentOutputs';
import type { WasmThreads } from './wasmThreads';
import {
  type AdapterInfo,
  type BackendChoice,
  type BackendName,
  type BackendTiming,
  type Command,
  type KernelPath,
  type LiveChange,
  type LiveParam,
  type MetricsPoint,
  type RunState,
  type RunSummary,
  type WorkerEvent,
  unreachable,
} from './protocol';

/** A started backend; `lost` resolves if its GPU device goes away (WebGPU only). */
export interface BackendHandle {
  name: BackendName;
  adapter: AdapterInfo | null;
  lost: Promise<Error> | null; // resolves with a fault that ends any run on this device (lost, out of memory)
  kernels: KernelPath;
  timings: BackendTiming[]; // auto's probe ([] when forced)
  threads?: WasmThreads | null; // wasm only
}

/** What a run needs from its surroundings (browser worker, or Node in tests). */
export interface RunEnvironment {
  /** `config`: the run's, for auto's probe to time its student (absent for an `init`). */
  initBackend(choice: BackendChoice, config?: ExperimentConfig): Promise<BackendHandle>;
  loadTeacher(config: ExperimentConfig): Promise<Net>;
  loadData(config: ExperimentConfig): Promise<{ train: TrainSource; test: TestSource }>;
  /** H-GKD's MIM teacher (encoder only); method=hgkd fails with a clear message without it. */
  loadMimTeacher?(config: ExperimentConfig): Promise<Vit>;
}

export interface SessionOptions {
  /** Minimum time between progress events, ms (50 → at most 20 per second). */
  minFlushMs?: number;
  /** Lets queued messages in between steps; the worker passes a MessageChannel yield. */
  yieldToEvents?: () => Promise<void>;
  now?: () => number;
  /** Minimum training time between feature snapshots, ms. */
  snapshotMs?: number;
}

// The protocol's point must stay a plain copy of the trainer's metrics: a compile-time check.
type AssertAssignable<T extends U, U> = T;
export type _PointsMatchMetrics = AssertAssignable<StepMetrics, MetricsPoint>;

/** Window of recent steps behind the progress event's steps/s. */
const RATE_WINDOW = 20;
/** Test images per piece of the final evaluation (one stop check per piece). */
const EVAL_CHUNK = 500;

/** Live values the trainer can compute with. The form keeps them to the schema's ranges. */
function checkLive(param: LiveParam, value: number): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a finite number';
  if (param === 'alpha' && value < 0) return 'must be ≥ 0';
  if (param === 'lambda' && !(value >= 0 && value < 1)) return 'must be in [0, 1)';
  return null;
}

/** Control state of one run, changed by commands and read by the loop between steps. */
class Run {
  paused = false;
  stopRequested = false;
  singleSteps = 0;
  readonly pendingLive = new Map<LiveParam, number>();
  invalidLive: ConfigError | null = null;
  private wake: (() => void) | null = null;

  constructor(readonly runId: number, readonly config: ExperimentConfig) {}

  /** Wakes the loop if it waits in `whilePaused`. */
  poke(): void {
    this.wake?.();
    this.wake = null;
  }

  /** Waits while paused with no single step requested; returns at once otherwise. `onWake`: a poke that did not resume. */
  async whilePaused(onPause: () => void, onWake: () => Promise<void>): Promise<void> {
    if (this.paused && this.singleSteps === 0 && !this.stopRequested) onPause();
    while (this.paused && this.singleSteps === 0 && !this.stopRequested) {
      await new Promise<void>((resolve) => (this.wake = resolve));
      await onWake();
    }
  }
}

/** A run that ended (completed or stopped) with its nets still alive: feature snapshots of another image after it. */
interface FinishedRun {
  runId: number;
  trainer: Trainer;
  teacher: Net;
  test: TestSource;
}

export class Session {
  private current: Run | null = null;
  private finished: FinishedRun | null = null; // kept until the next start
  private queue: Promise<void> = Promise.resolve();
  private readonly minFlushMs: number;
  private readonly yieldToEvents: () => Promise<void>;
  private readonly now: () => number;
  private readonly outputs: StudentOutputs;

  constructor(
    private readonly env: RunEnvironment,
    private readonly emit: Emit,
    options: SessionOptions = {},
  ) {
    this.minFlushMs = options.minFlushMs ?? 50;
    this.yieldToEvents = options.yieldToEvents ?? (() => new Promise((resolve) => setTimeout(resolve, 0)));
    this.now = options.now ?? (() => performance.now());
    this.outputs = new StudentOutputs(emit, this.now, options.snapshotMs ?? 1500);
  }

  handle(command: Command): void {
    const run = this.current;
    switch (command.type) {
      case 'init':
        this.queue = this.queue.then(() => this.init(command.backend, command.config));
        return;
      case 'start':
        this.start(command.runId, command.config);
        return;
      case 'pause':
        if (run) run.paused = true;
        return;
      case 'resume':
        if (run) {
          run.paused = false;
          run.poke();
        }
        return;
      case 'step':
        if (run) {
          run.paused = true;
          run.singleSteps = 1;
          run.poke();
        }
        return;
      case 'stop':
        if (run) {
          run.stopRequested = true;
          run.poke();
        }
        return;
      case 'set': {
        if (!run) return;
        const reason = checkLive(command.param, command.value);
        if (reason === null) run.pendingLive.set(command.param, command.value);
        else {
          run.invalidLive = new ConfigError(command.param, String(command.value), `${command.param}: rejected ${command.value}: ${reason}`);
          run.stopRequested = true;
          run.poke();
        }
        return;
      }
      case 'snapshot':
        if (!this.outputs.chooseImage(command.index)) return;
        if (run) run.poke();
        else this.queue = this.queue.then(() => this.snapshotFinished());
        return;
      case 'export':
        this.outputs.requestExport(command.requestId);
        if (run) run.poke();
        else this.queue = this.queue.then(() => this.outputs.answerFromKept());
        return;
      case 'initial-state': {
        // During a run its backend is up and the state is built beside it; between runs it waits its turn.
        const job = () => this.initialState(command.requestId, command.config, run === null);
        if (run) void job();
        else this.queue = this.queue.then(job);
        return;
      }
      default:
        unreachable(command);
    }
  }

  /** Answers `initial-state`: the run's state before step 1 (src/core/export/pytorch), or why not. */
  private async initialState(requestId: number, config: ExperimentConfig, bringUpBackend: boolean): Promise<void> {
    let teacher: Net | null = null;
    try {
      const c = checkConfig(config);
      if (bringUpBackend) await this.env.initBackend(c.backend, c);
      teacher = await this.env.loadTeacher(c);
      const { train, test } = await this.env.loadData(c);
      const state = await readInitialState(c, teacher, train, test);
      const arrays = [...state.teacher, ...state.student, ...state.heads].map((t) => t.data.buffer as ArrayBuffer);
      this.emit({ type: 'initial-state', runId: null, requestId, state }, [...arrays, state.subset.buffer as ArrayBuffer]);
    } catch (e) {
      this.emit({ type: 'initial-state', runId: null, requestId, state: null, message: describeError(e).message });
    } finally {
      safeDispose(teacher);
    }
  }

  /** Resolves once every started run has ended (tests; a worker never needs to wait). */
  settled(): Promise<void> {
    return this.queue;
  }

  /** Brings up a backend between runs (never during one: the queue waits for it to end). */
  private async init(choice: BackendChoice, config?: ExperimentConfig): Promise<void> {
    try {
      const backend = await this.env.initBackend(choice, config);
      this.emit(readyEvent(null, backend));
    } catch (e) {
      this.emit({ type: 'error', runId: null, ...describeError(e) });
    }
  }

  /** Between runs: a snapshot of the chosen image from the last ended run's nets (nothing without one). */
  private async snapshotFinished(): Promise<void> {
    const f = this.finished;
    if (!f) return;
    try {
      await this.outputs.snapshot(f.runId, f.trainer, f.test);
    } catch (e) {
      // The nets are no longer usable (a lost device): no more snapshots from them.
      this.releaseFinished();
      this.emit({ type: 'error', runId: f.runId, ...describeError(e) });
    }
  }

  private releaseFinished(): void {
    safeDispose(this.finished?.trainer ?? null);
    safeDispose(this.finished?.teacher ?? null);
    this.finished = null;
  }

  private start(runId: number, config: ExperimentConfig): void {
    if (this.current) {
      this.current.stopRequested = true;
      this.current.poke();
    }
    const run = new Run(runId, config);
    this.current = run;
    this.queue = this.queue.then(() => this.execute(run));
  }

  private async execute(run: Run): Promise<void> {
    const { runId } = run;
    const points: MetricsPoint[] = [];
    let trainer: Trainer | null = null;
    // The teacher is disposed when the run ends, even if it arrives after a failed data load.
    const owned = { teacher: null as Net | null, ended: false };
    let keep = false; // the run ended well: its nets stay for snapshots until the next start
    try {
      this.releaseFinished();
      this.outputs.startRun();
      const config = checkConfig(run.config);
      if (run.stopRequested) return this.emitStoppedBeforeStart(run);
      this.emit({ type: 'starting', runId, phase: 'backend' });
      const backend = await this.env.initBackend(config.backend, config);
      const lost = backend.lost;
      const guard = <T>(p: Promise<T>): Promise<T> =>
        lost ? Promise.race([p.catch((e: unknown) => rethrowFault(lost, e)), lost.then((e): never => { throw e; })]) : p;
      this.emit(readyEvent(runId, backend));
      this.emit({ type: 'starting', runId, phase: 'loading' });
      if (config.method === 'hgkd') {
        const imageIndex = () => this.outputs.imageIndex;
        const ctx = { run, config, env: this.env, emit: this.emit, guard, now: this.now, yieldToEvents: this.yieldToEvents, minFlushMs: this.minFlushMs, imageIndex };
        return await runHgkdInWorker(ctx); // its own three-phase loop (src/worker/hgkdRun.ts)
      }

      const teacher = this.env.loadTeacher(config).then((net) => {
        if (owned.ended) net.dispose();
        else owned.teacher = net;
        return net;
      });
      const [net, data] = await guard(Promise.all([teacher, this.env.loadData(config)]));
      trainer = buildTrainer(config, net, data.train, data.test);
      this.emit({ type: 'starting', runId, phase: 'teacher-outputs' });
      const teacherCached = await guard(trainer.prepare());
      const alphaHint = await guard(trainer.suggestAlpha());
      const finalEval = finalEvaluation(config, data.test.count);
      this.emit({ type: 'prepared', runId, alphaHint, teacherCached, testCount: data.test.count, finalEval });
      const outputs = (final = false) => guard(this.outputs.between(runId, trainer!, data.test, final));

      const started = this.now();
      const liveChanges: LiveChange[] = [];
      const recent: number[] = []; // wall ms of the last RATE_WINDOW steps (evaluation included)
      let lastFlush = -Infinity;
      let trainingMs = 0;
      let last: MetricsPoint | null = null;
      let lastTestAcc: number | null = null;

      const flush = (state: RunState) => {
        const ms = recent.reduce((a, b) => a + b, 0);
        this.emit({
          type: 'progress', runId, points: points.splice(0), state,
          step: trainer!.stepCount, steps: config.steps, stepsPerSec: ms > 0 ? (recent.length / ms) * 1000 : 0,
        });
        lastFlush = this.now();
      };

      while (trainer.stepCount < config.steps) {
        await run.whilePaused(() => flush('paused'), () => outputs());
        if (run.stopRequested) break;
        if (run.singleSteps > 0) run.singleSteps--;
        // The config's schedule first, then live changes: a change from the page at the same step wins.
        const due = new Map([...(Object.entries(scheduledLive(config, trainer.stepCount + 1)) as [LiveParam, number][]), ...run.pendingLive]);
        for (const [param, value] of due) {
          if (trainer.settings[param] !== value) liveChanges.push({ step: trainer.stepCount + 1, param, value });
          trainer.setLive({ [param]: value });
        }
        run.pendingLive.clear();

        if (trainer.stepCount === 0) this.emit({ type: 'starting', runId, phase: 'first-step' });
        const t0 = this.now();
        const m = await guard(trainer.step());
        if (m.step % config.eval === 0 && m.step < config.steps) m.testAcc = lastTestAcc = await guard(trainer.evaluate(config.testSize));
        recent.push(this.now() - t0);
        if (recent.length > RATE_WINDOW) recent.shift();
        trainingMs += m.stepMs;
        last = { ...m };
        points.push(last);
        if (this.now() - lastFlush >= this.minFlushMs) flush(run.paused ? 'paused' : 'running');
        await outputs();
        await this.yieldToEvents();
      }
      if (run.invalidLive) throw run.invalidLive;

      let completed = trainer.stepCount >= config.steps && !run.stopRequested;
      if (completed) {
        flush('evaluating'); // the last points go out before the (slow) full evaluation
        await outputs(true);
        const full = await this.evaluateFinal(run, trainer, data.test, finalEval.images, guard);
        if (full === null) completed = false; // stopped during the evaluation
        else lastTestAcc = full;
      } else {
        if (points.length > 0) flush(run.paused ? 'paused' : 'running');
        await outputs(true);
      }
      const summary: RunSummary = {
        reason: completed ? 'completed' : 'stopped',
        steps: trainer.stepCount,
        testAcc: lastTestAcc,
        trainAcc: last?.trainAcc ?? null,
        loss: last?.loss ?? null,
        stepsPerSec: trainingMs > 0 ? (trainer.stepCount / trainingMs) * 1000 : 0,
        seconds: (this.now() - started) / 1000,
        teacherCached,
        alphaHint,
        liveChanges,
        ...(completed && { finalEval }),
      };
      await guard(this.outputs.endRun(runId, trainer, config, lastTestAcc));
      this.emit({ type: 'done', runId, summary });
      keep = owned.teacher !== null && trainer.stepCount > 0; // as for exports: a run that took no step has nothing to show
      if (keep) this.finished = { runId, trainer, teacher: owned.teacher!, test: data.test };
    } catch (e) {
      if (points.length > 0 && trainer) {
        this.emit({ type: 'progress', runId, points, step: trainer.stepCount, steps: run.config.steps, stepsPerSec: 0, state: 'paused' });
      }
      this.emit({ type: 'error', runId, ...describeError(e) });
    } finally {
      owned.ended = true;
      this.outputs.answerFromKept();
      if (!keep) {
        safeDispose(trainer);
        safeDispose(owned.teacher);
      }
      if (this.current === run) this.current = null;
    }
  }

  /**
   * Test accuracy on the first `images` test images (the run's finalEvaluation), in chunks with
   * a yield between them, so a stop (or a newer start) ends it early; null then. The full test
   * set takes minutes on a software GPU.
   */
  private async evaluateFinal(run: Run, trainer: Trainer, test: TestSource, images: number, guard: <T>(p: Promise<T>) => Promise<T>): Promise<number | null> {
    let correct = 0;
    const count = Math.min(images, test.count);
    for (let start = 0; start < count; start += EVAL_CHUNK) {
      await this.yieldToEvents();
      if (run.stopRequested) return null;
      await guard(this.outputs.answerExports(run.runId, trainer));
      const n = Math.min(EVAL_CHUNK, count - start);
      const chunk: TestSource = { count: n, batch: (s, size) => test.batch(start + s, Math.min(size, n - s)) };
      correct += (await guard(evaluateNet(trainer.student, chunk, n))) * n;
    }
    return correct / count;
  }

  /** A run replaced by a newer start before it began: it ends at once, having done nothing. */
  private emitStoppedBeforeStart(run: Run): void {
    const summary: RunSummary = {
      reason: 'stopped', steps: 0, testAcc: null, trainAcc: null, loss: null, stepsPerSec: 0, seconds: 0,
      teacherCached: false, alphaHint: null, liveChanges: [],
    };
    this.emit({ type: 'done', runId: run.runId, summary });
  }
}

/** The config as the worker will run it; the first invalid field is a ConfigError. */
function checkConfig(config: ExperimentConfig): ExperimentConfig {
  const { config: valid, issues } = validateConfig(config);
  const bad = issues.find((i) => i.level === 'error');
  if (bad) throw new ConfigError(bad.field, bad.value, bad.message);
  return valid;
}

function readyEvent(runId: number | null, b: BackendHandle): WorkerEvent {
  return { type: 'ready', runId, backend: b.name, adapter: b.adapter, kernels: b.kernels, timings: b.timings, ...(b.threads ? { threads: b.threads } : {}) };
}

/** Disposal after a failure (a lost device, say) must not hide the failure. */
function safeDispose(x: { dispose(): void } | null): void {
  try {
    x?.dispose();
  } catch {
    // The original error is already reported.
  }
}
