/**
 * The one message protocol between the page and the training worker. Both sides import these
 * types and switch over `type` exhaustively (a `never` default), so adding a message is a
 * compile error until both sides handle it.
 *
 *   page ──Command──▶ worker      init · start · pause · resume · step · stop · set · snapshot · export · initial-state · stored-teacher
 *                                 import-data · cancel-import · list-datasets · delete-dataset · train-teacher · pause-teacher · resume-teacher · stop-teacher
 *   page ◀──WorkerEvent── worker  ready · starting · prepared · progress · features · hgkd-snapshot · done · exported · initial-state · stored-teacher · error
 *                                 import-progress · imported · datasets · teacher-progress · teacher-done
 *
 * Every event of a run carries the `runId` its `start` gave, so the page can drop late events
 * of a run it has already replaced. Payloads are plain data (structured-clone safe) and this
 * module imports nothing at run time, so the UI can use it without pulling in tfjs.
 */
import type { ExperimentConfig } from '../core/config';
import type { FeatureSnapshot } from '../core/distill/featureSnapshot';
import type { NetModelJson } from '../core/models/serialize';
import type { HgkdStepMetrics } from '../core/hgkd/hgkdTrainer';
import type { FinetuneMode, FinetuneStepMetrics } from '../core/hgkd/finetune';
import type { HgkdSnapshot } from '../core/hgkd/snapshot';
import type { HgkdPhase } from '../core/train/experiment';
import type { FinalEvaluation } from '../core/loop/finalEvalPolicy';
import type { InitialState } from '../core/export/pytorch/project';
/** Where the custom kernels (masked / sparse conv, sparse BN) run: their WGSL passes, or plain tfjs ops. */
import type { KernelPath } from '../core/kernels';
import type { WasmThreads } from './wasmThreads';
import type { ImportManifest, Side } from '../core/data/import/pipeline';
import type { BuiltinTeachers, StoredDataset, StoredTeacher, TeacherInfo } from './datasetStore';
export type { BuiltinTeachers, ImportManifest, StoredDataset, StoredTeacher, TeacherInfo };
export type { WasmThreads };

export type { KernelPath, InitialState };

/** tfjs backends the worker can run on. */
export type BackendName = 'webgpu' | 'wasm' | 'webgl' | 'cpu';
/** What a config asks for: a backend, or `auto` (webgpu if an adapter exists, else wasm, webgl, cpu). */
export type BackendChoice = ExperimentConfig['backend'];

/** The WebGPU adapter the worker got (`adapter.info`); null on other backends. */
export interface AdapterInfo {
  vendor: string; // e.g. "nvidia", "google"
  architecture: string; // e.g. "ampere", "swiftshader"
  isFallback: boolean; // a software adapter (SwiftShader): real WebGPU, CPU speed
}

/** One backend's cost in `auto`'s probe: ms per warm training step, or why it was not timed. */
export type BackendTiming = { backend: BackendName; msPerStep: number } | { backend: BackendName; skipped: string };

/** Settings that may change while a run is going; applied at the next step. */
export type LiveParam = 'alpha' | 'lambda';

// ---------------------------------------------------------------------------------------------
// Page → worker
// ---------------------------------------------------------------------------------------------

export type Command =
  /**
   * Starts a backend ahead of any run (the page sends it at load and when the backend field
   * changes), so the badge shows what Train will use; answered by `ready` with runId null.
   */
  | { type: 'init'; backend: BackendChoice; config?: ExperimentConfig } // config: the page's, whose student auto times
  /** Starts a run (stopping any run in progress). `runId` is echoed on the run's events. */
  | { type: 'start'; runId: number; config: ExperimentConfig }
  | { type: 'pause' }
  | { type: 'resume' }
  /** Runs exactly one step, then stays paused (pauses a running run first). */
  | { type: 'step' }
  /** Ends the run after the step in flight; a `done` with reason `stopped` follows. */
  | { type: 'stop' }
  | { type: 'set'; param: LiveParam; value: number }
  /**
   * The test image of feature snapshots from now on (this run and later ones; clamped to the
   * test set). A `features` event of it follows: during a run between steps, paused or not;
   * between runs from the nets of the last run that ended well (kept until the next start),
   * nothing when there is none (before any run, after a failed one, after H-GKD).
   */
  | { type: 'snapshot'; index: number }
  /**
   * The student's weights: the current run's (between steps), else the last finished run's.
   * Answered by `exported` with the same `requestId`.
   */
  | { type: 'export'; requestId: number }
  /**
   * "Open in PyTorch": the initial state of a run of `config` (teacher, the seed's student and
   * head weights, the train subset), built without taking a step, also during a run. Answered by
   * `initial-state` with the same `requestId`.
   */
  | { type: 'initial-state'; requestId: number; config: ExperimentConfig }
  /** A teacher trained in the page, by its teacherKey (to export it): answered by `stored-teacher` with the same `requestId`. */
  | { type: 'stored-teacher'; requestId: number; key: string }
  /**
   * "Load data": the picked or dropped files (Files are sent as they are: the worker reads,
   * unpacks and decodes them), with the side and channels to bring images to. Answered by
   * `import-progress` events, then one `imported`, then `datasets`.
   */
  | { type: 'import-data'; requestId: number; name: string; files: ImportUpload[]; side: Side; channels: 1 | 3 }
  /** Answered by `datasets` (the worker also sends it after every change). */
  | { type: 'list-datasets' }
  /** Ends import `requestId` at its next progress point (before it stores anything): `imported` with `cancelled`. */
  | { type: 'cancel-import'; requestId: number }
  /** Deletes a loaded dataset (`import-<12 hex>`) and its teachers; `datasets` follows. */
  | { type: 'delete-dataset'; id: string }
  /**
   * Trains config.teacher on config.dataset with the shipped teacher recipe (between runs, on
   * config.backend), stores it, then `teacher-done` and `datasets`; `teacher-progress` on the way.
   */
  | { type: 'train-teacher'; config: ExperimentConfig }
  /** Holds a teacher's training at its next progress point (a `teacher-progress` with `paused` says when), until resume or stop. */
  | { type: 'pause-teacher' }
  | { type: 'resume-teacher' }
  /** Ends a teacher's training after its current step: `teacher-done` with reason `stopped`, nothing stored. */
  | { type: 'stop-teacher' };

/** The commands about loaded datasets and their teachers (not about a run). */
export type DataCommand = Extract<Command, { type: 'import-data' | 'cancel-import' | 'list-datasets' | 'delete-dataset' | 'train-teacher' | 'pause-teacher' | 'resume-teacher' | 'stop-teacher' }>;
/** The events they are answered with. */
export type DataEvent = Extract<WorkerEvent, { type: 'import-progress' | 'imported' | 'datasets' | 'teacher-progress' | 'teacher-done' }>;

/** One picked file: its path inside the picked folder (or its name), and its contents. */
export interface ImportUpload {
  path: string;
  file: Blob;
}

/** What an import did: the dataset as the config names it, and whether it outlives the page. */
export interface ImportReport {
  ref: string; // the dataset field's text (import-<12 hex>:…)
  manifest: ImportManifest; // counts per class and split, skips and why, normalisation
  stored: boolean;
  notice: string | null; // why it is not stored (kept for this page only)
  seconds: number;
}

export type ImportStage = 'reading' | 'decoding' | 'storing';

export type CommandType = Command['type'];

// ---------------------------------------------------------------------------------------------
// Worker → page
// ---------------------------------------------------------------------------------------------

/** One training step's metrics (the trainer's StepMetrics, as plain numbers). */
export interface MetricsPoint {
  step: number; // 1-based
  loss: number; // task + distill
  taskLoss: number; // cross-entropy
  distillLoss: number; // α·feature term + kdW·KD term
  featureLoss: number; // unweighted MGD / mimic term
  difference: number; // Σ(align(S) − T)²/N over the hooked stages
  batchAcc: number;
  trainAcc: number; // running mean over recent batches
  alpha: number; // α used by this step
  lambda: number; // λ used by this step
  stepMs: number;
  testAcc?: number; // set on evaluation steps
}

export type { FinalEvaluation, HgkdPhase, HgkdSnapshot };

/**
 * One step of an H-GKD run (method=hgkd), tagged with its phase: distillation (MSE, similarity
 * loss, Pearson r, queue fill), then the labelled fine-tune of the distilled backbone and the
 * scratch baseline (cross-entropy, batch accuracy, test accuracy on evaluation steps).
 */
export type HgkdPoint = ({ phase: 'distill' } & HgkdStepMetrics) | ({ phase: 'finetune' | 'scratch' } & FinetuneStepMetrics);

/** An H-GKD run's outcome: the distilled-then-fine-tuned student against the scratch baseline. */
export interface HgkdSummary {
  mode: FinetuneMode;
  distillLoss: number | null; // last distillation step: mseW·mse (+ simW·simLoss)
  mse: number | null; // last distillation step: student vs the teacher's embeddings
  distillSteps: number;
  finetuneSteps: number;
  scratchSteps: number;
  finetuneAcc: number | null; // full test set; null if stopped before its evaluation
  scratchAcc: number | null;
}

/** A live change as applied: the first step that used it. */
export interface LiveChange {
  step: number;
  param: LiveParam;
  value: number;
}

/** `evaluating`: every step is done; the final evaluation (the summary's finalEval) is under way. */
export type RunState = 'running' | 'paused' | 'evaluating';

/** What every run's summary says, whatever its method. */
interface SummaryBase {
  reason: 'completed' | 'stopped';
  steps: number; // steps taken (H-GKD: distillation steps)
  /** The run's classifier (H-GKD: the distilled, fine-tuned student). completed: on `finalEval`'s images; stopped: the last periodic evaluation. */
  testAcc: number | null;
  trainAcc: number | null; // that classifier's (MGD family: running mean over recent batches; H-GKD: last fine-tune batch)
  stepsPerSec: number; // training steps per second of training time (pauses excluded)
  seconds: number; // wall time from start to done, pauses included
  liveChanges: LiveChange[];
  /** What a final accuracy was measured on (absent: no final evaluation ran, e.g. stopped before it). */
  finalEval?: FinalEvaluation;
}

/** A run's outcome, by the pipeline its method declares (core/methods): each field means one thing. */
export type RunSummary =
  | (SummaryBase & {
      pipeline: 'distill';
      loss: number | null; // last step: task + distill
      teacherCached: boolean; // teacher outputs kept for the train subset (each from its first batch on)
      alphaHint: number | null; // α that balances the feature term with CE at init (null: no feature term)
    })
  | (SummaryBase & { pipeline: 'hgkd'; hgkd: HgkdSummary });

/** A progress event's steps, by pipeline: the MGD family's points, or one H-GKD phase's. */
export type ProgressPoints =
  | { pipeline: 'distill'; points: MetricsPoint[] }
  /** step/steps count within the phase; phase null: the closing event after the last phase (no points). */
  | { pipeline: 'hgkd'; phase: HgkdPhase | null; points: HgkdPoint[] };

/**
 * What a started run is doing before its first step ends (the page's status line):
 * backend — bringing the backend up (auto: timing the candidates); loading — data and teacher;
 * teacher-outputs — the teacher's outputs for the train subset, and the α helper's batch
 * (the teacher's first passes: GPU shader compiles); first-step — the student's first step
 * (its GPU shaders compile here).
 */
export type StartPhase = 'backend' | 'loading' | 'teacher-outputs' | 'first-step';

export type ErrorKind =
  | 'config' // the config or a live value is invalid (names the field)
  | 'data' // a data or teacher file is missing or corrupt
  | 'backend' // the requested backend cannot start here
  | 'nan' // the loss became NaN or infinite
  | 'device-lost' // the GPU device was lost (driver reset, tab in background too long, …)
  | 'oom' // out of memory (GPU buffers or wasm heap)
  | 'gpu-read' // reading a result back from the GPU was aborted (mapAsync AbortError)
  | 'worker-lost' // the worker crashed, was killed (out of memory) or stopped answering; the page started a fresh one
  | 'internal'; // anything else: a bug

export type WorkerEvent =
  /** A backend is up: for run `runId` (sent at every start), or for an `init` (runId null). */
  | {
      type: 'ready'; runId: number | null; backend: BackendName; adapter: AdapterInfo | null;
      kernels: KernelPath; // which path the custom kernels take on this backend
      timings: BackendTiming[]; // auto's probe, fastest first; [] for a forced backend
      threads?: WasmThreads | null; // wasm: its thread count and what limits it; absent/null elsewhere
    }
  /** A run's progress before its first step has ended (sent at each start phase). */
  | { type: 'starting'; runId: number; phase: StartPhase }
  /** Steps since the last progress event, at most ~20 events per second. */
  | ({ type: 'progress'; runId: number; step: number; steps: number; stepsPerSec: number; state: RunState } & ProgressPoints)
  /**
   * The run's trainer is built, before its first step: the α helper (α that makes the feature
   * term equal the task loss at init; null without a feature term), the test-set size and
   * what the final evaluation will measure on (finalEvaluation of the config).
   */
  | { type: 'prepared'; runId: number; alphaHint: number | null; teacherCached: boolean; testCount: number; finalEval: FinalEvaluation }
  /**
   * Feature maps of one test image after `step` steps: every ~1.5 s of training, on a
   * `snapshot` command (also after the run has ended) and after the last step. Its
   * Float32Arrays are transferred, not copied.
   */
  | { type: 'features'; runId: number; step: number; snapshot: FeatureSnapshot }
  /**
   * method=hgkd: the mask view and queue inspector's data after distillation step `step`, at
   * most every ~2 s of distillation and after its last step; arrays transferred.
   */
  | { type: 'hgkd-snapshot'; runId: number; step: number; snapshot: HgkdSnapshot }
  /**
   * Answer to `export`: the student in the engine's format (model.json + weights.bin; the
   * weights transferred), or null with the reason (no run has trained a student yet).
   */
  | { type: 'exported'; runId: number | null; requestId: number; step: number; model: ExportedModel | null; message?: string }
  /** Answer to `initial-state`: the state (arrays transferred), or null with the reason (e.g. method=hgkd). */
  | { type: 'initial-state'; runId: null; requestId: number; state: InitialState | null; message?: string }
  /** The stored teacher asked for (its weights transferred), or null with the reason. */
  | { type: 'stored-teacher'; runId: null; requestId: number; teacher: StoredTeacher | null; message?: string }
  | { type: 'done'; runId: number; summary: RunSummary }
  /** The run `runId` (null: an `init` or a stray message) has ended; the worker takes a new `start`. */
  | { type: 'error'; runId: number | null; kind: ErrorKind; message: string; field?: string }
  /** An import's progress: `done` of `total` files read, or source items decoded. */
  | { type: 'import-progress'; runId: null; requestId: number; stage: ImportStage; done: number; total: number }
  /** An import ended: its report, or null with the reason (nothing was stored). */
  | { type: 'imported'; runId: null; requestId: number; report: ImportReport | null; message?: string; cancelled?: true }
  /**
   * The loaded datasets with their teachers, and the teachers trained in the page on the built-in
   * datasets; `notice`: why they are not stored, or that some records were damaged.
   */
  | { type: 'datasets'; runId: null; datasets: StoredDataset[]; builtinTeachers: BuiltinTeachers; notice: string | null }
  /** A teacher's training: every few steps, with the test accuracy on a test sample as it goes. */
  /** seconds: of training, pauses excluded; paused: held at this step (pause-teacher) until resume-teacher. */
  | { type: 'teacher-progress'; runId: null; dataset: string; teacher: string; step: number; steps: number; loss: number; testAcc: number | null; seconds: number; paused: boolean }
  /** A teacher's training ended: its manifest when completed (and stored), else why not. */
  | { type: 'teacher-done'; runId: null; dataset: string; teacher: string; reason: 'completed' | 'stopped' | 'failed'; info: TeacherInfo | null; message?: string };

export type WorkerEventType = WorkerEvent['type'];

/** A student as exported: the engine's model.json and its weights.bin (paths[0] in the manifest). */
export interface ExportedModel {
  modelJson: NetModelJson;
  weights: ArrayBuffer;
}

/** Exhaustiveness helper for `switch` defaults on both sides. */
export function unreachable(x: never): never {
  throw new Error(`unhandled message ${JSON.stringify(x)}`);
}

/** Commands and events are plain objects with a known `type`: a cheap guard for incoming data. */
const COMMAND_TYPES: ReadonlySet<string> = new Set<CommandType>([
  'init', 'start', 'pause', 'resume', 'step', 'stop', 'set', 'snapshot', 'export', 'initial-state', 'stored-teacher',
  'import-data', 'cancel-import', 'list-datasets', 'delete-dataset', 'train-teacher', 'pause-teacher', 'resume-teacher', 'stop-teacher',
]);
const EVENT_TYPES: ReadonlySet<string> = new Set<WorkerEventType>([
  'ready', 'starting', 'prepared', 'progress', 'features', 'hgkd-snapshot', 'done', 'exported', 'initial-state', 'stored-teacher', 'error',
  'import-progress', 'imported', 'datasets', 'teacher-progress', 'teacher-done',
]);

function hasType(data: unknown, types: ReadonlySet<string>): boolean {
  return typeof data === 'object' && data !== null && types.has((data as { type?: unknown }).type as string);
}

export const isCommand = (data: unknown): data is Command => hasType(data, COMMAND_TYPES);
export const isWorkerEvent = (data: unknown): data is WorkerEvent => hasType(data, EVENT_TYPES);

/** Dev/test builds only (the worker ignores it otherwise): a fault the worker injects into itself (GPU faults, or an uncaught error). */
export type FaultKind = 'device-lost' | 'map-abort' | 'oom' | 'crash';
export type FaultCommand = { type: 'fault'; fault: FaultKind };
export const isFaultCommand = (data: unknown): data is FaultCommand => hasType(data, new Set(['fault']));
