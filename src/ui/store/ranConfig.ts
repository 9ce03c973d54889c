/**
 * The config a run trained with: the config it started with, its live α / λ changes written
 * into its schedules (alphaAt, lambdaAt). It is what the runs table keeps, what a run's link and
 * metrics export carry, and what the form shows once the run is over, so any of them replays the
 * run as it was, changes and all.
 */
import { type ExperimentConfig, withChanges } from '../../core/config';
import type { LiveChange } from '../../worker/protocol';
import { changesFromPoints } from './liveChanges';
import type { AppState } from './types';

/** The run's changes: the worker's record once it has ended, else read off its points. */
export function runChanges(s: Pick<AppState, 'summary' | 'points'>): LiveChange[] {
  return s.summary?.liveChanges ?? changesFromPoints(s.points);
}

/** The latest run's config as trained (null before any run). */
export function ranConfig(s: Pick<AppState, 'runConfig' | 'summary' | 'points' | 'step'>): ExperimentConfig | null {
  return s.runConfig && withChanges(s.runConfig, runChanges(s), s.summary?.steps ?? s.step);
}
