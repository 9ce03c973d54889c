/** auto's backend probe against fake backends on a fake clock: warm-up excluded, fastest kept, failures reported, one probe per key. */
import { describe, expect, it } from 'vitest';
import { LOSING_FACTOR, ProbeCache, TIMED_STEPS, WARMUP_BUDGET_MS, WARMUP_STEPS, fastest, timeBackends, type ProbeDeps } from './backendProbe';
import type { BackendName } from './protocol';

interface FakeBackend {
  startFails?: string;
  stepFails?: string;
  hangs?: boolean; // the warm-up step never finishes
  warmupMs: number; // the first step: shader compilation
  stepMs: number[]; // the timed steps, in order
}

/** Each step advances a fake clock by the active backend's next duration; records what ran. */
function fakes(backends: Partial<Record<BackendName, FakeBackend>>) {
  let clock = 0;
  let active: BackendName | null = null;
  const log: string[] = [];
  let disposed = 0;
  const sleeps: number[] = [];
  const deps: ProbeDeps = {
    async activate(name) {
      const b = backends[name];
      if (!b) return 'not registered';
      if (b.startFails) return b.startFails;
      active = name;
      return null;
    },
    workload() {
      const b = backends[active!]!;
      const name = active!;
      let steps = 0;
      return {
        async step() {
          if (b.stepFails) throw new Error(b.stepFails);
          if (b.hangs) return new Promise<void>(() => {});
          clock += steps === 0 ? b.warmupMs : b.stepMs[steps - 1];
          log.push(`${name}#${steps++}`);
        },
        dispose: () => void disposed++,
      };
    },
    now: () => clock,
    // A real timer (never clock time): it only ever fires first for a step that hangs.
    sleep: (ms) => {
      sleeps.push(ms);
      return new Promise((resolve) => setTimeout(resolve, 0));
    },
  };
  return { deps, log, sleeps, disposed: () => disposed };
}

describe('timeBackends', () => {
  it('excludes the warm-up step, takes the faster timed step and ranks fastest first', async () => {
    const f = fakes({
      wasm: { warmupMs: 50, stepMs: [40, 45] },
      webgpu: { warmupMs: 900, stepMs: [100, 110] }, // slower, but within LOSING_FACTOR of wasm
      webgl: { warmupMs: 3000, stepMs: [60, 30] }, // slow to compile, fastest when warm
    });
    const timings = await timeBackends(['wasm', 'webgpu', 'webgl'], f.deps);
    expect(timings).toEqual([
      { backend: 'webgl', msPerStep: 30 },
      { backend: 'wasm', msPerStep: 40 },
      { backend: 'webgpu', msPerStep: 100 },
    ]);
    expect(fastest(timings)).toBe('webgl');
    expect(f.log.filter((s) => s.startsWith('wasm'))).toHaveLength(WARMUP_STEPS + TIMED_STEPS);
    expect(f.disposed()).toBe(3);
    // Budgets: the warm-up's fixed one; timed steps LOSING_FACTOR × the best so far (none at first).
    expect(f.sleeps).toEqual([WARMUP_BUDGET_MS, WARMUP_BUDGET_MS, 120, 120, WARMUP_BUDGET_MS, 120, 120]);
  });

  it('abandons a backend over budget: a warm-up that hangs or overruns, a losing timed step', async () => {
    const f = fakes({
      wasm: { warmupMs: 50, stepMs: [100, 100] },
      webgpu: { warmupMs: 0, stepMs: [], hangs: true }, // SwiftShader compiling for a minute
      webgl: { warmupMs: WARMUP_BUDGET_MS + 1, stepMs: [1, 1] }, // a blocking compile: measured after the fact
      cpu: { warmupMs: 10, stepMs: [LOSING_FACTOR * 100 + 1, 1] }, // lost at its first timed step
    });
    const timings = await timeBackends(['wasm', 'webgpu', 'webgl', 'cpu'], f.deps);
    expect(timings).toEqual([
      { backend: 'wasm', msPerStep: 100 },
      { backend: 'webgpu', skipped: `too slow: the warm-up step (shader compilation) took over ${WARMUP_BUDGET_MS} ms` },
      { backend: 'webgl', skipped: `too slow: the warm-up step (shader compilation) took over ${WARMUP_BUDGET_MS} ms` },
      { backend: 'cpu', skipped: `too slow: a timed step took over ${LOSING_FACTOR * 100} ms` },
    ]);
    expect(f.log).not.toContain('cpu#2'); // no second timed step once lost
    await new Promise((r) => setTimeout(r, 0));
    expect(f.disposed()).toBe(3); // the hung step's workload waits for it to settle
  });

  it('reports backends that cannot start or whose step throws, and picks among the rest', async () => {
    const f = fakes({
      webgpu: { warmupMs: 1, stepMs: [1, 1], stepFails: 'GPU out of memory' },
      wasm: { warmupMs: 1, stepMs: [20, 20] },
      webgl: { startFails: 'no WebGL2 context', warmupMs: 1, stepMs: [1, 1] },
    });
    const timings = await timeBackends(['wasm', 'webgpu', 'webgl'], f.deps);
    expect(timings).toEqual([
      { backend: 'wasm', msPerStep: 20 },
      { backend: 'webgpu', skipped: 'its step failed: GPU out of memory' },
      { backend: 'webgl', skipped: 'could not start: no WebGL2 context' },
    ]);
    expect(fastest(timings)).toBe('wasm');
    expect(f.disposed()).toBe(2); // the failed step's workload too
  });

  it('keeps the order of preference on a tie, and has no winner when nothing runs', async () => {
    const tie = fakes({ webgpu: { warmupMs: 1, stepMs: [5, 5] }, wasm: { warmupMs: 1, stepMs: [5, 5] } });
    expect(fastest(await timeBackends(['webgpu', 'wasm'], tie.deps))).toBe('webgpu');
    const none = fakes({ wasm: { startFails: 'no wasm', warmupMs: 0, stepMs: [] } });
    const timings = await timeBackends(['wasm', 'webgl'], none.deps);
    expect(timings).toEqual([{ backend: 'wasm', skipped: 'could not start: no wasm' }, { backend: 'webgl', skipped: 'could not start: not registered' }]);
    expect(fastest(timings)).toBeNull();
  });
});

describe('ProbeCache', () => {
  it('probes once per key and again after a failed probe', async () => {
    const cache = new ProbeCache();
    let probes = 0;
    const probe = async () => {
      probes++;
      return [{ backend: 'wasm' as const, msPerStep: probes }];
    };
    const [a, b] = await Promise.all([cache.get('resnet-s|mnist|16', probe), cache.get('resnet-s|mnist|16', probe)]);
    expect(a).toBe(b);
    expect(probes).toBe(1);
    await cache.get('resnet-xs|mnist|8', probe);
    expect(probes).toBe(2);

    const failing = cache.get('broken', async () => Promise.reject(new Error('adapter vanished')));
    await expect(failing).rejects.toThrow('adapter vanished');
    expect(await cache.get('broken', probe)).toEqual([{ backend: 'wasm', msPerStep: 3 }]);
  });
});
