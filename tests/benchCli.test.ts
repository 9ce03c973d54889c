import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// Output shape of `npm run bench -- --quick --json`, not its speed.
describe('npm run bench --quick --json', () => {
  it('ends with one JSON line: a finite positive row per workload, torch figures when torch is present', () => {
    const out = execFileSync('npx', ['tsx', 'scripts/bench.ts', '--quick', '--json'], { encoding: 'utf8', timeout: 600_000 });
    const last = out.trim().split('\n').pop()!;
    const { rows } = JSON.parse(last) as { rows: { backend: string; workload: string; threads: number; stepsPerSec: number; torchStepsPerSec: number | null }[] };
    expect(rows.map((r) => r.workload)).toEqual(['ce', 'mimic', 'mgd', 'mgd-live', 'xs-ce']);
    const torch = !out.includes('PyTorch twin: not run');
    for (const r of rows) {
      expect(r.backend).toBe('wasm');
      expect(r.threads).toBe(1);
      expect(Number.isFinite(r.stepsPerSec) && r.stepsPerSec > 0).toBe(true);
      if (torch) expect(Number.isFinite(r.torchStepsPerSec) && r.torchStepsPerSec! > 0).toBe(true);
      else expect(r.torchStepsPerSec).toBeNull();
    }
  }, 600_000);
});
