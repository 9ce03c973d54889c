/** Sanity, not a benchmark: 300 MGD steps on real MNIST with the shipped teacher beat chance by far. */
import { expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../src/core/config';
import { runExperiment } from '../src/core/train/experiment';
import { nodeExperimentDeps } from '../src/node/experimentDeps';

it('300-step MGD on MNIST reaches far above chance', async () => {
  const deps = await nodeExperimentDeps('wasm');
  // A constant lr, as when this bound was set: cosine to 0 over only 300 steps halves the lr the run
  // integrates and lands near 0.6 here (none: 0.70 vs 0.80), which says nothing about MGD itself.
  const config = { ...DEFAULT_CONFIG, method: 'mgd' as const, student: 'resnet-xs', steps: 300, batch: 32, subset: 2000, eval: 100, testSize: 1000, lrSchedule: 'constant' as const };
  const r = await runExperiment(config, deps);
  expect(r.teacherCached).toBe(true);
  expect(r.final.testAcc).toBeGreaterThan(0.8); // chance is 0.1
  const first = r.history.slice(0, 20).reduce((a, m) => a + m.loss, 0) / 20;
  const last = r.history.slice(-20).reduce((a, m) => a + m.loss, 0) / 20;
  expect(last).toBeLessThan(first);
}, 600_000);
