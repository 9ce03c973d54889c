/**
 * The page's side of loaded datasets: a link to an absent dataset trains nothing and says which
 * dataset to load, a loaded one without its teacher says to train it, an import selects what it
 * loaded, and a teacher's training blocks Train until it ends.
 */
import { describe, expect, it } from 'vitest';
import { configTeacherKey } from '../../core/train/teacherPlan';
import type { StoredDataset } from '../../worker/protocol';
import { trainBlocker } from './dataSlice';
import { fakes } from './testing';

const REF = 'import-0123456789ab:ghost:32x3:4:100:20';
const stored = (teachers: StoredDataset['teachers'] = []): StoredDataset => ({
  ref: REF,
  manifest: { name: 'ghost', hash: `0123456789ab${'0'.repeat(52)}`, side: 32, channels: 3, classNames: ['a', 'b', 'c', 'd'], counts: { train: 100, test: 20 } } as StoredDataset['manifest'],
  bytes: 368_640,
  teachers,
});
const teacher = { key: configTeacherKey({ dataset: REF, teacher: 'resnet-t' }), spec: 'resnet:16-32-64x2', testAcc: 0.8, steps: 4, epochs: 2, seconds: 3, backend: 'wasm' };
const starts = (sent: { type: string }[]) => sent.filter((c) => c.type === 'start').length;

describe('loaded datasets in the page', () => {
  it('a link to an absent dataset names it and trains nothing; once loaded with its teacher, Train starts', () => {
    const { store, sent, emit } = fakes(`?dataset=${REF}`);
    expect(store.getState().config.dataset).toBe(REF);
    expect(trainBlocker(store.getState())).toBe('looking for the loaded datasets and teachers…');
    emit({ type: 'datasets', runId: null, datasets: [], builtinTeachers: {}, notice: null });
    expect(trainBlocker(store.getState())).toBe(
      'This link trains on dataset "ghost" (import-0123456789ab; 4 classes, 100 train + 20 test images, 32×32×3), which is not loaded in this browser. Load it with "Load data" (the same files give the same hash).',
    );
    store.getState().train();
    expect(starts(sent)).toBe(0);
    expect(store.getState().status).toBe('idle');

    emit({ type: 'datasets', runId: null, datasets: [stored()], builtinTeachers: {}, notice: null });
    expect(trainBlocker(store.getState())).toBe('No teacher resnet-t is trained on "ghost" yet: press "Train teacher".');
    store.getState().train();
    expect(starts(sent)).toBe(0);

    emit({ type: 'datasets', runId: null, datasets: [stored([teacher])], builtinTeachers: {}, notice: null });
    expect(trainBlocker(store.getState())).toBeNull();
    store.getState().train();
    expect(starts(sent)).toBe(1);
  });

  it('a registry teacher not shipped on a built-in dataset (ResNet-W on Fashion-MNIST) is trained here first', () => {
    const { store, sent, emit } = fakes('?dataset=fashion&teacher=resnet-w');
    emit({ type: 'datasets', runId: null, datasets: [], builtinTeachers: {}, notice: null });
    expect(trainBlocker(store.getState())).toBe('No teacher resnet-w is trained on Fashion-MNIST yet: press "Train teacher".');
    store.getState().train();
    expect(starts(sent)).toBe(0);
    const trained = { ...teacher, key: configTeacherKey({ dataset: 'fashion', teacher: 'resnet-w' }), spec: 'resnet:32-64-128x1' };
    emit({ type: 'datasets', runId: null, datasets: [], builtinTeachers: { fashion: [trained] }, notice: null });
    expect(trainBlocker(store.getState())).toBeNull();
    store.getState().setField('dataset', 'mnist'); // shipped there
    expect(trainBlocker(store.getState())).toBeNull();
  });

  it('an import selects the dataset it loaded; a failed one keeps the config and says why', () => {
    const { store, sent, emit, urls } = fakes();
    const files = [{ path: 'ghost/a/1.png', file: new Blob([]) }];
    store.getState().importData('ghost', files, 32, 3);
    expect(sent.at(-1)).toEqual({ type: 'import-data', requestId: 1, name: 'ghost', files, side: 32, channels: 3 });
    emit({ type: 'import-progress', runId: null, requestId: 1, stage: 'decoding', done: 3, total: 10 });
    expect(store.getState().importing).toMatchObject({ stage: 'decoding', done: 3, total: 10 });
    const report = { ref: REF, manifest: stored().manifest, stored: true, notice: null, seconds: 1.5 };
    emit({ type: 'imported', runId: null, requestId: 1, report });
    expect(store.getState()).toMatchObject({ importing: null, importResult: { ok: true, report } });
    expect(store.getState().config.dataset).toBe(REF);
    expect(urls.at(-1)).toBe(`v=2&dataset=${REF}&seed=1`);

    store.getState().importData('bad', files, 28, 1);
    emit({ type: 'imported', runId: null, requestId: 2, report: null, message: 'bad: one class only ("a"): need at least 2' });
    expect(store.getState().importResult).toEqual({ ok: false, name: 'bad', message: 'bad: one class only ("a"): need at least 2', cancelled: false });
    expect(store.getState().config.dataset).toBe(REF);

    store.getState().importData('big', files, 32, 3);
    store.getState().cancelImport();
    expect(sent.at(-1)).toEqual({ type: 'cancel-import', requestId: 3 });
    emit({ type: 'imported', runId: null, requestId: 3, report: null, cancelled: true, message: 'cancelled after 1.2 s' });
    expect(store.getState()).toMatchObject({ importing: null, importResult: { ok: false, name: 'big', cancelled: true } });
    expect(store.getState().config.dataset).toBe(REF);
  });

  it('a teacher in training blocks Train and a second teacher; its end frees them', () => {
    const { store, sent, emit } = fakes(`?dataset=${REF}`);
    emit({ type: 'datasets', runId: null, datasets: [stored()], builtinTeachers: {}, notice: null });
    store.getState().trainTeacher();
    store.getState().trainTeacher();
    expect(sent.filter((c) => c.type === 'train-teacher')).toHaveLength(1);
    emit({ type: 'teacher-progress', runId: null, dataset: REF, teacher: 'resnet-t', step: 2, steps: 4, loss: 1.2, testAcc: 0.5, seconds: 2, paused: false });
    expect(trainBlocker(store.getState())).toBe('a teacher is training; Train is free once it ends');
    store.getState().pauseTeacher();
    expect(sent.at(-1)).toEqual({ type: 'pause-teacher' });
    emit({ type: 'teacher-progress', runId: null, dataset: REF, teacher: 'resnet-t', step: 2, steps: 4, loss: 1.2, testAcc: 0.5, seconds: 2, paused: true });
    expect(store.getState().teacherTraining).toMatchObject({ step: 2, paused: true });
    expect(trainBlocker(store.getState())).toBe('a teacher is training; Train is free once it ends'); // paused still holds the backend
    store.getState().resumeTeacher();
    expect(sent.at(-1)).toEqual({ type: 'resume-teacher' });
    store.getState().stopTeacher();
    expect(sent.at(-1)).toEqual({ type: 'stop-teacher' });
    emit({ type: 'teacher-done', runId: null, dataset: REF, teacher: 'resnet-t', reason: 'stopped', info: null, message: 'stopped after 2 s; nothing stored' });
    expect(store.getState()).toMatchObject({ teacherTraining: null, teacherResult: { reason: 'stopped' } });
    expect(trainBlocker(store.getState())).toBe('No teacher resnet-t is trained on "ghost" yet: press "Train teacher".');
  });

  it('a teacher spec on a built-in dataset opens from a link, waits for "Train teacher", then trains from the stored one', () => {
    const spec = 'resnet:8-16-32x1';
    const { store, sent, emit, urls } = fakes(`?teacher=${spec}&seed=2`);
    expect(store.getState().config.teacher).toBe(spec);
    expect(store.getState().urlIssues).toEqual([]);
    expect(urls.at(-1)).toContain(`teacher=${spec}`);
    emit({ type: 'datasets', runId: null, datasets: [], builtinTeachers: {}, notice: null });
    expect(trainBlocker(store.getState())).toBe(`No teacher ${spec} is trained on MNIST yet: press "Train teacher".`);
    store.getState().train();
    expect(starts(sent)).toBe(0);
    store.getState().trainTeacher();
    expect(sent.at(-1)).toMatchObject({ type: 'train-teacher', config: { dataset: 'mnist', teacher: spec } });
    const info = { ...teacher, key: configTeacherKey({ dataset: 'mnist', teacher: spec }), spec };
    emit({ type: 'teacher-done', runId: null, dataset: 'mnist', teacher: spec, reason: 'completed', info });
    // A teacher trained on Fashion-MNIST is not MNIST's.
    emit({ type: 'datasets', runId: null, datasets: [], builtinTeachers: { fashion: [{ ...info, key: configTeacherKey({ dataset: 'fashion', teacher: spec }) }] }, notice: null });
    expect(trainBlocker(store.getState())).toMatch(/No teacher .* MNIST yet/);
    emit({ type: 'datasets', runId: null, datasets: [], builtinTeachers: { mnist: [info] }, notice: null });
    expect(trainBlocker(store.getState())).toBeNull();
    store.getState().train();
    expect(starts(sent)).toBe(1);
  });

  it('a shipped teacher trains at once, and its spec is that teacher', () => {
    const { store, sent } = fakes('?teacher=resnet:16-32-64x1');
    expect(store.getState().config.teacher).toBe('resnet-s');
    expect(trainBlocker(store.getState())).toBeNull(); // before the worker lists anything
    store.getState().train();
    expect(starts(sent)).toBe(1);
  });
});
