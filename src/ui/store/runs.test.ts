/** The runs slice: every ended run is kept and saved, reloads come back, batches queue runs one after another. */
import { describe, expect, it, vi } from 'vitest';
import type { RunSummary, WorkerEvent } from '../../worker/protocol';
import { type RecordStore, indexedDbRepository, memoryStore, repositoryOver } from '../persist/runRepository';
import { BATCH_RECORD_VERSION } from '../persist/batchRecord';
import { RECORD_VERSION } from '../persist/runRecord';
import { legacyShape } from '../persist/testRuns';
import { MAX_RUNS_FILE_BYTES, writeRunsFile } from '../persist/runsFile';
import { ranConfig } from './ranConfig';
import { fakes, point } from './testing';

const summary = (extra: Partial<Extract<RunSummary, { pipeline: 'distill' }>> = {}): RunSummary => ({
  pipeline: 'distill', reason: 'completed', steps: 3, testAcc: 0.9, trainAcc: 0.8, loss: 1, stepsPerSec: 12, seconds: 2, teacherCached: true, alphaHint: null, liveChanges: [], ...extra,
});

/** Lets pending saves and loads settle (they are promise chains over the in-memory store). */
const settle = () => new Promise((r) => setTimeout(r, 0));

/** Plays a run of `steps` steps on the fake client: the latest start's id, progress, then done. */
function playRun(emit: (e: WorkerEvent) => void, runId: number, steps = 3, end: Partial<Extract<RunSummary, { pipeline: 'distill' }>> = {}) {
  emit({ type: 'progress', runId, pipeline: 'distill', points: Array.from({ length: steps }, (_, i) => point(i + 1)), step: steps, steps, stepsPerSec: 12, state: 'running' });
  emit({ type: 'done', runId, summary: summary({ steps, ...end }) });
}

const startedRuns = (sent: { type: string }[]) => sent.filter((c) => c.type === 'start').length;

describe('runs slice', () => {
  it('keeps a completed run with its starting config and numbers, saved so a new page gets it back', async () => {
    const storage = memoryStore();
    const { store, emit } = fakes('?v=2&steps=3&alpha=0.001&seed=5', repositoryOver(storage));
    await settle();
    store.getState().train();
    emit({ type: 'ready', runId: 1, backend: 'wasm', adapter: null, kernels: 'reference', timings: [] } as WorkerEvent);
    store.getState().setField('alpha', '0.002'); // live: the run's config keeps the α it started with
    playRun(emit, 1, 3, { liveChanges: [{ step: 2, param: 'alpha', value: 0.002 }] });
    const [run] = store.getState().runs;
    expect(run).toMatchObject({
      label: 1, status: 'completed', backend: 'wasm', steps: 3, testAcc: 0.9, trainAcc: 0.8, metrics: { pipeline: 'distill', difference: 1000 }, stepsPerSec: 12, seconds: 2,
      config: { alpha: 0.001, alphaAt: [{ step: 2, value: 0.002 }], seed: 5, steps: 3 }, liveChanges: [{ step: 2, param: 'alpha', value: 0.002 }], batch: null, error: null,
    });
    expect(run.points.map((p) => p.step)).toEqual([1, 2, 3]);
    expect(store.getState().currentSavedId).toBe(run.id);
    await settle();

    const reloaded = fakes('', repositoryOver(storage)).store;
    await settle();
    expect(reloaded.getState()).toMatchObject({ runsLoaded: true, persistNotice: null });
    expect(reloaded.getState().runs).toEqual([run]);
  });

  it('keeps stopped and failed runs; a failed run records its error and its live changes from the points', () => {
    const { store, emit } = fakes();
    store.getState().train();
    playRun(emit, 1, 2, { reason: 'stopped', testAcc: null });
    store.getState().train();
    emit({ type: 'progress', runId: 2, pipeline: 'distill', points: [point(1), point(2, { lambda: 0.7 }), point(3, { lambda: 0.7, testAcc: 0.4 })], step: 3, steps: 300, stepsPerSec: 5, state: 'running' });
    emit({ type: 'error', runId: 2, kind: 'nan', message: 'the loss became NaN at step 4' });
    const [stopped, failed] = store.getState().runs;
    expect(stopped).toMatchObject({ label: 1, status: 'stopped', steps: 2, testAcc: null });
    expect(failed).toMatchObject({ label: 2, status: 'failed', steps: 3, testAcc: 0.4, error: 'the loss became NaN at step 4', liveChanges: [{ step: 2, param: 'lambda', value: 0.7 }] });
  });

  it('selection and deletion are saved; a row loads its config into the form', async () => {
    const storage = memoryStore();
    const { store, emit, urls } = fakes('?v=2&steps=3', repositoryOver(storage));
    store.getState().train();
    playRun(emit, 1);
    store.getState().setField('method', 'kd');
    store.getState().train();
    playRun(emit, 2);
    const [a, b] = store.getState().runs;
    store.getState().toggleRunSelected(a.id);
    store.getState().deleteRun(b.id);
    expect(store.getState().runs.map((r) => [r.label, r.selected])).toEqual([[1, true]]);
    store.getState().loadRunConfig(a.id);
    expect(store.getState().config.method).toBe('mgd');
    expect(urls.at(-1)).toBe('v=2&steps=3&seed=1');
    await settle();
    const { runs } = await repositoryOver(storage).load();
    expect(runs.map((r) => [r.label, r.selected])).toEqual([[1, true]]);
  });

  it('the paper comparison runs every method on each seed in turn, then gives the form back', () => {
    const { store, sent, emit } = fakes('?v=2&steps=3&seed=4&method=mimic');
    store.getState().startPaperComparison(2);
    expect(store.getState().batch).toMatchObject({ kind: 'paper', done: 0 });
    expect(store.getState().batch!.configs).toHaveLength(8);
    for (let id = 1; id <= 8; id++) {
      expect(startedRuns(sent)).toBe(id);
      playRun(emit, id);
    }
    const { runs, batch, config } = store.getState();
    expect(runs.map((r) => `${r.config.seed}:${r.config.method}`)).toEqual(['4:none', '4:mimic', '4:mgd', '4:kd', '5:none', '5:mimic', '5:mgd', '5:kd']);
    expect(new Set(runs.map((r) => r.batch?.id)).size).toBe(1);
    expect(batch).toBeNull();
    expect(config).toMatchObject({ method: 'mimic', seed: 4 });
    expect(startedRuns(sent)).toBe(8);
  });

  it('Stop cancels the rest of a batch; a failed run does not', () => {
    const { store, sent, emit } = fakes('?v=2&steps=3');
    store.getState().startLambdaSweep([0.15, 0.5, 0.85], 1);
    emit({ type: 'error', runId: 1, kind: 'nan', message: 'NaN' });
    expect(store.getState().batch).toMatchObject({ done: 1 });
    playRun(emit, 2, 2, { reason: 'stopped' });
    expect(store.getState()).toMatchObject({ batch: null, batchNotice: { kind: 'lambda', message: 'Stopped: 2 of 3 runs done, the other 1 cancelled.' } });
    expect(store.getState().runs.map((r) => [r.status, r.config.lambda])).toEqual([['failed', 0.15], ['stopped', 0.5]]);
    expect(startedRuns(sent)).toBe(2);
  });

  it('a run the worker died under is kept as interrupted with its points; its batch waits for Resume, which runs it again', async () => {
    const storage = memoryStore();
    const batches = memoryStore();
    const { store, sent, emit } = fakes('?v=2&steps=3&seed=4&method=mimic', repositoryOver(storage, batches));
    await settle();
    store.getState().startPaperComparison(1);
    playRun(emit, 1);
    emit({ type: 'progress', runId: 2, pipeline: 'distill', points: [point(1), point(2)], step: 2, steps: 3, stepsPerSec: 5, state: 'running' });
    emit({ type: 'error', runId: 2, kind: 'worker-lost', message: 'the training worker crashed: boom. A fresh worker has started' });
    const s = store.getState();
    expect(s.runs.map((r) => [r.status, r.config.method, r.steps])).toEqual([['completed', 'none', 3], ['interrupted', 'mimic', 2]]);
    expect(s.runs[1]).toMatchObject({ error: expect.stringContaining('crashed: boom'), batch: { kind: 'paper' } });
    expect(s.runs[1].points.map((p) => p.step)).toEqual([1, 2]);
    expect(s).toMatchObject({ status: 'failed', backend: null, batch: null, interruptedBatch: { kind: 'paper', done: 1 }, config: { method: 'mimic', seed: 4 } });
    expect(startedRuns(sent)).toBe(2); // nothing started by itself
    await settle();
    expect((await repositoryOver(storage, batches).load()).batch).toMatchObject({ done: 1 }); // a reload offers it too

    store.getState().resumeBatch();
    expect(store.getState()).toMatchObject({ batch: { done: 1 }, interruptedBatch: null, config: { method: 'mimic' } });
    for (let id = 3; id <= 5; id++) playRun(emit, id);
    expect(store.getState().runs.map((r) => `${r.status}:${r.config.method}`)).toEqual(['completed:none', 'interrupted:mimic', 'completed:mimic', 'completed:mgd', 'completed:kd']);
    expect(store.getState().batch).toBeNull();
  });

  it('a paper table runs its rows at its steps on each seed, skipping runs the table already holds; all held: says so', () => {
    const { store, sent, emit } = fakes('?v=2&steps=3&method=kd');
    store.getState().startPaperTable('mgd-t5', 1);
    const queued = store.getState().batch!.configs;
    expect(queued.map((c) => `${c.teacher}>${c.student}:${c.method}:${c.steps}:${c.seed}`)).toEqual(['resnet-s>resnet-s:none:300:1', 'resnet-s>resnet-s:mimic:300:1', 'resnet-s>resnet-s:mgd:300:1']);
    playRun(emit, 1, 300);
    playRun(emit, 2, 300, { reason: 'stopped' }); // cut short: not a row's run, and the batch ends
    expect(store.getState().batch).toBeNull();
    expect(store.getState().config).toMatchObject({ method: 'kd', steps: 3 });
    // Again at 2 seeds: seed 1's none is held, the stopped mimic is not.
    store.getState().startPaperTable('mgd-t5', 2);
    expect(store.getState().batch!.configs.map((c) => `${c.method}:${c.seed}`)).toEqual(['mimic:1', 'mgd:1', 'none:2', 'mimic:2', 'mgd:2']);
    for (let id = 3; id <= 7; id++) playRun(emit, id, 300);
    expect(startedRuns(sent)).toBe(7);
    store.getState().startPaperTable('mgd-t5', 2);
    expect(store.getState()).toMatchObject({ batch: null, batchNotice: { kind: 'table', message: expect.stringMatching(/All Self-distillation .* 2 seeds are already in the runs table/) } });
    expect(startedRuns(sent)).toBe(7);
  });

  it('a batch that cannot be built says why and starts nothing', () => {
    const { store, sent } = fakes();
    store.getState().startPaperComparison(0);
    expect(store.getState()).toMatchObject({ batch: null, batchNotice: { kind: 'paper', message: expect.stringMatching(/seeds/) } });
    expect(startedRuns(sent)).toBe(0);
  });
});

describe('a batch cut short by a reload', () => {
  /** One page's storage: the runs and the batch record, shared by the pages a test opens. */
  const storage = () => {
    const runs = memoryStore();
    const batches = memoryStore();
    return { batches, repo: () => repositoryOver(runs, batches) };
  };
  const methods = (runs: { config: { seed: number; method: string } }[]) => runs.map((r) => `${r.config.seed}:${r.config.method}`);

  it('is offered after the reload; Resume runs the rest, the interrupted run from its start, and the batch completes', async () => {
    const { batches, repo } = storage();
    const first = fakes('?v=2&steps=3&seed=4&method=mimic', repo());
    await settle();
    first.store.getState().startPaperComparison(1); // none, mimic, mgd, kd on seed 4
    playRun(first.emit, 1);
    playRun(first.emit, 2);
    expect(startedRuns(first.sent)).toBe(3); // mgd is running when the page goes away
    await settle();

    const second = fakes('?v=2&steps=3&seed=4&method=mgd', repo()); // the URL of the run in progress
    await settle();
    const cut = second.store.getState().interruptedBatch!;
    expect(cut).toMatchObject({ kind: 'paper', done: 2, base: { method: 'mimic', seed: 4 } });
    expect(cut.configs.map((c) => c.method)).toEqual(['none', 'mimic', 'mgd', 'kd']);
    expect(second.store.getState().batch).toBeNull();
    expect(startedRuns(second.sent)).toBe(0); // nothing starts by itself

    second.store.getState().resumeBatch();
    expect(second.store.getState()).toMatchObject({ interruptedBatch: null, batch: { id: cut.id, done: 2 } });
    expect(second.sent.filter((c) => c.type === 'start').map((c) => c.type === 'start' && c.config.method)).toEqual(['mgd']);
    playRun(second.emit, 1);
    playRun(second.emit, 2);
    const s = second.store.getState();
    expect(methods(s.runs)).toEqual(['4:none', '4:mimic', '4:mgd', '4:kd']);
    expect(new Set(s.runs.map((r) => r.batch?.id))).toEqual(new Set([cut.id]));
    expect(s.batch).toBeNull();
    expect(s.config).toMatchObject({ method: 'mimic', seed: 4 }); // the form's config from before the batch
    await settle();
    expect(await batches.entries()).toEqual([]);
    const third = fakes('', repo());
    await settle();
    expect(third.store.getState().interruptedBatch).toBeNull();
    expect(third.store.getState().runs).toHaveLength(4);
  });

  it('Discard keeps the runs done, drops the queue and gives the form its config back', async () => {
    const { batches, repo } = storage();
    const first = fakes('?v=2&steps=3&lambda=0.3', repo());
    first.store.getState().startLambdaSweep([0.15, 0.5, 0.85], 1);
    playRun(first.emit, 1);
    await settle();
    const second = fakes('?v=2&steps=3&lambda=0.5', repo());
    await settle();
    expect(second.store.getState().interruptedBatch).toMatchObject({ kind: 'lambda', done: 1 });
    second.store.getState().discardBatch();
    expect(second.store.getState()).toMatchObject({ interruptedBatch: null, batch: null, config: { lambda: 0.3 } });
    expect(startedRuns(second.sent)).toBe(0);
    await settle();
    expect(await batches.entries()).toEqual([]);
    expect(second.store.getState().runs).toHaveLength(1);
  });

  it('counts a run saved after the last batch record; a finished or damaged record offers nothing', async () => {
    const { batches, repo } = storage();
    const first = fakes('?v=2&steps=3', repo());
    first.store.getState().startLambdaSweep([0.15, 0.5, 0.85], 1);
    playRun(first.emit, 1);
    playRun(first.emit, 2);
    await settle();
    const batch = first.store.getState().batch!;
    await repo().saveBatch({ ...batch, done: 1 }); // the page went away before its second count was saved
    const second = fakes('', repo());
    await settle();
    expect(second.store.getState().interruptedBatch).toMatchObject({ id: batch.id, done: 2 });

    playRun(first.emit, 3); // the last run is kept, but its batch's end is not (the page went away)
    await settle();
    await repo().saveBatch({ ...batch, done: 2 });
    const third = fakes('', repo());
    await settle();
    expect(third.store.getState().interruptedBatch).toBeNull();
    expect(await batches.entries()).toEqual([]);

    for (const [raw, notice] of [
      [{ version: BATCH_RECORD_VERSION, batch: { ...batch, configs: [{ ...batch.configs[0], batch: -4 }] } }, /could not be resumed: its saved queue is damaged/],
      [{ version: BATCH_RECORD_VERSION + 1, batch }, /from a newer version/],
    ] as const) {
      await batches.put('pending', raw);
      const page = fakes('', repo());
      await settle();
      expect(page.store.getState()).toMatchObject({ interruptedBatch: null, persistNotice: expect.stringMatching(notice) });
    }
  });
});

describe('kept runs in storage', () => {
  it('damaged and newer-version records are skipped with a notice, good ones load', async () => {
    const source = fakes('?v=2&steps=3');
    source.store.getState().train();
    playRun(source.emit, 1);
    const good = source.store.getState().runs[0];
    const storage = memoryStore([
      ['a', { version: RECORD_VERSION, run: good }],
      ['b', { version: RECORD_VERSION, run: { ...good, id: 'b', points: 'not points' } }],
      ['c', { version: RECORD_VERSION, run: { ...good, id: 'c', config: { ...good.config, batch: -4 } } }],
      ['d', 'garbage'],
      ['e', { version: RECORD_VERSION + 1, run: good }],
    ]);
    const { store } = fakes('', repositoryOver(storage));
    await settle();
    expect(store.getState().runs).toEqual([good]);
    expect(store.getState().persistNotice).toBe('Some saved runs were skipped: 3 damaged or unreadable, 1 saved by a newer version of the playground.');
  });

  it('a failing save shows a notice and the run stays in the table', async () => {
    const failing: RecordStore = { ...memoryStore(), put: () => Promise.reject(new Error('QuotaExceededError')) };
    const { store, emit } = fakes('', repositoryOver(failing));
    store.getState().train();
    playRun(emit, 1);
    await settle();
    expect(store.getState().runs).toHaveLength(1);
    expect(store.getState().persistNotice).toMatch(/Run 1 could not be saved.*QuotaExceededError/);
  });

  it('where IndexedDB cannot be opened, runs are kept for the page and the page says so', async () => {
    const denied = { open: () => { throw new DOMException('access denied', 'SecurityError'); } } as unknown as IDBFactory;
    for (const idb of [undefined, denied]) {
      vi.stubGlobal('indexedDB', idb);
      const { store, emit } = fakes('', indexedDbRepository());
      await settle();
      expect(store.getState()).toMatchObject({ runs: [], runsLoaded: true, persistNotice: expect.stringMatching(/^Runs are kept for this page only: saved runs cannot be stored \((this browser has no IndexedDB|IndexedDB could not be opened: access denied)/) });
      store.getState().train();
      playRun(emit, 1);
      await settle();
      expect(store.getState().runs).toHaveLength(1);
    }
    vi.unstubAllGlobals();
  });
});

describe('a run as it was trained', () => {
  it('after a run with live changes, the form and URL hold its starting values and its changes; later edits do not change the run', () => {
    const { store, emit, urls } = fakes('?v=2&steps=3&alpha=0.001&seed=5');
    store.getState().train();
    store.getState().setField('alpha', '0.002');
    store.getState().setField('lambda', '0.25');
    expect(urls.at(-1)).toBe('v=2&alpha=0.002&lambda=0.25&steps=3&seed=5'); // during the run: the live values
    playRun(emit, 1, 3, { reason: 'stopped', liveChanges: [{ step: 2, param: 'alpha', value: 0.002 }, { step: 3, param: 'lambda', value: 0.25 }] });
    expect(urls.at(-1)).toBe('v=2&alpha=0.001&alphaAt=2:0.002&lambdaAt=3:0.25&steps=3&seed=5');
    const s = store.getState();
    expect(s.runs[0].config).toEqual(s.config);
    store.getState().setField('seed', '9');
    expect(ranConfig(store.getState())).toEqual(s.runs[0].config); // what Metrics JSON exports
    store.getState().loadRunConfig(s.runs[0].id);
    expect(urls.at(-1)).toBe('v=2&alpha=0.001&alphaAt=2:0.002&lambdaAt=3:0.25&steps=3&seed=5');
    // Trained again from that link, the worker is sent the schedule.
    store.getState().train();
    expect(store.getState().runConfig).toMatchObject({ alpha: 0.001, alphaAt: [{ step: 2, value: 0.002 }], lambdaAt: [{ step: 3, value: 0.25 }] });
  });

  it('a version-1 record (starting values, changes beside them) loads with its changes in its schedules', async () => {
    const source = fakes('?v=2&steps=3');
    source.store.getState().train();
    playRun(source.emit, 1);
    const { alphaAt: _a, lambdaAt: _l, ...v1Config } = source.store.getState().runs[0].config;
    const v1 = { ...legacyShape(source.store.getState().runs[0]), config: v1Config, liveChanges: [{ step: 2, param: 'alpha', value: 0.002 }] };
    const { store } = fakes('', repositoryOver(memoryStore([['a', { version: 1, run: v1 }]])));
    await settle();
    expect(store.getState().persistNotice).toBeNull();
    expect(store.getState().runs[0].config).toMatchObject({ alpha: 5.6e-4, alphaAt: [{ step: 2, value: 0.002 }], lambdaAt: [] });
  });
});

describe('deleting a run', () => {
  it('can be undone: the run comes back in its place and is saved again', async () => {
    const storage = memoryStore();
    const { store, emit } = fakes('?v=2&steps=3', repositoryOver(storage));
    for (const id of [1, 2]) {
      store.getState().train();
      playRun(emit, id);
    }
    const [a, b] = store.getState().runs;
    store.getState().deleteRun(a.id);
    expect(store.getState().runs).toEqual([b]);
    expect(store.getState().deletedRun).toEqual(a);
    await settle();
    store.getState().undoDelete();
    expect(store.getState().runs).toEqual([a, b]);
    expect(store.getState().deletedRun).toBeNull();
    await settle();
    const reloaded = fakes('', repositoryOver(storage)).store;
    await settle();
    expect(reloaded.getState().runs.map((r) => r.id).sort()).toEqual([a.id, b.id].sort()); // saved again
  });
});

describe('importing a runs file', () => {
  it('adds the file\'s runs after the kept ones and saves them; a file over the limit is refused unread', async () => {
    const storage = memoryStore();
    const source = fakes('?v=2&steps=3');
    source.store.getState().train();
    playRun(source.emit, 1);
    const text = writeRunsFile(source.store.getState().runs);

    const { store } = fakes('?v=2&steps=3', repositoryOver(storage));
    await settle();
    await store.getState().importRuns(new Blob([text]));
    expect(store.getState().importMessage).toBe('Imported 1 of 1 runs.');
    expect(store.getState().runs.map((r) => r.label)).toEqual([1]);
    await settle();
    expect((await storage.entries()).length).toBe(1);

    const read = vi.fn(async () => text);
    await store.getState().importRuns({ size: MAX_RUNS_FILE_BYTES + 1, text: read });
    expect(read).not.toHaveBeenCalled();
    expect(store.getState().importMessage).toMatch(/^No runs imported: the file is over 32 MB/);
    expect(store.getState().runs).toHaveLength(1);
  });
});
