/**
 * Training on WebGPU. Without a GPU this is Chromium's SwiftShader adapter: real WebGPU, but
 * every shader is compiled and run on the CPU, so the first steps take tens of seconds.
 *
 * Its own Playwright project (see playwright.config.ts), run last in its own browser: when the
 * test ends, the software GPU is still busy with the final evaluation (minutes on SwiftShader,
 * well under a second on a GPU), and the browser that closes with this project takes that work
 * with it instead of stalling the next test's page.
 */
import { expect, expectChartLine, expectFinitePoints, test, tiny } from './fixtures';

test('trains to the final step on WebGPU', async ({ playground: pg }) => {
  test.setTimeout(150_000); // ~40 s on two busy cores; compile-bound, so it barely depends on the config's size
  await pg.open(tiny({ teacher: 'resnet-s', subset: 16, steps: 2, backend: 'webgpu', finalTest: 'full' })); // a long final evaluation, to stop in
  test.skip(!(await pg.hasWebGPU()), 'this browser gives no WebGPU adapter');
  expect(await pg.backend()).toBe('webgpu');
  await pg.button('Train').click();
  // The last point is sent before the final evaluation on the full test set starts.
  await expect(pg.progress()).toHaveAttribute('data-step', '2', { timeout: 140_000 });
  await expectFinitePoints(pg, 2);
  await expectChartLine(pg, 2);
  await expect(pg.badge()).toContainText('webgpu');
  await pg.screenshot('webgpu-trained');
  // Stop is taken during the final evaluation (it ends after the piece in flight).
  await pg.button('Stop').click();
  await expect(pg.button('Stopping…')).toBeVisible();
  expect(pg.consoleErrors).toEqual([]);
});
