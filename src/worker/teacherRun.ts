/**
 * "Train teacher" in the worker: the shipped teacher recipe (src/core/train/teacherRecipe.ts,
 * the runner's very code: same data order, seed and steps, so the same key gives the same
 * weights on the same backend) for the config's teacher where none is shipped (any teacher of a
 * loaded dataset; a spec on a built-in one), with progress,
 * a test accuracy on a test sample as it goes, and a stop between steps. The trained teacher is
 * stored under teacherKey with its manifest and then serves runs like a shipped one.
 */
import type { ExperimentConfig } from '../core/config';
import { isShippedTeacher } from '../core/train/teacherPlan';
import type { Dataset } from '../core/data/loader';
import { resolveArch } from '../core/models/registry';
import { serializeNet } from '../core/models/serialize';
import { formatSpec } from '../core/models/spec';
import { TEACHER_SEED, teacherKey, teacherSteps, trainTeacher } from '../core/train/teacherRecipe';
import { trainerSources } from '../core/train/sources';
import { evaluateNet } from '../core/train/trainer';
import type { StoredTeacher } from './datasetStore';
import { describeError } from './errors';
import type { BackendChoice } from './protocol';
import type { BackendHandle } from './session';
import type { Emit } from './studentOutputs';

/** Progress about 50 times over a training; a test accuracy every EVAL_EVERY of those. */
const PROGRESS_POINTS = 50;
const EVAL_EVERY = 5;
/** Test images of the accuracy shown as it goes (the stored one is on the whole test split). */
const SAMPLE_TEST = 500;

export interface TeacherPort {
  initBackend(choice: BackendChoice, config?: ExperimentConfig): Promise<BackendHandle>;
  /** The imported dataset a config names (a DataError naming it when absent). */
  dataset(config: ExperimentConfig): Promise<Dataset>;
  /** Stores the teacher: null, or why it is kept for this page only (or not at all). */
  saveTeacher(dataset: string, t: StoredTeacher): Promise<string | null>;
  /** Sends the datasets with their teachers again. */
  list(): Promise<void>;
}

export interface TeacherRunContext {
  config: ExperimentConfig;
  port: TeacherPort;
  emit: Emit;
  now: () => number;
  yieldToEvents: () => Promise<void>;
  job: TeacherJob;
}

/** The page's hold on a teacher's training: stop, and pause / resume (taking effect at the next progress point). */
export class TeacherJob {
  stopped = false;
  private held: { wake: () => void; promise: Promise<void> } | null = null;

  get paused(): boolean {
    return this.held !== null;
  }
  pause(): void {
    if (this.held || this.stopped) return;
    let wake = () => {};
    const promise = new Promise<void>((r) => (wake = r));
    this.held = { wake, promise };
  }
  resume(): void {
    this.held?.wake();
    this.held = null;
  }
  stop(): void {
    this.stopped = true;
    this.resume();
  }
  /** Resolves at once, or when a pause ends (resume or stop). */
  untilResumed(): Promise<void> {
    return this.held?.promise ?? Promise.resolve();
  }
}

class TeacherStopped extends Error {}

export async function trainTeacherInWorker(ctx: TeacherRunContext): Promise<void> {
  const { config, emit } = ctx;
  const base = { runId: null, dataset: config.dataset, teacher: config.teacher } as const;
  const started = ctx.now();
  let pausedMs = 0;
  const seconds = () => Math.round(ctx.now() - started - pausedMs) / 1000;
  try {
    if (isShippedTeacher(config)) throw new Error(`${config.teacher} is shipped trained for ${config.dataset}; the page trains the teachers that are not`);
    const backend = await ctx.port.initBackend(config.backend, config);
    const ds = await ctx.port.dataset(config);
    const { id } = ds.info;
    const spec = resolveArch(config.teacher);
    const steps = teacherSteps(id, ds.info.trainCount);
    const every = Math.max(1, Math.floor(steps / PROGRESS_POINTS));
    const sources = trainerSources(ds, 0, TEACHER_SEED);
    let calls = 0;
    const t = await trainTeacher(spec, id, sources, {
      progressEvery: every,
      async onProgress(step, total, loss, net) {
        // Inference mode only: the weights (and so the key's weights) are untouched.
        const testAcc = ++calls % EVAL_EVERY === 0 || step === total ? await evaluateNet(net, sources.test, SAMPLE_TEST) : null;
        emit({ type: 'teacher-progress', ...base, step, steps: total, loss, testAcc, seconds: seconds(), paused: false });
        await ctx.yieldToEvents(); // a stop or pause gets in
        if (ctx.job.paused && step < total) {
          emit({ type: 'teacher-progress', ...base, step, steps: total, loss, testAcc, seconds: seconds(), paused: true });
          const heldAt = ctx.now();
          await ctx.job.untilResumed();
          pausedMs += ctx.now() - heldAt;
        }
        if (ctx.job.stopped) throw new TeacherStopped();
      },
    });
    try {
      const info = { key: teacherKey(id, spec, ds.info), spec: formatSpec(spec), testAcc: t.testAcc, steps: t.steps, epochs: t.epochs, seconds: t.seconds, backend: backend.name };
      const { modelJson, weights } = await serializeNet(t.net, { dataset: id, testAcc: t.testAcc, epochs: t.epochs, steps: t.steps, seed: TEACHER_SEED });
      const notice = await ctx.port.saveTeacher(id, { info, modelJson, weights });
      emit({ type: 'teacher-done', ...base, reason: 'completed', info, ...(notice && { message: notice }) });
    } finally {
      t.net.dispose();
    }
  } catch (e) {
    if (e instanceof TeacherStopped) emit({ type: 'teacher-done', ...base, reason: 'stopped', info: null, message: `stopped after ${seconds()} s; nothing stored` });
    else emit({ type: 'teacher-done', ...base, reason: 'failed', info: null, message: describeError(e).message });
  }
  await ctx.port.list();
}
