/** GPU faults map to error kinds that name the cause; a failed read waits briefly for its device's fault. */
import { describe, expect, it } from 'vitest';
import { DeviceLostError, GpuOutOfMemoryError, describeError, rethrowFault } from './errors';

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
