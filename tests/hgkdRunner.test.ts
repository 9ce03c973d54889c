/** H-GKD through the headless runner, as a user runs it: distillation, fine-tuning and the scratch baseline. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diskFetchBytes } from '../src/node/dataSource';
import { nodeMimTeacher } from '../src/node/teacherStore';
import { experiment, lastJson } from './cli';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('npm run experiment -- --config "method=hgkd&…"', () => {
  it('distils (both losses fall), then fine-tunes the student and the scratch baseline', async () => {
    const config = 'method=hgkd&steps=40&ftSteps=10&batch=16&subset=256&queue=128&eval=5&testSize=100';
    const { code, stdout, stderr } = await experiment(['--config', config, '--json']);
    expect(code, stderr).toBe(0);
    const r = lastJson(stdout);
    const d = r.hgkd.distill.history as { step: number; mse: number; simLoss: number; pearson: number; queueFill: number }[];
    expect(d.map((m) => m.step)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    const first = d.slice(0, 5);
    const last = d.slice(-5);
    expect(mean(last.map((m) => m.mse))).toBeLessThan(0.8 * mean(first.map((m) => m.mse)));
    expect(mean(last.map((m) => m.simLoss))).toBeLessThan(0.8 * mean(first.map((m) => m.simLoss)));
    expect(d[d.length - 1].queueFill).toBe(128);
    for (const phase of [r.hgkd.finetune, r.hgkd.scratch]) {
      expect(phase.mode).toBe('finetune');
      expect(phase.history.map((m: { step: number }) => m.step)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
      expect(phase.history[4].testAcc).toBeGreaterThanOrEqual(0); // periodic evaluation every 5 steps
      expect(phase.testAcc).toBeGreaterThan(0);
      expect(phase.testAcc).toBeLessThanOrEqual(1);
    }
    // H-GKD's own measures, each named: no feature difference or task loss standing in for them.
    expect(Object.keys(r.final).sort()).toEqual(['distillLoss', 'finetuneLoss', 'mse', 'pipeline', 'scratchAcc', 'testAcc', 'trainAcc']);
    expect(r.final).toMatchObject({ pipeline: 'hgkd', testAcc: r.hgkd.finetune.testAcc, scratchAcc: r.hgkd.scratch.testAcc, mse: r.hgkd.distill.last.mse, finetuneLoss: r.hgkd.finetune.loss });
    expect(stdout).toMatch(/^final: test [\d.]+% \(.*\) scratch [\d.]+% train [\d.]+% distillation mse [\d.]+ fine-tune loss [\d.]+/m);
    expect(stdout).toMatch(/distill: first step mse [\d.]+ sim [\d.]+ r [-\d.]+ → last step/);
    expect(stdout).toMatch(/finetune: distilled student test [\d.]+% .* vs scratch baseline [\d.]+%/);
  }, 900_000);

  it('says which MIM teacher is missing rather than crashing', async () => {
    // Both datasets' teachers are shipped: an empty folder stands in for a checkout without one.
    const empty = mkdtempSync(join(tmpdir(), 'no-teachers-'));
    await expect(nodeMimTeacher('fashion', 'vit-mim', diskFetchBytes(empty))).rejects.toThrow(
      /no MIM teacher fashion\/vit-mim is shipped: train it with npm run train:mim-teacher -- --dataset fashion/,
    );
  });

  it('rejects a student H-GKD cannot use, naming the field (exit 2)', async () => {
    const { code, stderr } = await experiment(['--config', 'method=hgkd&student=mobilenet-s']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/student/);
  });
});
