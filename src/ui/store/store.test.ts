/** The app store with a fake worker client and URL: a fresh store per test. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, encodeConfig } from '../../core/config';
import type { MetricsPoint, RunSummary } from '../../worker/protocol';
import { DISPLAY_POINTS, MAX_POINTS, appendThinned, displayBound, forDisplay } from './series';
import { fakes, point } from './testing';

describe('experiment slice', () => {
  it('loads the config from the URL, lists rejected values, writes the URL back, asks for the loaded datasets and starts the backend', () => {
    const { store, sent, urls } = fakes('?v=2&batch=banana&method=kd&backend=wasm&colour=red');
    const s = store.getState();
    expect(s.config).toMatchObject({ method: 'kd', batch: DEFAULT_CONFIG.batch, backend: 'wasm' });
    expect(s.urlIssues.map((i) => [i.field, i.level])).toEqual([['batch', 'error'], ['colour', 'warning']]);
    expect(urls).toEqual(['v=2&method=kd&seed=1&backend=wasm']);
    expect(sent).toEqual([{ type: 'list-datasets' }, { type: 'init', backend: 'wasm' }]);
  });

  it('a valid edit changes the config and the URL; an invalid one is kept as a field error', () => {
    const { store, urls } = fakes();
    store.getState().setField('batch', '32');
    expect(store.getState().config.batch).toBe(32);
    expect(urls.at(-1)).toBe('v=2&batch=32&seed=1');
    store.getState().setField('batch', '0');
    expect(store.getState().config.batch).toBe(32);
    expect(store.getState().fieldErrors.batch).toMatch(/≥ 1/);
    store.getState().setField('batch', '16');
    expect(store.getState().fieldErrors.batch).toBeUndefined();
  });

  it('text fields normalise; a changed backend is brought up', () => {
    const { store, sent } = fakes();
    store.getState().setField('gen', '3x5');
    expect(store.getState().config.gen).toEqual({ convs: 3, kernel: 5 });
    store.getState().setField('backend', 'cpu');
    expect(sent.at(-1)).toEqual({ type: 'init', backend: 'cpu' });
  });

  it('presets edit the config and keep the rest', () => {
    const { store, urls } = fakes('?v=2&steps=50&seed=4');
    store.getState().applyPreset('kd-baseline');
    expect(store.getState().config).toMatchObject({ method: 'kd', kdT: 4, kdW: 1, steps: 50, seed: 4 });
    expect(urls.at(-1)).toBe(encodeConfig(store.getState().config));
  });
});

describe('run slice', () => {
  const summary: RunSummary = {
    pipeline: 'distill', reason: 'completed', steps: 2, testAcc: 0.9, trainAcc: 0.8, loss: 1, stepsPerSec: 10, seconds: 1, teacherCached: true, alphaHint: null, liveChanges: [],
  };

  it('follows the worker: starting → running → evaluating → done, the final accuracy on the last point', () => {
    const { store, sent, emit } = fakes();
    store.getState().train();
    expect(store.getState().status).toBe('starting');
    expect(sent.at(-1)).toMatchObject({ type: 'start', config: store.getState().config });
    emit({ type: 'ready', runId: 1, backend: 'webgpu', adapter: { vendor: 'v', architecture: 'a', isFallback: false }, kernels: 'webgpu', timings: [] });
    emit({ type: 'progress', runId: 1, pipeline: 'distill', points: [point(1)], step: 1, steps: 2, stepsPerSec: 5, state: 'running' });
    expect(store.getState()).toMatchObject({ status: 'running', step: 1, stepsPerSec: 5, backend: { name: 'webgpu' } });
    emit({ type: 'progress', runId: 1, pipeline: 'distill', points: [point(2)], step: 2, steps: 2, stepsPerSec: 5, state: 'evaluating' });
    emit({ type: 'done', runId: 1, summary });
    const s = store.getState();
    expect(s.status).toBe('done');
    expect(s.points.map((p) => p.testAcc)).toEqual([undefined, 0.9]);
  });

  it('pause shows once confirmed; α edits go to the worker only during a run', () => {
    const { store, sent, emit } = fakes();
    store.getState().setField('alpha', '0.001');
    expect(sent.some((c) => c.type === 'set')).toBe(false);
    store.getState().train();
    emit({ type: 'progress', runId: 1, pipeline: 'distill', points: [point(1)], step: 1, steps: 300, stepsPerSec: 5, state: 'running' });
    store.getState().pause();
    expect(store.getState()).toMatchObject({ status: 'running', pending: 'pause' });
    emit({ type: 'progress', runId: 1, pipeline: 'distill', points: [], step: 1, steps: 300, stepsPerSec: 5, state: 'paused' });
    expect(store.getState()).toMatchObject({ status: 'paused', pending: null });
    store.getState().setField('alpha', '0.002');
    store.getState().setField('batch', '8'); // not live: changes the config only
    expect(sent.filter((c) => c.type === 'set')).toEqual([{ type: 'set', param: 'alpha', value: 0.002 }]);
  });

  it('an error ends the run and shows; a new Train clears it', () => {
    const { store, emit } = fakes();
    store.getState().train();
    emit({ type: 'error', runId: 1, kind: 'nan', message: 'the loss became NaN at step 3' });
    expect(store.getState()).toMatchObject({ status: 'failed', error: { kind: 'nan' } });
    store.getState().train();
    expect(store.getState()).toMatchObject({ status: 'starting', error: null });
  });

  it('keeps the α helper, the test-set size and the latest feature snapshot; the image choice goes to the worker', () => {
    const { store, sent, emit } = fakes();
    store.getState().train();
    emit({ type: 'prepared', runId: 1, alphaHint: 1.5e-4, teacherCached: true, testCount: 10000, finalEval: { kind: 'quick', images: 2000 } });
    const snapshot = { index: 0, label: 7, stage: 3, maps: [] };
    emit({ type: 'features', runId: 1, step: 4, snapshot });
    expect(store.getState()).toMatchObject({ alphaHint: 1.5e-4, testCount: 10000, features: { step: 4, snapshot } });
    store.getState().chooseImage(42);
    expect(store.getState().snapshotIndex).toBe(42);
    expect(sent.at(-1)).toEqual({ type: 'snapshot', index: 42 });
    store.getState().train(); // a new run starts without the old run's snapshot and hint
    expect(store.getState()).toMatchObject({ alphaHint: null, features: null, testCount: 10000, snapshotIndex: 42 });
  });

  it('an init error outside a run shows without changing the status', () => {
    const { store, emit } = fakes();
    emit({ type: 'error', runId: null, kind: 'backend', message: 'backend webgpu is not available here' });
    expect(store.getState()).toMatchObject({ status: 'idle', error: { kind: 'backend' } });
  });
});

describe('series', () => {
  it('stays bounded, keeps evaluation points and the newest', () => {
    let pts: MetricsPoint[] = [];
    for (let s = 1; s <= 10 * MAX_POINTS; s += 10) {
      pts = appendThinned(pts, Array.from({ length: 10 }, (_, k) => point(s + k, (s + k) % 500 === 0 ? { testAcc: 0.5 } : {})));
    }
    expect(pts.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(pts.filter((p) => p.testAcc !== undefined)).toHaveLength((10 * MAX_POINTS) / 500);
    expect(pts.at(-1)!.step).toBe(10 * MAX_POINTS);
    expect(pts.map((p) => p.step)).toEqual([...pts.map((p) => p.step)].sort((a, b) => a - b));
  });

  it('draws at most ~150 points, keeping evaluation points and the newest', () => {
    const pts = Array.from({ length: 1000 }, (_, i) => point(i + 1, i === 500 ? { testAcc: 0.5 } : {}));
    const shown = forDisplay(pts);
    expect(shown.length).toBeLessThanOrEqual(151);
    expect(shown.some((p) => p.testAcc === 0.5)).toBe(true);
    expect(shown.at(-1)!.step).toBe(1000);
    expect(forDisplay(pts.slice(0, 10))).toHaveLength(10);
  });

  it('stays bounded when most points are evaluation points (eval=1 on a 100k-step run)', () => {
    let pts: MetricsPoint[] = [];
    const steps = 20 * MAX_POINTS;
    for (let s = 1; s <= steps; s += 20) pts = appendThinned(pts, Array.from({ length: 20 }, (_, k) => point(s + k, { testAcc: 0.5 })));
    expect(pts.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(pts.length).toBeGreaterThanOrEqual(MAX_POINTS / 2); // thinned, not emptied
    expect(pts[0].step).toBe(1);
    expect(pts.at(-1)!.step).toBe(steps);
    const shown = forDisplay(pts);
    expect(shown.length).toBeLessThanOrEqual(displayBound());
    expect(shown.length).toBeGreaterThanOrEqual(DISPLAY_POINTS);
    expect(shown.at(-1)!.step).toBe(steps);
  });
});
