/**
 * Kept runs: every run that ends (completed, stopped or failed) becomes a row of the runs table
 * with its config, final numbers and a downsampled copy of its metrics, saved through a
 * RunRepository (IndexedDB in the page). Rows can be overlaid on the charts, deleted, or loaded
 * back into the form.
 *
 * Batches (paper comparison, λ sweep) are queues of configs run one after another through the
 * same Train path: each config is put in the form (so the form shows what is running), trained,
 * kept with the batch's id, then the next starts. A run that ends `stopped` cancels the rest of
 * the queue; the form gets the user's config back when the batch ends.
 *
 * The batch under way is saved too (at its start and after each run), so a reload mid-batch
 * finds it: the page offers "Resume" (the runs not done yet, the interrupted one from its start)
 * or "Discard" (the form gets the user's config back). A run the worker died under (kept as
 * `interrupted`) leaves its batch in the same place.
 */
import type { StoreApi } from 'zustand';
import type { ExperimentConfig } from '../../core/config';
import { lambdaSweepConfigs, paperComparisonConfigs } from '../../core/compare/batches';
import { type TableId, missingTableConfigs, paperTable, tableLink } from '../../core/compare/tables';
import type { BatchState } from '../persist/batchRecord';
import { methodOf } from '../../core/methods';
import type { BatchKind, SavedMetrics, SavedRun } from '../persist/runRecord';
import type { RunRepository } from '../persist/runRepository';
import { MAX_RUNS_FILE_BYTES, readRunsFile } from '../persist/runsFile';
import { ablationConfigs } from './hgkdAblation';
import { ranConfig, runChanges } from './ranConfig';
import { forDisplay } from './series';
import { type AppState, type Slice, isActive } from './types';

export type { BatchState };

export interface RunsSlice {
  runs: SavedRun[];
  runsLoaded: boolean;
  /** Storage trouble the user should know about (runs not saved, records skipped). */
  persistNotice: string | null;
  /** The kept record of the run the charts show live (so an overlay does not draw it twice). */
  currentSavedId: string | null;
  batch: BatchState | null;
  /** A batch the page found saved at load, cut short by a reload or a closed tab: resume or discard it. */
  interruptedBatch: BatchState | null;
  /** How the last batch ended early, or why it could not start. */
  batchNotice: { kind: BatchKind; message: string } | null;
  loadRuns(): Promise<void>;
  /** Called when a run starts: remembers its start time. */
  runStarted(): void;
  /** Called when the current run ends: keeps it with the config it trained with (also the form's now), and moves a batch on. */
  recordRun(): void;
  toggleRunSelected(id: string): void;
  /** Removes a run from the table and from storage; it stays undoable until the next delete. */
  deleteRun(id: string): void;
  /** The run deleted last, for Undo; null when there is nothing to undo. */
  deletedRun: SavedRun | null;
  /** Puts the run deleted last back, in its place, and saves it again. */
  undoDelete(): void;
  dismissUndo(): void;
  loadRunConfig(id: string): void;
  startPaperComparison(seeds: number): void;
  startLambdaSweep(lambdas: number[], seeds: number): void;
  /** H-GKD's Table 5 grid (sparse × UNet × similarity) on the form's config. */
  startAblationGrid(seeds: number): void;
  /** A paper table's runs at `seeds` seeds (core/compare/tables.ts), less the ones the runs table already holds completed. */
  startPaperTable(id: TableId, seeds: number): void;
  /** Goes on with the interrupted batch: its run `done + 1` from its start, then the rest. */
  resumeBatch(): void;
  /** Drops the interrupted batch (its ended runs stay) and gives the form its config back. */
  discardBatch(): void;
  dismissPersistNotice(): void;
  /** Adds the runs of a runs file (runsFile.ts) after the kept ones and saves them; says what it took, cleaned and rejected. */
  importRuns(file: { size: number; text(): Promise<string> }): Promise<void>;
  /** The last import's outcome. */
  importMessage: string | null;
  dismissImportMessage(): void;
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

export const runsSlice =
  (repo: RunRepository): Slice<RunsSlice> =>
  (set, get) => {
    let started: { at: number } | null = null;

    const save = (run: SavedRun) => {
      repo.save(run).catch((e) => set({ persistNotice: `Run ${run.label} could not be saved and will be gone after a reload (${messageOf(e)}).` }));
    };

    const saveBatch = (batch: BatchState) => {
      repo.saveBatch(batch).catch((e) => set({ persistNotice: `The batch could not be saved: after a reload it could not be resumed (${messageOf(e)}).` }));
    };
    const clearBatch = () => {
      repo.clearBatch().catch((e) => set({ persistNotice: `An ended batch may be offered for resuming after a reload (${messageOf(e)}).` }));
    };
    /** Runs configs[batch.done] of a batch (started or resumed) and saves where it stands. */
    const runBatch = (batch: BatchState) => {
      set({ batch, interruptedBatch: null, batchNotice: null, config: batch.configs[batch.done], fieldErrors: {} });
      saveBatch(batch);
      get().train();
    };

    const updateRun = (id: string, edit: (r: SavedRun) => SavedRun) => {
      const run = get().runs.find((r) => r.id === id);
      if (!run) return;
      const next = edit(run);
      set({ runs: get().runs.map((r) => (r.id === id ? next : r)) });
      save(next);
    };

    const startBatch = (kind: BatchKind, make: () => ExperimentConfig[]) => {
      const s = get();
      if (isActive(s.status) || s.batch) return;
      let configs: ExperimentConfig[];
      try {
        configs = make();
      } catch (e) {
        set({ batchNotice: { kind, message: messageOf(e) } });
        return;
      }
      if (configs.length === 0) return;
      // A new batch replaces an interrupted one (one saved batch at a time).
      runBatch({ id: `${kind}-${Date.now()}`, kind, base: s.config, configs, done: 0 });
    };

    /** After a batch run is kept: the next config, or the end of the batch. */
    const advanceBatch = (batch: BatchState, ended: SavedRun) => {
      if (ended.status === 'interrupted') {
        // As after a reload: the batch waits for Resume (its run `done + 1` again) or Discard.
        set({ batch: null, interruptedBatch: batch, config: batch.base, fieldErrors: {} });
        return;
      }
      const done = batch.done + 1;
      const total = batch.configs.length;
      if (ended.status === 'stopped' || done >= total) {
        const message = `Stopped: ${done} of ${total} runs done, the other ${total - done} cancelled.`;
        const cancelled = ended.status === 'stopped' && done < total ? { kind: batch.kind, message } : null;
        set({ batch: null, config: batch.base, batchNotice: cancelled });
        clearBatch();
        return;
      }
      runBatch({ ...batch, done });
    };

    return {
      runs: [],
      runsLoaded: false,
      persistNotice: null,
      currentSavedId: null,
      batch: null,
      interruptedBatch: null,
      batchNotice: null,

      async loadRuns() {
        const { runs, batch, notice } = await repo.load();
        // Runs kept before loading finished (a very fast first run) stay.
        const known = new Set(runs.map((r) => r.id));
        set({ runs: [...runs, ...get().runs.filter((r) => !known.has(r.id))], runsLoaded: true, persistNotice: notice ?? get().persistNotice });
        if (!batch || get().batch) return; // none saved, or a new batch already started over it
        // A run kept just before the page went away may be saved while its batch's new count is not.
        const done = Math.max(batch.done, runs.filter((r) => r.batch?.id === batch.id).length);
        if (done >= batch.configs.length) clearBatch();
        else set({ interruptedBatch: { ...batch, done } });
      },

      runStarted() {
        started = { at: Date.now() };
      },

      recordRun() {
        const s = get();
        const now = Date.now();
        const { summary, points } = s;
        const last = points.at(-1);
        const lastTest = points.filter((p) => p.testAcc !== undefined).at(-1)?.testAcc ?? null;
        const label = s.runs.reduce((m, r) => Math.max(m, r.label), 0) + 1;
        const failed = s.status === 'failed';
        const interrupted = failed && s.error?.kind === 'worker-lost';
        const config = ranConfig(s) ?? s.config;
        const run: SavedRun = {
          id: `${now.toString(36)}-${label}`,
          label,
          createdAt: now,
          config,
          status: interrupted ? 'interrupted' : failed ? 'failed' : (summary?.reason ?? 'stopped'),
          backend: s.backend?.name ?? null,
          steps: summary?.steps ?? s.step,
          testAcc: (failed ? null : summary?.testAcc) ?? lastTest,
          trainAcc: summary?.trainAcc ?? last?.trainAcc ?? null,
          metrics: savedMetrics(s, config),
          stepsPerSec: summary?.stepsPerSec ?? (s.stepsPerSec || null),
          seconds: summary?.seconds ?? (started ? (now - started.at) / 1000 : 0),
          error: failed ? (s.error?.message ?? 'the run failed') : null,
          points: [...forDisplay(points)],
          liveChanges: runChanges(s),
          batch: s.batch ? { id: s.batch.id, kind: s.batch.kind } : null,
          selected: false,
        };
        started = null;
        // The form (and so the page URL, Copy link) now holds the run as it was trained, changes and all.
        set({ runs: [...s.runs, run], currentSavedId: run.id, ...(!s.batch && { config: run.config, fieldErrors: {} }) });
        save(run);
        if (s.batch) advanceBatch(s.batch, run);
      },

      toggleRunSelected(id) {
        updateRun(id, (r) => ({ ...r, selected: !r.selected }));
      },

      deleteRun(id) {
        const run = get().runs.find((r) => r.id === id);
        if (!run) return;
        set({ runs: get().runs.filter((r) => r.id !== id), deletedRun: run, currentSavedId: get().currentSavedId === id ? null : get().currentSavedId });
        repo.remove(id).catch((e) => set({ persistNotice: `A deleted run may come back after a reload (${messageOf(e)}).` }));
      },

      deletedRun: null,
      undoDelete() {
        const run = get().deletedRun;
        if (!run) return;
        // Back in label order (the table lists runs as they were made).
        set({ runs: [...get().runs, run].sort((a, b) => a.createdAt - b.createdAt || a.label - b.label), deletedRun: null });
        save(run);
      },
      dismissUndo() {
        set({ deletedRun: null });
      },

      loadRunConfig(id) {
        const run = get().runs.find((r) => r.id === id);
        if (run && !isActive(get().status) && !get().batch) set({ config: run.config, fieldErrors: {} });
      },

      startPaperComparison(seeds) {
        startBatch('paper', () => paperComparisonConfigs(get().config, seeds));
      },

      startLambdaSweep(lambdas, seeds) {
        startBatch('lambda', () => lambdaSweepConfigs(get().config, lambdas, seeds));
      },

      startAblationGrid(seeds) {
        startBatch('ablation', () => ablationConfigs(get().config, seeds));
      },

      startPaperTable(id, seeds) {
        startBatch('table', () => {
          const table = paperTable(id);
          const done = new Set(get().runs.filter((r) => r.status === 'completed').map((r) => tableLink(r.config)));
          const configs = missingTableConfigs(table, seeds, done);
          if (configs.length === 0) throw new Error(`All ${table.title} runs at ${seeds} seed${seeds > 1 ? 's' : ''} are already in the runs table.`);
          return configs;
        });
      },

      resumeBatch() {
        const { interruptedBatch, batch, status } = get();
        if (interruptedBatch && !batch && !isActive(status)) runBatch(interruptedBatch);
      },

      discardBatch() {
        const { interruptedBatch, batch, status } = get();
        if (!interruptedBatch) return;
        set({ interruptedBatch: null, ...(!batch && !isActive(status) && { config: interruptedBatch.base, fieldErrors: {} }) });
        clearBatch();
      },

      dismissPersistNotice() {
        set({ persistNotice: null });
      },

      async importRuns(file) {
        // Refused before reading: a huge file is never pulled into memory.
        if (file.size > MAX_RUNS_FILE_BYTES) return set({ importMessage: `No runs imported: the file is over ${MAX_RUNS_FILE_BYTES / 1024 / 1024} MB.` });
        let text: string;
        try {
          text = await file.text();
        } catch (e) {
          return set({ importMessage: `No runs imported: the file could not be read (${messageOf(e)}).` });
        }
        const { runs, message } = readRunsFile(text, get().runs);
        set({ runs: [...get().runs, ...runs], importMessage: message });
        for (const run of runs) save(run);
      },
      importMessage: null,
      dismissImportMessage() {
        set({ importMessage: null });
      },
    };
  };

/** Loads the kept runs and keeps every run that ends. Called once, by createAppStore. */
export function watchRuns(store: StoreApi<AppState>): void {
  void store.getState().loadRuns();
  store.subscribe((s, prev) => {
    if (s.status === 'starting' && prev.status !== 'starting') s.runStarted();
    if (isActive(prev.status) && (s.status === 'done' || s.status === 'failed')) s.recordRun();
  });
}

/**
 * The run's own measures, by its method's pipeline, from what the page holds: the run's summary
 * (a run cut short has none: then its last points).
 */
function savedMetrics(s: AppState, config: ExperimentConfig): SavedMetrics {
  if (methodOf(config.method).pipeline === 'hgkd') {
    const summary = s.summary?.pipeline === 'hgkd' ? s.summary.hgkd : null;
    return { pipeline: 'hgkd', scratchAcc: summary?.scratchAcc ?? null, mse: summary?.mse ?? s.hgkd.distill.at(-1)?.mse ?? null };
  }
  return { pipeline: 'distill', difference: s.points.at(-1)?.difference ?? null };
}
