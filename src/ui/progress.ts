/**
 * What the progress line says, as plain functions of the store's numbers (tested in Node): the
 * run's progress over all its phases (H-GKD's three phases fill one bar, so it never jumps
 * back), the status text, and the time left for a run and for a batch of runs.
 */
import type { ExperimentConfig } from '../core/config';
import { methodOf } from '../core/methods';
import { describeFinalEval } from '../core/loop/finalEvalPolicy';
import type { BackendName, FinalEvaluation, HgkdPhase, StartPhase } from '../worker/protocol';
import type { RunStatus } from './store/types';

/** Training steps of a config over all its phases, as its method counts them (H-GKD: distillation, fine-tune, scratch baseline). */
export function totalSteps(c: Pick<ExperimentConfig, 'method' | 'steps' | 'ftSteps'>): number {
  return methodOf(c.method).totalSteps(c);
}

const HGKD_ORDER: readonly HgkdPhase[] = ['distill', 'finetune', 'scratch'];

export interface Progress {
  done: number; // steps done over all phases
  total: number; // steps of all phases
  /** H-GKD: the phase under way, 1-based of 3. */
  phase: { name: HgkdPhase; index: number; count: number } | null;
}

/**
 * Overall progress. `step`/`steps` count within the current phase (the worker's progress
 * events); `phase` is the H-GKD phase they belong to (null for other methods, before the first
 * step and for H-GKD's closing phase-less event).
 */
export function overallProgress(o: {
  status: RunStatus;
  step: number;
  steps: number;
  config: Pick<ExperimentConfig, 'method' | 'steps' | 'ftSteps'>;
  phase: HgkdPhase | null;
  /** An ended H-GKD run's steps per phase (its summary). */
  hgkd?: { distillSteps: number; finetuneSteps: number; scratchSteps: number } | null;
}): Progress {
  if (methodOf(o.config.method).pipeline !== 'hgkd') return { done: o.step, total: o.steps, phase: null };
  const total = totalSteps(o.config);
  if (o.hgkd) return { done: o.hgkd.distillSteps + o.hgkd.finetuneSteps + o.hgkd.scratchSteps, total, phase: null };
  // H-GKD's closing progress event is phase-less: every phase is over.
  if (o.phase === null) return { done: o.status === 'evaluating' ? total : 0, total, phase: null };
  const index = HGKD_ORDER.indexOf(o.phase);
  const before = index === 0 ? 0 : o.config.steps + (index - 1) * o.config.ftSteps;
  return { done: before + o.step, total, phase: { name: o.phase, index: index + 1, count: HGKD_ORDER.length } };
}

/** Seconds left at `stepsPerSec`; null while the rate is unknown. */
export function secondsLeft(p: Pick<Progress, 'done' | 'total'>, stepsPerSec: number): number | null {
  return stepsPerSec > 0 && Number.isFinite(stepsPerSec) ? Math.max(0, p.total - p.done) / stepsPerSec : null;
}

/**
 * Seconds left of a batch: the current run's `currentLeft`, then each run still queued at the
 * seconds per step its ended runs took (their wall time, evaluations included), or at the
 * current rate before any has ended. Null while neither is known.
 */
export function batchSecondsLeft(o: {
  currentLeft: number | null;
  queued: readonly Pick<ExperimentConfig, 'method' | 'steps' | 'ftSteps'>[]; // runs after the current one
  ended: readonly { seconds: number; config: Pick<ExperimentConfig, 'method' | 'steps' | 'ftSteps'> }[];
  stepsPerSec: number;
}): number | null {
  const endedSteps = o.ended.reduce((n, r) => n + totalSteps(r.config), 0);
  const perStep = endedSteps > 0 ? o.ended.reduce((t, r) => t + r.seconds, 0) / endedSteps : o.stepsPerSec > 0 ? 1 / o.stepsPerSec : null;
  if (o.currentLeft === null && perStep === null) return null;
  const later = o.queued.reduce((n, c) => n + totalSteps(c), 0);
  if (later > 0 && perStep === null) return null;
  return (o.currentLeft ?? 0) + later * (perStep ?? 0);
}

/** "≈ 45 s left", "≈ 3 min 5 s left", "≈ 1 h 12 min left". */
export function formatLeft(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `≈ ${s} s left`;
  if (s < 3600) return `≈ ${Math.floor(s / 60)} min ${s % 60} s left`;
  return `≈ ${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min left`;
}

const PHASE_NAMES: Record<HgkdPhase, string> = { distill: 'distillation', finetune: 'fine-tune', scratch: 'scratch baseline' };

/** The phase under way in words: "fine-tune (phase 2 of 3)". */
export function phaseText(p: NonNullable<Progress['phase']>, ftMode: ExperimentConfig['ftMode']): string {
  const name = p.name === 'finetune' && ftMode === 'linear' ? 'linear probe' : PHASE_NAMES[p.name];
  return `${name} (phase ${p.index} of ${p.count})`;
}

const onGpu = (b: BackendName | null) => b === 'webgpu' || b === 'webgl';

/** What the run is doing, for the status line. */
export function statusText(o: {
  status: RunStatus;
  startPhase: StartPhase;
  backend: BackendName | null; // the backend the run got (its `ready`), null before
  finalEval: FinalEvaluation | null;
}): string {
  switch (o.status) {
    case 'idle':
      return 'ready';
    case 'starting':
      switch (o.startPhase) {
        case 'backend':
          return 'starting the backend…';
        case 'loading':
          return 'loading data and teacher…';
        case 'teacher-outputs':
          return onGpu(o.backend) ? 'computing teacher outputs (compiling GPU shaders)…' : 'computing teacher outputs…';
        case 'first-step':
          return onGpu(o.backend) ? 'warm-up: compiling GPU shaders for the first step…' : 'first step…';
      }
      return 'starting…';
    case 'running':
      return 'training';
    case 'paused':
      return 'paused';
    case 'evaluating':
      return o.finalEval ? `evaluating on ${o.finalEval.images.toLocaleString('en-US')} test images…` : 'evaluating…';
    case 'done':
      return 'done';
    case 'failed':
      return 'failed';
  }
}

/** "(quick: 2,000 test images)" after a final accuracy. */
export function finalEvalNote(e: FinalEvaluation | null | undefined): string {
  return e ? `(${describeFinalEval(e)})` : '';
}
