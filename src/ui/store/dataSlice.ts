/**
 * Loaded datasets in the page: the worker's list (with each dataset's trained teachers), an
 * import under way and its report, a teacher's training and its outcome. The worker owns the
 * data and the store; this slice sends its commands and keeps what its events say.
 */
import { datasetKey, describeDataset, parseDatasetRef } from '../../core/data/datasetRef';
import type { Side } from '../../core/data/import/limits';
import { configTeacherKey, isShippedTeacher } from '../../core/train/teacherPlan';
import type { BuiltinTeachers, DataEvent, ImportReport, ImportStage, ImportUpload, StoredDataset, TeacherInfo, WorkerEvent } from '../../worker/protocol';
import { type AppDeps, type AppState, type Slice, isActive } from './types';

export interface TeacherTraining {
  dataset: string;
  teacher: string;
  step: number;
  steps: number;
  loss: number | null;
  testAcc: number | null; // on a test sample, as it goes
  seconds: number; // of training, pauses excluded
  paused: boolean;
}

export interface DataSlice {
  /** The worker's list; null until it first answers. */
  datasets: StoredDataset[] | null;
  /** Teachers trained here on the built-in datasets, by dataset id (the worker's list). */
  builtinTeachers: BuiltinTeachers;
  datasetNotice: string | null;
  importing: { requestId: number; name: string; stage: ImportStage; done: number; total: number } | null;
  /** The last import's report, or why it stored nothing (`cancelled`: the page asked). */
  importResult: { ok: true; report: ImportReport } | { ok: false; name: string; message: string; cancelled: boolean } | null;
  teacherTraining: TeacherTraining | null;
  teacherResult: { reason: 'completed' | 'stopped' | 'failed'; message?: string; info: TeacherInfo | null } | null;
  importData(name: string, files: ImportUpload[], side: Side, channels: 1 | 3): void;
  /** Ends the import under way before it stores anything. */
  cancelImport(): void;
  deleteDataset(id: string): void;
  /** Trains the config's teacher on its dataset, where none is shipped (between runs). */
  trainTeacher(): void;
  stopTeacher(): void;
  /** Holds the teacher's training (at its next progress point) / lets it go on. */
  pauseTeacher(): void;
  resumeTeacher(): void;
  receiveData(event: WorkerEvent): void;
}

const isDataEvent = (e: WorkerEvent): e is DataEvent =>
  e.type === 'import-progress' || e.type === 'imported' || e.type === 'datasets' || e.type === 'teacher-progress' || e.type === 'teacher-done';

export const dataSlice =
  (deps: AppDeps): Slice<DataSlice> =>
  (set, get) => {
    let requestId = 0;
    return {
      datasets: null,
      builtinTeachers: {},
      datasetNotice: null,
      importing: null,
      importResult: null,
      teacherTraining: null,
      teacherResult: null,

      importData(name, files, side, channels) {
        if (get().importing) return;
        requestId++;
        set({ importing: { requestId, name, stage: 'reading', done: 0, total: files.length }, importResult: null });
        deps.client.data({ type: 'import-data', requestId, name, files, side, channels });
      },
      cancelImport() {
        const cur = get().importing;
        if (cur) deps.client.data({ type: 'cancel-import', requestId: cur.requestId });
      },
      deleteDataset(id) {
        deps.client.data({ type: 'delete-dataset', id });
      },
      trainTeacher() {
        const { config, teacherTraining, status } = get();
        if (teacherTraining || isActive(status)) return;
        set({ teacherTraining: { dataset: config.dataset, teacher: config.teacher, step: 0, steps: 0, loss: null, testAcc: null, seconds: 0, paused: false }, teacherResult: null });
        deps.client.data({ type: 'train-teacher', config });
      },
      stopTeacher() {
        if (get().teacherTraining) deps.client.data({ type: 'stop-teacher' });
      },
      pauseTeacher() {
        if (get().teacherTraining) deps.client.data({ type: 'pause-teacher' });
      },
      resumeTeacher() {
        if (get().teacherTraining) deps.client.data({ type: 'resume-teacher' });
      },

      receiveData(event) {
        if (!isDataEvent(event)) return;
        switch (event.type) {
          case 'import-progress': {
            const cur = get().importing;
            if (cur?.requestId === event.requestId) set({ importing: { ...cur, stage: event.stage, done: event.done, total: event.total } });
            return;
          }
          case 'imported': {
            const cur = get().importing;
            if (cur?.requestId !== event.requestId) return;
            if (!event.report) {
              set({ importing: null, importResult: { ok: false, name: cur.name, message: event.message ?? 'the import failed', cancelled: event.cancelled === true } });
              return;
            }
            set({ importing: null, importResult: { ok: true, report: event.report } });
            get().setField('dataset', event.report.ref); // the loaded dataset is the one to train on
            return;
          }
          case 'datasets':
            set({ datasets: event.datasets, builtinTeachers: event.builtinTeachers, datasetNotice: event.notice });
            return;
          case 'teacher-progress':
            set({ teacherTraining: { dataset: event.dataset, teacher: event.teacher, step: event.step, steps: event.steps, loss: event.loss, testAcc: event.testAcc ?? get().teacherTraining?.testAcc ?? null, seconds: event.seconds, paused: event.paused } });
            return;
          case 'teacher-done':
            set({ teacherTraining: null, teacherResult: { reason: event.reason, message: event.message, info: event.info } });
            return;
        }
      },
    };
  };

/** The loaded dataset the config names, or null (a built-in one, or not loaded). */
export function configDataset(s: Pick<AppState, 'config' | 'datasets'>): StoredDataset | null {
  const ref = parseDatasetRef(s.config.dataset);
  if (ref.kind === 'builtin') return null;
  return s.datasets?.find((d) => datasetKey(d.ref) === ref.id) ?? null;
}

/** The teachers trained here on the config's dataset (its loaded dataset's, or a built-in one's); null while the worker has not listed them. */
export function trainedTeachers(s: Pick<AppState, 'config' | 'datasets' | 'builtinTeachers'>): TeacherInfo[] | null {
  if (s.datasets === null) return null;
  const ref = parseDatasetRef(s.config.dataset);
  return ref.kind === 'builtin' ? (s.builtinTeachers[ref.id] ?? []) : (configDataset(s)?.teachers ?? []);
}

/** The config's teacher as trained here, when it is not shipped and has been trained. */
export function trainedTeacher(s: Pick<AppState, 'config' | 'datasets' | 'builtinTeachers'>): TeacherInfo | null {
  return trainedTeachers(s)?.find((t) => t.key === configTeacherKey(s.config)) ?? null;
}

/**
 * Why Train would train nothing now, or null: the link's dataset is not loaded here (naming it,
 * with its hash and counts), its teacher is not shipped and not trained yet, or a teacher is training.
 */
export function trainBlocker(s: Pick<AppState, 'config' | 'datasets' | 'builtinTeachers' | 'teacherTraining'>): string | null {
  if (s.teacherTraining) return 'a teacher is training; Train is free once it ends';
  if (isShippedTeacher(s.config)) return null;
  if (s.datasets === null) return 'looking for the loaded datasets and teachers…';
  const builtin = parseDatasetRef(s.config.dataset).kind === 'builtin';
  const ds = configDataset(s);
  if (!builtin && !ds) return `This link trains on dataset ${describeDataset(s.config.dataset)}, which is not loaded in this browser. Load it with "Load data" (the same files give the same hash).`;
  if (!trainedTeacher(s)) return `No teacher ${s.config.teacher} is trained on ${builtin ? describeDataset(s.config.dataset) : `"${ds!.manifest.name}"`} yet: press "Train teacher".`;
  return null;
}
