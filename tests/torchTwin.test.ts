/** The bench's PyTorch twin: says why when torch is missing, else one positive steps/s per workload and thread count. */
import { describe, expect, it } from 'vitest';
import { torchTwin } from '../scripts/bench/torchTwin';
import { torchMissing } from './pytorchHarness';

describe('PyTorch bench twin', () => {
  it('is unavailable, with the reason, without a python that has torch', async () => {
    const r = await torchTwin({ python: '/nonexistent/python3' });
    expect(r).toEqual({ available: false, reason: expect.stringMatching(/\/nonexistent\/python3 with torch not found/) });
  });
  it.skipIf(torchMissing() !== null)('times the exported models on the requested workloads', async () => {
    const r = await torchTwin({ steps: 1, threads: [1], workloads: ['xs-ce', 'mgd'] });
    if (!r.available) throw new Error(r.reason);
    expect(r.rows.map((x) => [x.workload, x.threads])).toEqual([['xs-ce', 1], ['mgd', 1]]);
    for (const row of r.rows) expect(row.stepsPerSec).toBeGreaterThan(0);
  });
});
