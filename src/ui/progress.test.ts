/** The progress line's numbers: one bar over H-GKD's phases, time left of a run and a batch, the status text. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../core/config';
import type { HgkdPhase } from '../worker/protocol';
import { batchSecondsLeft, formatLeft, overallProgress, phaseText, secondsLeft, statusText, totalSteps } from './progress';

const hgkd = { ...DEFAULT_CONFIG, method: 'hgkd' as const, steps: 10, ftSteps: 300 };

describe('overallProgress', () => {
  it('H-GKD: one bar over distillation, fine-tune and scratch baseline that never goes back', () => {
    // The worker's events count within each phase: 1…10, then 1…300 twice, then the phase-less closing count.
    const events: { step: number; steps: number; phase: HgkdPhase | null; status: 'running' | 'evaluating' }[] = [
      { step: 1, steps: 10, phase: 'distill', status: 'running' },
      { step: 10, steps: 10, phase: 'distill', status: 'running' },
      { step: 1, steps: 300, phase: 'finetune', status: 'running' },
      { step: 300, steps: 300, phase: 'finetune', status: 'evaluating' },
      { step: 1, steps: 300, phase: 'scratch', status: 'running' },
      { step: 300, steps: 300, phase: 'scratch', status: 'evaluating' },
      { step: 10, steps: 10, phase: null, status: 'evaluating' },
    ];
    const done = events.map((e) => overallProgress({ ...e, config: hgkd }));
    expect(done.map((p) => p.done)).toEqual([1, 10, 11, 310, 311, 610, 610]);
    expect(new Set(done.map((p) => p.total))).toEqual(new Set([610]));
    expect(done.map((p) => p.phase?.index ?? null)).toEqual([1, 1, 2, 2, 3, 3, null]);
    const ended = overallProgress({ status: 'done', step: 10, steps: 10, phase: null, config: hgkd, hgkd: { distillSteps: 10, finetuneSteps: 120, scratchSteps: 0 } });
    expect(ended).toMatchObject({ done: 130, total: 610 }); // stopped in the fine-tune
  });

  it('other methods: the step count', () => {
    expect(overallProgress({ status: 'running', step: 7, steps: 300, phase: null, config: DEFAULT_CONFIG })).toEqual({ done: 7, total: 300, phase: null });
    expect(totalSteps(DEFAULT_CONFIG)).toBe(300);
    expect(totalSteps(hgkd)).toBe(610);
  });

  it('names the phase', () => {
    expect(phaseText({ name: 'finetune', index: 2, count: 3 }, 'finetune')).toBe('fine-tune (phase 2 of 3)');
    expect(phaseText({ name: 'finetune', index: 2, count: 3 }, 'linear')).toBe('linear probe (phase 2 of 3)');
  });
});

describe('time left', () => {
  it('of a run: steps left at the current speed', () => {
    expect(secondsLeft({ done: 100, total: 300 }, 4)).toBe(50);
    expect(secondsLeft({ done: 100, total: 300 }, 0)).toBeNull();
    expect(formatLeft(50)).toBe('≈ 50 s left');
    expect(formatLeft(185)).toBe('≈ 3 min 5 s left');
    expect(formatLeft(4320)).toBe('≈ 1 h 12 min left');
  });

  it('of a batch: the current run, then the queued runs at the ended runs\' seconds per step', () => {
    const c = { ...DEFAULT_CONFIG, steps: 100 };
    // Two ended runs of 100 steps took 30 s and 50 s: 0.4 s per step; two more queued.
    const ended = [{ seconds: 30, config: c }, { seconds: 50, config: c }];
    expect(batchSecondsLeft({ currentLeft: 12, queued: [c, c], ended, stepsPerSec: 10 })).toBeCloseTo(12 + 200 * 0.4, 9);
    // Before any run has ended: the current speed.
    expect(batchSecondsLeft({ currentLeft: 12, queued: [c], ended: [], stepsPerSec: 10 })).toBeCloseTo(12 + 10, 9);
    // H-GKD configs count all three phases.
    expect(batchSecondsLeft({ currentLeft: 0, queued: [hgkd], ended: [], stepsPerSec: 1 })).toBe(610);
    expect(batchSecondsLeft({ currentLeft: null, queued: [c], ended: [], stepsPerSec: 0 })).toBeNull();
  });
});

describe('statusText', () => {
  const base = { status: 'starting' as const, backend: null, finalEval: null };
  it('says what a starting run is doing, naming shader compiles on a GPU backend', () => {
    expect(statusText({ ...base, startPhase: 'backend' })).toBe('starting the backend…');
    expect(statusText({ ...base, startPhase: 'loading' })).toBe('loading data and teacher…');
    expect(statusText({ ...base, startPhase: 'first-step', backend: 'webgpu' })).toBe('warm-up: compiling GPU shaders for the first step…');
    expect(statusText({ ...base, startPhase: 'first-step', backend: 'wasm' })).toBe('first step…');
    expect(statusText({ ...base, startPhase: 'teacher-outputs', backend: 'webgpu' })).toMatch(/compiling GPU shaders/);
  });

  it('names the images of the final evaluation', () => {
    expect(statusText({ ...base, status: 'evaluating', startPhase: 'first-step', finalEval: { kind: 'quick', images: 2000 } })).toBe('evaluating on 2,000 test images…');
    expect(statusText({ ...base, status: 'evaluating', startPhase: 'first-step', finalEval: { kind: 'full', images: 10000 } })).toBe('evaluating on 10,000 test images…');
  });
});
