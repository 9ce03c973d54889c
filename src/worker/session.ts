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
 * The session manages runs' lives only: commands change the run's control (./runControl), and
 * each method's worker run (./distillRun for the MGD family, ./hgkdRun for H-GKD) steps through
 * the one run loop (src/core/loop) with the session's clock, message yield, device-loss guard
 * and progress interval (./workerLoop).
 */
import type { ExperimentConfig } from '../core/config';
import { ConfigError, validateConfig } from '../core/config';
import { type MethodPipeline, methodOf } from '../core/methods';
import type { Net } from '../core/models/net';
import { readInitialState } from '../core/export/pytorch/initialState';
import type { StepMetrics } from '../core/train/trainer';
import type { RunData } from '../core/loop/sources';
import type { Vit } from '../core/hgkd/vit';
import { type KeptNets, runDistillInWorker, safeDispose } from './distillRun';
import { describeError, faultGuard } from './errors';
import { runHgkdInWorker } from './hgkdRun';
import type { DataService } from './dataService';
import { TeacherJob, type TeacherPort, trainTeacherInWorker } from './teacherRun';
import { RunControl } from './runControl';
import { type Emit, StudentOutputs } from './studentOutputs';
import type { WasmThreads } from './wasmThreads';
import type { WorkerLoop } from './workerLoop';
import {
  type AdapterInfo,
  type BackendChoice,
  type BackendName,
  type BackendTiming,
  type Command,
  type KernelPath,
  type MetricsPoint,
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
  loadData(config: ExperimentConfig): Promise<RunData>;
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

/** A run that ended (completed or stopped) with its nets still alive: feature snapshots of another image after it. */
interface FinishedRun extends KeptNets {
  runId: number;
}

export class Session {
  private current: RunControl | null = null;
  private finished: FinishedRun | null = null; // kept until the next start
  private queue: Promise<void> = Promise.resolve();
  private readonly minFlushMs: number;
  private readonly yieldToEvents: () => Promise<void>;
  private readonly now: () => number;
  private readonly outputs: StudentOutputs;
  private teacherJob: TeacherJob | null = null;

  constructor(
    private readonly env: RunEnvironment,
    private readonly emit: Emit,
    options: SessionOptions = {},
    /** Loaded datasets and teacher training (the browser worker's; absent in most tests). */
    private readonly data?: Pick<DataService, 'handle' | 'sendTeacher'>,
    private readonly teachers?: TeacherPort,
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
        run?.pause();
        return;
      case 'resume':
        run?.resume();
        return;
      case 'step':
        run?.step();
        return;
      case 'stop':
        run?.stop();
        return;
      case 'set':
        run?.set(command.param, command.value);
        return;
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
      case 'stored-teacher':
        if (this.data) void this.data.sendTeacher(command.requestId, command.key);
        else this.emit({ type: 'stored-teacher', runId: null, requestId: command.requestId, teacher: null, message: 'this worker has no dataset store' });
        return;
      case 'import-data':
      case 'cancel-import':
      case 'list-datasets':
      case 'delete-dataset':
        // Beside runs: reading and decoding files uses no tfjs.
        if (this.data) void this.data.handle(command);
        else this.emit({ type: 'datasets', runId: null, datasets: [], builtinTeachers: {}, notice: 'this worker has no dataset store' });
        return;
      case 'train-teacher': {
        // Never beside a run: it needs the backend to itself, so it waits its turn like one.
        const job = new TeacherJob();
        this.teacherJob = job;
        this.queue = this.queue.then(() => this.trainTeacher(command.config, job));
        return;
      }
      case 'pause-teacher':
        this.teacherJob?.pause();
        return;
      case 'resume-teacher':
        this.teacherJob?.resume();
        return;
      case 'stop-teacher':
        this.teacherJob?.stop();
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

  private async trainTeacher(config: ExperimentConfig, job: TeacherJob): Promise<void> {
    const teacherPort = this.teachers;
    if (!teacherPort) {
      this.emit({ type: 'teacher-done', runId: null, dataset: config.dataset, teacher: config.teacher, reason: 'failed', info: null, message: 'this worker cannot train teachers' });
      return;
    }
    await trainTeacherInWorker({ config, port: teacherPort, emit: this.emit, now: this.now, yieldToEvents: this.yieldToEvents, job });
    if (this.teacherJob === job) this.teacherJob = null;
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
    this.current?.stop();
    const run = new RunControl(runId, config);
    this.current = run;
    this.queue = this.queue.then(() => this.execute(run));
  }

  /** One run's life: its config checked, its backend up, then its method's worker run; every failure an `error`. */
  private async execute(run: RunControl): Promise<void> {
    const { runId } = run;
    try {
      this.releaseFinished();
      this.outputs.startRun();
      const config = checkConfig(run.config);
      if (run.stopRequested) return this.emitStoppedBeforeStart(run, config);
      this.emit({ type: 'starting', runId, phase: 'backend' });
      const backend = await this.env.initBackend(config.backend, config);
      const guard = faultGuard(backend.lost);
      this.emit(readyEvent(runId, backend));
      this.emit({ type: 'starting', runId, phase: 'loading' });
      const loop: WorkerLoop = { control: run, emit: this.emit, guard, now: this.now, yieldToEvents: this.yieldToEvents, minFlushMs: this.minFlushMs };
      // The worker run of the pipeline the method declares (core/methods); only Distiller runs keep nets for export.
      const pipelines: Record<MethodPipeline, () => Promise<KeptNets | null | void>> = {
        distill: () => runDistillInWorker({ ...loop, config, env: this.env, outputs: this.outputs }),
        hgkd: () => runHgkdInWorker({ ...loop, config, env: this.env, imageIndex: () => this.outputs.imageIndex }),
      };
      const kept = await pipelines[methodOf(config.method).pipeline]();
      if (kept) this.finished = { runId, ...kept };
    } catch (e) {
      this.emit({ type: 'error', runId, ...describeError(e) });
    } finally {
      this.outputs.answerFromKept();
      if (this.current === run) this.current = null;
    }
  }

  /** A run replaced by a newer start before it began: it ends at once, having done nothing. */
  private emitStoppedBeforeStart(run: RunControl, config: ExperimentConfig): void {
    const base = { reason: 'stopped' as const, steps: 0, testAcc: null, trainAcc: null, stepsPerSec: 0, seconds: 0, liveChanges: [] };
    const hgkd = { mode: config.ftMode, distillSteps: 0, finetuneSteps: 0, scratchSteps: 0, finetuneAcc: null, scratchAcc: null, distillLoss: null, mse: null };
    const summary: RunSummary =
      methodOf(config.method).pipeline === 'hgkd'
        ? { ...base, pipeline: 'hgkd', hgkd }
        : { ...base, pipeline: 'distill', loss: null, teacherCached: false, alphaHint: null };
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
