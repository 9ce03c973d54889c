/**
 * The app store's shape: three slices (experiment, run, ui) in one zustand store, and the
 * ports it talks through, so tests can build a store with a fake client and URL.
 */
import type { StateCreator } from 'zustand';
import type { RunRepository } from '../persist/runRepository';
import type { RunsSlice } from './runsSlice';
import type { HgkdSlice } from './hgkdSlice';
import type { DataSlice } from './dataSlice';
import type { FeatureSnapshot } from '../../core/distill/featureSnapshot';
import type { ConfigIssue, ExperimentConfig, FieldKey, PresetId } from '../../core/config';
import type { AdapterInfo, BackendChoice, DataCommand, BackendName, BackendTiming, ErrorKind, ExportedModel, FinalEvaluation, HgkdPhase, InitialState, KernelPath, LiveParam, MetricsPoint, RunSummary, StartPhase, StoredTeacher, WasmThreads, WorkerEvent } from '../../worker/protocol';

/** An exported student and the step it was taken after. */
export interface ExportedStudent extends ExportedModel {
  step: number;
}

/** What the store needs of the worker client (TrainingClient, or a fake). */
export interface RunClient {
  init(backend: BackendChoice, config?: ExperimentConfig): void;
  start(config: ExperimentConfig): number;
  pause(): void;
  resume(): void;
  step(): void;
  stop(): void;
  set(param: LiveParam, value: number): void;
  /** Picks the test image of feature snapshots. */
  snapshot(index: number): void;
  /** The student's weights: the running run's, else the last finished run's; rejects naming why not. */
  exportStudent(): Promise<ExportedStudent>;
  /** "Open in PyTorch": a run's state before step 1 (built by the worker); rejects naming why not. */
  initialState(config: ExperimentConfig): Promise<InitialState>;
  /** A teacher trained in the page, by its teacherKey (for its export); rejects naming why not. */
  storedTeacher(key: string): Promise<StoredTeacher>;
  /** Loaded datasets and their teachers: import, list, delete, train / stop a teacher. */
  data(command: DataCommand): void;
  subscribe(listener: (event: WorkerEvent) => void): () => void;
}

/** The page URL: read at start, rewritten on every config change. */
export interface UrlPort {
  read(): string;
  write(query: string): void;
  /** Calls `changed` when the URL changes without a reload (a hash link, back/forward); returns the unsubscribe. */
  listen?(changed: () => void): () => void;
}

export interface AppDeps {
  client: RunClient;
  url: UrlPort;
  /** Where ended runs are kept (IndexedDB in the page); in memory when not given. */
  runs?: RunRepository;
}

export interface ExperimentSlice {
  config: ExperimentConfig;
  /** Values of the URL that were rejected at load (each names its field). */
  urlIssues: ConfigIssue[];
  /** Form entries that were not accepted, by field; the config keeps its last valid value. */
  fieldErrors: Partial<Record<FieldKey, string>>;
  /** A form edit: text (or a flag's boolean) checked against the field's row. */
  setField(key: FieldKey, input: string | boolean): void;
  applyPreset(id: PresetId): void;
  /** A link opened without a reload: its config replaces the form's (its issues shown), unless a run is active. */
  openLink(url: string): void;
}

export type RunStatus = 'idle' | 'starting' | 'running' | 'paused' | 'evaluating' | 'done' | 'failed';

export interface RunError {
  kind: ErrorKind | 'internal';
  message: string;
  field?: string;
}

export interface RunSlice {
  status: RunStatus;
  /** A command sent but not yet confirmed by the worker (buttons show it). */
  pending: 'pause' | 'resume' | 'stop' | null;
  backend: { name: BackendName; adapter: AdapterInfo | null; kernels: KernelPath; timings: BackendTiming[]; threads?: WasmThreads | null } | null;
  step: number;
  steps: number;
  stepsPerSec: number;
  /** Points of the current run, thinned to a bounded count for the charts. */
  points: MetricsPoint[];
  summary: RunSummary | null;
  error: RunError | null;
  /** The config the latest run started with (the form's α, λ may move on during it); null before any run. */
  runConfig: ExperimentConfig | null;
  /** What the run does before its first step ends (the worker's `starting` events). */
  startPhase: StartPhase;
  /** What the run's final accuracy is measured on (its `prepared` event); null before. */
  finalEval: FinalEvaluation | null;
  /** method=hgkd: the phase `step`/`steps` count in (null otherwise, and for the closing event). */
  phase: HgkdPhase | null;
  train(): void;
  pause(): void;
  resume(): void;
  stepOnce(): void;
  stop(): void;
  /** A live α / λ change for the active run (the form calls it after validating). */
  sendLive(param: LiveParam, value: number): void;
  receive(event: WorkerEvent): void;
  dismissError(): void;
  /** α that makes the feature term equal the task loss at init (the run's `prepared`); null: unknown or no feature term. */
  alphaHint: number | null;
  /** Test-set size of the latest run: the range of the snapshot image. */
  testCount: number | null;
  /** The run's latest feature snapshot and the step it was taken after. */
  features: { step: number; snapshot: FeatureSnapshot } | null;
  /** Test image of the feature snapshots. */
  snapshotIndex: number;
  chooseImage(index: number): void;
  exportStudent(): Promise<ExportedStudent>;
  initialState(config: ExperimentConfig): Promise<InitialState>;
  storedTeacher(key: string): Promise<StoredTeacher>;
}

export interface UiSlice {
  issuesDismissed: boolean;
  dismissIssues(): void;
}

export type AppState = ExperimentSlice & RunSlice & UiSlice & RunsSlice & HgkdSlice & DataSlice;

export type Slice<T> = StateCreator<AppState, [], [], T>;

/** A run is active from Train until done or failed: settings other than α, λ are locked. */
export const isActive = (s: RunStatus): boolean => s === 'starting' || s === 'running' || s === 'paused' || s === 'evaluating';
