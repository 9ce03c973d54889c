/**
 * The WGSL kernels in a real page on Chromium's WebGPU (SwiftShader here): forward and every
 * gradient of maskedConv2d, sparseConv2d and sparseBatchNorm against their plain-tfjs references
 * (src/bench/parity.ts, the Node tests' data and error measure), within the same tolerance.
 */
import { TOL } from '../src/bench/parityMath';
import type { ParityReport } from '../src/bench/parity';
import { expect, test } from './fixtures';

test('WGSL kernels match their references in the browser, forward and gradients', async ({ page }) => {
  test.setTimeout(120_000); // ~100 pipelines compiled by SwiftShader
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/src/bench/kernels.html');
  await page.waitForFunction(() => window.__kernels !== undefined, null, { timeout: 110_000 });
  const outcome = (await page.evaluate(() => window.__kernels))!;
  test.skip(outcome.adapter === null, 'this browser gives no WebGPU adapter');
  expect(outcome.error).toBeUndefined();
  const report = outcome.result as ParityReport;
  expect(report.kernels).toBe('webgpu');
  // Our shaders ran (not the reference path twice).
  for (const shader of ['masked_conv_forward', 'masked_conv_input_grad', 'masked_conv_filter_grad', 'sparse_conv_compact', 'sparse_conv_forward', 'sparse_conv_input_grad', 'sparse_conv_filter_grad', 'sparse_bn_stats', 'sparse_bn_forward', 'sparse_bn_grad_stats', 'sparse_bn_input_grad']) {
    expect(report.compiled.some((k) => k.startsWith(shader)), shader).toBe(true);
  }
  const ops = new Set(report.checks.map((c) => c.op));
  expect([...ops].sort()).toEqual(['maskedConv2d', 'sparseBatchNorm', 'sparseConv2d']);
  expect(report.checks.length).toBe(4 * (5 + 4) + 2 * 5 + 2 * 4 + 3 * 5); // per case: y and each input's gradient (2 maskedConv2d-only, 2 sparseConv2d-only cases)
  const bad = report.checks.filter((c) => !c.shapeOk || !(c.err <= TOL));
  expect(bad, bad.map((c) => `${c.op} ${c.label} ${c.part}: ${c.err.toExponential(2)}`).join('\n')).toEqual([]);
  expect(errors).toEqual([]);
});
