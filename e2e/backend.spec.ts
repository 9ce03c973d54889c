/**
 * Backend choice in the worker: the WGSL kernels are installed on WebGPU and reported; `auto`
 * times a training step on each backend and keeps the fastest. Here WebGPU is Chromium's
 * SwiftShader (a CPU emulation): auto leaves it out of the timing as a software adapter and picks wasm.
 */
import { expect, test, tiny } from './fixtures';

test('forced WebGPU runs the custom kernels as WGSL and says so in the badge', async ({ playground: pg }) => {
  test.setTimeout(90_000);
  await pg.open(tiny({ backend: 'webgpu' }));
  test.skip(!(await pg.hasWebGPU()), 'this browser gives no WebGPU adapter');
  expect(await pg.backend()).toBe('webgpu');
  const reported = await pg.reportedBackend();
  expect(reported).toMatchObject({ name: 'webgpu', kernels: 'webgpu', timings: [] });
  await expect(pg.badge()).toHaveAttribute('data-kernels', 'webgpu');
  await expect(pg.badge()).toContainText('WGSL kernels');
  await expect(pg.badge()).toHaveAttribute('title', /fused WGSL/);
  expect(pg.consoleErrors).toEqual([]);
});

test('forced wasm runs the reference kernels and skips the probe', async ({ playground: pg }) => {
  await pg.open(tiny({ backend: 'wasm' }));
  expect(await pg.backend()).toBe('wasm');
  expect(await pg.reportedBackend()).toMatchObject({ name: 'wasm', kernels: 'reference', timings: [] });
  await expect(pg.badge()).toHaveAttribute('data-kernels', 'reference');
  await expect(pg.badge()).not.toContainText('WGSL');
});

test('auto times each backend and keeps the fastest (wasm over software WebGPU)', async ({ playground: pg }) => {
  test.setTimeout(120_000);
  await pg.open(tiny({ steps: 5000 })); // long enough that the Stop below finds it running (a tiny run's quick evaluation ends it in seconds)
  const webgpu = await pg.hasWebGPU();
  const name = await pg.backend();
  const { timings } = (await pg.reportedBackend())!;
  const timed = timings.flatMap((t) => ('msPerStep' in t ? [t] : []));
  expect(timed.length).toBeGreaterThanOrEqual(1);
  for (const t of timed) expect(t.msPerStep).toBeGreaterThan(0);
  // Fastest first, and the winner is the backend in use.
  expect(timed.map((t) => t.msPerStep)).toEqual([...timed.map((t) => t.msPerStep)].sort((a, b) => a - b));
  expect(name).toBe(timed[0].backend);
  expect(timings.map((t) => t.backend)).toContain('wasm');
  if (webgpu) {
    const software = await pg.page.evaluate(async () => {
      const a = await (navigator as Navigator & { gpu: GPU }).gpu.requestAdapter();
      return (a as GPUAdapter & { info?: { isFallbackAdapter?: boolean } }).info?.isFallbackAdapter ?? false;
    });
    const entry = timings.find((t) => t.backend === 'webgpu');
    if (software) {
      // SwiftShader: the GPU emulated on the CPU, far behind wasm's SIMD (and a minute to compile).
      expect(entry).toEqual({ backend: 'webgpu', skipped: expect.stringMatching(/software \(fallback\) adapter/) });
      expect(name).toBe('wasm');
    } else {
      expect(entry).toEqual({ backend: 'webgpu', msPerStep: expect.any(Number) });
    }
  }
  const title = (await pg.badge().getAttribute('title'))!;
  for (const t of timed) expect(title).toContain(`${t.backend} ${t.msPerStep.toFixed(1)} ms/step`);

  // The page's probe timed this config's student; a run with it reuses that decision.
  await pg.button('Train').click();
  await expect.poll(() => pg.step(), { timeout: 60_000 }).toBeGreaterThanOrEqual(1);
  expect((await pg.reportedBackend())!.timings).toEqual(timings);
  await pg.button('Stop').click();
  expect(pg.consoleErrors).toEqual([]);
});
