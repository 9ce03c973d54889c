import { describe, expect, it } from 'vitest';
import { MAX_WASM_THREADS, planWasmThreads } from './wasmThreads';

describe('planWasmThreads', () => {
  it('uses one thread per core when the page is cross-origin isolated', () => {
    expect(planWasmThreads({ crossOriginIsolated: true, sharedArrayBuffer: true, cores: 4 })).toEqual({ count: 4, limitedBy: null });
  });

  it('falls back to one thread, saying why, without isolation or SharedArrayBuffer', () => {
    for (const env of [
      { crossOriginIsolated: false, sharedArrayBuffer: true, cores: 8 },
      { crossOriginIsolated: true, sharedArrayBuffer: false, cores: 8 },
    ]) {
      const plan = planWasmThreads(env);
      expect(plan.count).toBe(1);
      expect(plan.limitedBy).toMatch(/not cross-origin isolated/);
    }
  });

  it('caps the count and handles a missing or odd core count', () => {
    expect(planWasmThreads({ crossOriginIsolated: true, sharedArrayBuffer: true, cores: 64 })).toEqual({ count: MAX_WASM_THREADS, limitedBy: expect.stringMatching(/capped/) });
    expect(planWasmThreads({ crossOriginIsolated: true, sharedArrayBuffer: true, cores: NaN }).count).toBe(1);
    expect(planWasmThreads({ crossOriginIsolated: true, sharedArrayBuffer: true, cores: 1 })).toEqual({ count: 1, limitedBy: 'this device reports one core' });
  });
});
