/** The runs file: a round trip keeps every run (NaN losses included); hostile files are refused or cleaned, field by field, with a message. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../core/config';
import { MAX_RUNS_PER_FILE, RUNS_FILE_FORMAT, readRunsFile, writeRunsFile } from './runsFile';
import { RECORD_VERSION, toRecord } from './runRecord';
import { savedRun } from './testRuns';

const file = (runs: unknown[], extra: object = {}) => JSON.stringify({ format: RUNS_FILE_FORMAT, version: 1, exportedAt: 1, runs, ...extra });
const record = (run: object) => ({ version: RECORD_VERSION, run });

describe('runs file', () => {
  it('round trip: every run back, NaN and ±Infinity included, with fresh ids and labels after the kept runs, not overlaid', () => {
    const diverged = savedRun(2, { selected: true, points: savedRun(2).points.map((p, i) => ({ ...p, loss: [Number.NaN, Infinity, -Infinity][i] })) });
    const hgkd = savedRun(3, { config: { ...DEFAULT_CONFIG, method: 'hgkd', student: 'resnet:8-16x1', steps: 3 }, metrics: { pipeline: 'hgkd', scratchAcc: 0.4, mse: 0.2 }, points: [] });
    const runs = [savedRun(1), diverged, hgkd];
    const text = writeRunsFile(runs);
    const { runs: back, message } = readRunsFile(text, [savedRun(7)], 1234);
    expect(message).toBe('Imported 3 of 3 runs.');
    expect(back.map((r) => r.label)).toEqual([8, 9, 10]);
    expect(new Set(back.map((r) => r.id)).size).toBe(3);
    expect(back.every((r) => !r.selected)).toBe(true);
    const strip = ({ id: _i, label: _l, selected: _s, ...r }: (typeof runs)[number]) => r;
    expect(back.map(strip)).toEqual(runs.map(strip));
    expect(back[1].points.map((p) => p.loss)).toEqual([Number.NaN, Infinity, -Infinity]);
  });

  it.each([
    ['not JSON', '{"format": ', 'the file is not JSON'],
    ['another JSON file', JSON.stringify({ hello: 1 }), 'not a runs file of this playground'],
    ['a newer file version', file([], { version: 2 }), 'a newer version of the playground'],
    ['runs not a list', file([], { runs: { 0: 1 } }), 'the file is damaged'],
    ['too many runs', file(Array.from({ length: MAX_RUNS_PER_FILE + 1 }, () => 0)), `over the limit of ${MAX_RUNS_PER_FILE}`],
  ])('refuses %s, naming why', (_, text, why) => {
    const r = readRunsFile(text, []);
    expect(r.runs).toEqual([]);
    expect(r.message).toContain('No runs imported');
    expect(r.message).toContain(why);
  });

  it('rejects bad runs by position and keeps the good ones: huge arrays, foreign records, out-of-range configs, newer records', () => {
    const good = toRecord(savedRun(1));
    const huge = record({ ...savedRun(2), points: Array.from({ length: 5001 }, () => savedRun(2).points[0]) });
    const foreign = { version: RECORD_VERSION, run: { id: 'x', points: '<img src=x onerror=alert(1)>' } };
    const badConfig = record({ ...savedRun(3), config: { ...DEFAULT_CONFIG, alpha: 1e9 } });
    const wrongPipeline = record({ ...savedRun(4), metrics: { pipeline: 'hgkd', scratchAcc: 0.1, mse: 1 } });
    const newer = { version: RECORD_VERSION + 1, run: savedRun(5) };
    const r = readRunsFile(file([good, huge, foreign, badConfig, wrongPipeline, newer]), []);
    expect(r.runs.map((x) => x.label)).toEqual([1]);
    expect(r.message).toBe('Imported 1 of 6 runs. Rejected 5: #2 (damaged or not a run); #3 (damaged or not a run); #4 (damaged or not a run); #5 (damaged or not a run); #6 (saved by a newer version).');
  });

  it('cleans numbers the page would misread (accuracies outside [0, 1], negative speeds), naming each field', () => {
    const odd = savedRun(1, { testAcc: Number.NaN, trainAcc: 7, stepsPerSec: -3, seconds: Infinity });
    const r = readRunsFile(writeRunsFile([odd]), []);
    expect(r.runs[0]).toMatchObject({ testAcc: null, trainAcc: null, stepsPerSec: null, seconds: 0 });
    expect(r.message).toBe('Imported 1 of 1 runs. Cleaned 1: #1 (test acc NaN is not an accuracy, train acc 7 is not an accuracy, steps/s -3, time Infinity).');
  });

  it('prototype-pollution keys are dropped, markup stays inert text, long text is cut', () => {
    const hostile = JSON.stringify({ ...toRecord(savedRun(1, { error: `<script>alert(1)</script>${'x'.repeat(600)}` })) });
    const withProto = hostile.replace('"config":{', '"config":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},');
    const text = `{"format":"${RUNS_FILE_FORMAT}","version":1,"__proto__":{"polluted":true},"runs":[${withProto}]}`;
    const r = readRunsFile(text, []);
    expect(r.runs).toHaveLength(1);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(r.runs[0].config)).toBe(Object.prototype);
    expect(Object.keys(r.runs[0].config)).not.toContain('__proto__');
    expect(r.runs[0].error).toBe(`<script>alert(1)</script>${'x'.repeat(500 - 25)}`);
    expect(r.message).toContain('error text cut');
  });
});
