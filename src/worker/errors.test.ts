/** GPU faults map to error kinds that name the cause; a failed read waits briefly for its device's fault; a run's guard races the fault. */
import { describe, expect, it, vi } from 'vitest';
import { DeviceLostError, GpuOutOfMemoryError, describeError, faultGuard, rethrowFault } from './errors';

describe('describeError for GPU faults', () => {
  it('names a lost device, a GPU out-of-memory and an aborted read', () => {
    expect(describeError(new DeviceLostError('destroyed', 'Device was destroyed.'))).toMatchObject({ kind: 'device-lost', message: expect.stringContaining('destroyed') });
    expect(describeError(new GpuOutOfMemoryError('buffer allocation'))).toMatchObject({ kind: 'oom', message: expect.stringContaining('buffer allocation') });
    const abort = new DOMException("Failed to execute 'mapAsync' on 'GPUBuffer': Buffer was unmapped before mapping was resolved.", 'AbortError');
    expect(describeError(abort)).toMatchObject({ kind: 'gpu-read', message: expect.stringContaining('unmapped before mapping') });
    expect(describeError(new DOMException('other', 'OperationError')).kind).toBe('internal');
  });
});

describe('rethrowFault', () => {
  it("throws the device's fault when it follows the failure closely", async () => {
    const lost = new DeviceLostError('destroyed', '');
    const fault = new Promise<Error>((resolve) => setTimeout(() => resolve(lost), 20));
    await expect(rethrowFault(fault, new DOMException('aborted', 'AbortError'))).rejects.toBe(lost);
  });

  it('throws the failure itself when the device stays healthy', async () => {
    const failure = new Error('a shader failed');
    await expect(rethrowFault(new Promise<Error>(() => {}), failure)).rejects.toBe(failure);
  });
});

describe('faultGuard', () => {
  const pending = () => {
    let resolve!: (e: Error) => void;
    const fault = new Promise<Error>((r) => (resolve = r));
    return { fault, resolve };
  };

  it('passes values and failures through while the device is healthy', async () => {
    const guard = faultGuard(pending().fault);
    await expect(guard(Promise.resolve(7))).resolves.toBe(7);
    const failure = new Error('a shader failed');
    await expect(guard(Promise.reject(failure))).rejects.toBe(failure); // after rethrowFault's grace
  });

  it('rejects what is in flight, and what comes later, with the fault', async () => {
    const { fault, resolve } = pending();
    const guard = faultGuard(fault);
    const inFlight = guard(new Promise<number>(() => {}));
    const lost = new DeviceLostError('destroyed', '');
    resolve(lost);
    await expect(inFlight).rejects.toBe(lost);
    await expect(guard(Promise.resolve(1))).rejects.toBe(lost);
  });

  it('adds one reaction to the fault for a whole run, however many calls it guards', async () => {
    const { fault } = pending();
    const then = vi.spyOn(fault, 'then');
    const guard = faultGuard(fault);
    for (let i = 0; i < 1000; i++) await guard(Promise.resolve(i));
    expect(then).toHaveBeenCalledTimes(1); // a Promise.race against the fault per call: 1,000
  });

  it('without a fault (wasm, cpu) it is the promise itself', () => {
    const p = Promise.resolve(1);
    expect(faultGuard(null)(p)).toBe(p);
  });
});
