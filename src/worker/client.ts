/**
 * The page's handle on the training worker, and the only code that creates it or posts to it.
 * Methods are the protocol's commands; `subscribe` delivers its events. Events of a run that a
 * newer `start` replaced are dropped here, so listeners only ever see the current run.
 *
 *   const client = new TrainingClient();
 *   const off = client.subscribe((e) => …);
 *   const runId = client.start(config);
 *   client.set('alpha', 1e-3);   // applied at the next step
 *
 * A worker that dies (an uncaught error, or silence while a run is active: ./watchdog) is
 * replaced at once: the run ends with a `worker-lost` error, pending requests are rejected, and
 * a fresh worker gets the last `init` again, so the badge comes back and Train works.
 */
import type { ExperimentConfig } from '../core/config';
import { type BackendChoice, type Command, type DataCommand, type FaultCommand, type FaultKind, type ExportedModel, type InitialState, type LiveParam, type StoredTeacher, type WorkerEvent, isWorkerEvent } from './protocol';
import { WATCHDOG_MS, Watchdog } from './watchdog';

export type EventListener = (event: WorkerEvent) => void;

/** What the client needs of a Worker (a fake in unit tests). */
export type WorkerPort = Pick<Worker, 'postMessage' | 'terminate' | 'onmessage' | 'onerror' | 'onmessageerror'>;

export function createTrainingWorker(): WorkerPort {
  return new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'distill-trainer' });
}

export class TrainingClient {
  private worker: WorkerPort | null = null;
  private readonly listeners = new Set<EventListener>();
  private runId = 0; // of the latest start; 0 = none yet
  private requestId = 0;
  /** Requests awaiting their answer event (exported, initial-state, stored-teacher), by requestId. */
  private readonly pending = new Map<number, { resolve: (value: never) => void; reject: (e: Error) => void }>();
  private running = false; // a run is between its start and its done/error
  private lastInit: Extract<Command, { type: 'init' }> | null = null; // sent again to a replacement worker
  /** Tests shorten `watchdog.ms`. */
  readonly watchdog = new Watchdog(WATCHDOG_MS, (ms) =>
    this.lose(`the training worker stopped answering (no word from it in ${Math.round(ms / 1000)} s while the run was active: the browser may have stopped it, e.g. out of memory)`),
  );

  constructor(private readonly createWorker: () => WorkerPort = createTrainingWorker) {}

  /** Run id of the latest `start` (0 before the first). */
  get currentRunId(): number {
    return this.runId;
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** `config`: the page's, so that auto's probe times the student a Train will use. */
  init(backend: BackendChoice, config?: ExperimentConfig): void {
    this.lastInit = { type: 'init', backend, ...(config && { config }) };
    this.send(this.lastInit);
  }

  /** Starts a run with `config`; returns its id (events of older runs are dropped from now on). */
  start(config: ExperimentConfig): number {
    this.runId++;
    this.send({ type: 'start', runId: this.runId, config });
    this.running = true;
    this.watchdog.arm();
    return this.runId;
  }

  pause(): void {
    this.send({ type: 'pause' });
  }

  resume(): void {
    this.send({ type: 'resume' });
    if (this.running) this.watchdog.arm();
  }

  step(): void {
    this.send({ type: 'step' });
    if (this.running) this.watchdog.arm(); // a paused run answers a step with a progress event
  }

  stop(): void {
    this.send({ type: 'stop' });
  }

  /** A live setting for the current run. The worker checks only that it is computable. */
  set(param: LiveParam, value: number): void {
    this.send({ type: 'set', param, value });
  }

  /** Picks the test image of feature snapshots (this run and later ones). */
  snapshot(index: number): void {
    this.send({ type: 'snapshot', index });
  }

  /** The student's weights (the running run's, else the last finished run's); rejects with the worker's reason. */
  exportStudent(): Promise<ExportedModel & { step: number }> {
    return this.request((requestId) => ({ type: 'export', requestId }));
  }

  /** "Open in PyTorch": the initial state of a run of `config`; rejects with the worker's reason (e.g. method=hgkd). */
  initialState(config: ExperimentConfig): Promise<InitialState> {
    return this.request((requestId) => ({ type: 'initial-state', requestId, config }));
  }

  /** A teacher trained in the page (its teacherKey), as stored; rejects with the worker's reason (none under that key). */
  storedTeacher(key: string): Promise<StoredTeacher> {
    return this.request((requestId) => ({ type: 'stored-teacher', requestId, key }));
  }

  private request<T>(command: (requestId: number) => Command): Promise<T> {
    const requestId = ++this.requestId;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(requestId, { resolve: resolve as (value: never) => void, reject });
      this.send(command(requestId));
    });
  }

  /** A command about loaded datasets or their teachers (answered by events with runId null). */
  data(command: DataCommand): void {
    this.send(command);
  }

  /** Dev/test builds: makes the worker inject a GPU fault into its backend (e2e/faults.spec.ts). */
  injectFault(fault: FaultKind): void {
    const command: FaultCommand = { type: 'fault', fault };
    this.ensureWorker().postMessage(command);
  }

  /** Dev/test builds: ends the worker without telling it or the page, as the browser's out-of-memory kill does; only the watchdog can notice. */
  killWorker(): void {
    this.worker?.terminate();
  }

  /** Terminates the worker; a later command starts a new one. */
  dispose(): void {
    this.watchdog.disarm();
    this.worker?.terminate();
    this.worker = null;
  }

  private send(command: Command): void {
    this.ensureWorker().postMessage(command);
  }

  private ensureWorker(): WorkerPort {
    if (this.worker) return this.worker;
    const worker = this.createWorker();
    worker.onmessage = (e: MessageEvent<unknown>) => {
      if (isWorkerEvent(e.data)) this.deliver(e.data);
      else this.fail(`the worker sent a message that is not an event: ${String((e.data as { type?: unknown })?.type)}`);
    };
    worker.onmessageerror = () => this.fail('a message from the worker could not be read');
    // An uncaught error (the script failed to load, a wasm abort): the worker may be broken, so
    // it is dropped; the next command (a new start brings up its backend) makes a fresh one.
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.lose(`the training worker crashed: ${e.message || 'it failed to load'}`);
    };
    this.worker = worker;
    return worker;
  }

  private fail(message: string, kind: 'internal' | 'worker-lost' = 'internal'): void {
    for (const { reject } of this.pending.values()) reject(new Error(message));
    this.pending.clear();
    this.deliver({ type: 'error', runId: this.running ? this.runId : null, kind, message }); // null: no run was active
  }

  /** The worker is dead: drop it, end the run, and bring up a fresh one as the page had it. */
  private lose(cause: string): void {
    this.dispose();
    this.fail(`${cause}. A fresh worker has started; the run's points so far are kept.`, 'worker-lost');
    if (this.lastInit) this.send(this.lastInit);
  }

  private deliver(event: WorkerEvent): void {
    if (event.type === 'exported') return this.answer(event.requestId, event.model && { ...event.model, step: event.step }, event.message ?? 'the worker had no student to export');
    if (event.type === 'initial-state') return this.answer(event.requestId, event.state, event.message ?? 'the worker could not build the initial state');
    if (event.type === 'stored-teacher') return this.answer(event.requestId, event.teacher, event.message ?? 'no such teacher is stored');
    if (event.runId !== null && event.runId !== this.runId) return; // a replaced run
    this.watch(event);
    for (const listener of this.listeners) listener(event);
  }

  /** Keeps the watchdog armed while the current run is active and not paused. */
  private watch(event: WorkerEvent): void {
    if (event.runId === null) return; // not about a run
    if (event.type === 'done' || event.type === 'error') {
      this.running = false;
      this.watchdog.disarm();
    } else if (event.type === 'progress' && event.state === 'paused') {
      this.watchdog.disarm();
    } else {
      this.watchdog.arm();
    }
  }

  /** Settles request `requestId` with `value`, or rejects it with `message` when the worker had none. */
  private answer(requestId: number, value: unknown, message: string): void {
    const request = this.pending.get(requestId);
    if (!request) return;
    this.pending.delete(requestId);
    if (value !== null) request.resolve(value as never);
    else request.reject(new Error(message));
  }
}
