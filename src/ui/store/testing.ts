/**
 * Test doubles for the app store: a fake worker client that records the commands it is sent
 * and lets a test emit worker events, a URL port that records what was written, and points.
 */
import type { Command, MetricsPoint, WorkerEvent } from '../../worker/protocol';
import type { RunRepository } from '../persist/runRepository';
import { createAppStore } from './index';
import type { RunClient } from './types';

export function fakes(initialUrl = '', runs?: RunRepository) {
  const sent: Command[] = [];
  const listeners = new Set<(e: WorkerEvent) => void>();
  let runId = 0;
  const client: RunClient = {
    init: (backend) => sent.push({ type: 'init', backend }),
    start: (config) => (sent.push({ type: 'start', runId: ++runId, config }), runId),
    pause: () => sent.push({ type: 'pause' }),
    resume: () => sent.push({ type: 'resume' }),
    step: () => sent.push({ type: 'step' }),
    stop: () => sent.push({ type: 'stop' }),
    set: (param, value) => sent.push({ type: 'set', param, value }),
    snapshot: (index) => sent.push({ type: 'snapshot', index }),
    exportStudent: () => Promise.reject(new Error('no student in the fake client')),
    initialState: () => Promise.reject(new Error('no worker in the fake client')),
    storedTeacher: () => Promise.reject(new Error('no worker in the fake client')),
    data: (command) => sent.push(command),
    subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
  };
  const urls: string[] = [];
  const store = createAppStore({ client, url: { read: () => initialUrl, write: (q) => urls.push(q) }, runs });
  const emit = (e: WorkerEvent) => listeners.forEach((l) => l(e));
  return { store, sent, urls, emit };
}

export const point = (step: number, extra: Partial<MetricsPoint> = {}): MetricsPoint => ({
  step, loss: 1, taskLoss: 0.5, distillLoss: 0.5, featureLoss: 900, difference: 1000, batchAcc: 0.5, trainAcc: 0.5, alpha: 5.6e-4, lambda: 0.5, stepMs: 10, ...extra,
});
