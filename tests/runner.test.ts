/** The headless runner end to end, as a user runs it: a child process, its stdout and exit code. */
import { describe, expect, it } from 'vitest';
import { rm } from 'node:fs/promises';
import { experiment, lastJson } from './cli';
import { teacherCacheDir } from '../src/node/teacherStore';
import { parseSpec } from '../src/core/models/spec';
import { DATASETS } from '../src/core/data/datasets';

const TINY = 'student=resnet-xs&batch=16&subset=128&steps=6&eval=3&testSize=200';

describe('npm run experiment', () => {
  it('runs a tiny MGD config and prints the result as the last JSON line', async () => {
    const { code, stdout, stderr } = await experiment(['--config', `http://localhost:5173/?${TINY}&method=mgd`, '--json']);
    expect(code, stderr).toBe(0);
    const r = lastJson(stdout);
    expect(r.backend).toBe('wasm');
    expect(r.config.method).toBe('mgd');
    expect(r.history.length).toBe(6);
    expect(r.history[2].testAcc).toBeGreaterThanOrEqual(0);
    for (const k of ['testAcc', 'trainAcc', 'loss', 'taskLoss', 'distillLoss', 'difference']) expect(Number.isFinite(r.final[k])).toBe(true);
    expect(r.stepsPerSec).toBeGreaterThan(0);
    // 6 steps × 16 images: a short run, so the final evaluation is quick, and the output says so.
    expect(r.finalEval).toEqual({ kind: 'quick', images: 200 });
    expect(stdout).toMatch(/^final: test \d+\.\d\d% \(quick: 200 test images\)/m);
  }, 180_000);

  it('--steps and --backend override the config; seeds give mean and sd', async () => {
    // The config asks for cpu; the flag wins (wasm keeps the test fast).
    const { code, stdout, stderr } = await experiment(['--config', `${TINY}&backend=cpu`, '--steps', '3', '--backend', 'wasm', '--seeds', '1,2', '--json']);
    expect(code, stderr).toBe(0);
    const r = lastJson(stdout);
    expect(r.backend).toBe('wasm');
    expect(r.config.steps).toBe(3);
    expect(r.seeds).toEqual([1, 2]);
    expect(r.runs).toHaveLength(2);
    expect(r.mean.testAcc).toBeCloseTo((r.runs[0].final.testAcc + r.runs[1].final.testAcc) / 2, 10);
    expect(r.sd.testAcc).toBeGreaterThanOrEqual(0);
  }, 180_000);

  it('a sweep prints a table and a JSON array, one row per value; methods share the initial weights', async () => {
    const { code, stdout, stderr } = await experiment(['--config', TINY.replace('steps=6', 'steps=2'), '--sweep', 'method=none,mimic', '--json']);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/method\s+test acc %/);
    const rows = lastJson(stdout);
    expect(rows.map((r: { value: string }) => r.value)).toEqual(['none', 'mimic']);
    // Same seed → same student init and first batch → identical task loss at step 1.
    expect(rows[0].runs[0].history[0].taskLoss).toBeCloseTo(rows[1].runs[0].history[0].taskLoss, 6);
  }, 180_000);

  it('a teacher given as a spec is trained once, cached, then reused (self-distillation of any architecture)', async () => {
    const dir = teacherCacheDir('mnist', parseSpec('resnet:4-8x1'), DATASETS.mnist, 0.02);
    await rm(dir, { recursive: true, force: true });
    const args = ['--config', 'teacher=resnet:4-8x1&student=resnet:4-8x1&steps=2&subset=64&batch=16&testSize=100', '--teacher-epochs', '0.02', '--json'];
    const first = await experiment(args);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/not cached, training it/);
    expect(lastJson(first.stdout).config.teacher).toBe('resnet:4-8x1');
    const second = await experiment(args);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/cached in/);
    expect(second.stderr).not.toMatch(/not cached/);
    expect(lastJson(second.stdout).history[0].difference).toBe(lastJson(first.stdout).history[0].difference);
  }, 300_000);

  it.each([
    [['--config', 'alpha=abc'], /alpha/],
    [['--config', 'method=bogus'], /method/],
    [['--config', TINY, '--sweep', 'lambda=0.5,7'], /lambda/],
    [['--config', TINY, '--seeds', 'x'], /seeds/],
    [['--config', TINY, '--backend', 'webgpu'], /backend/],
    [['--nope'], /nope/],
    [['--config', TINY, '--teacher-epochs', '-1'], /teacher-epochs/],
  ])('bad input %j exits 2 naming the field', async (args, pattern) => {
    const { code, stderr } = await experiment(args as string[]);
    expect(code).toBe(2);
    expect(stderr).toMatch(pattern);
  }, 60_000);
});
