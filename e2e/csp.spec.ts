/**
 * The production build under its Content-Security-Policy (build/contentSecurityPolicy.ts): the
 * policy arrives as a header and as the page's first meta tag, it is enforced (eval and inline
 * script are refused, and the test sees the refusals), and a run trains on threaded wasm and
 * every export downloads with no violation reported by the page or its workers.
 */
import type { Page } from '@playwright/test';
import { CONTENT_SECURITY_POLICY, META_CONTENT_SECURITY_POLICY } from '../build/contentSecurityPolicy';
import { expect, test, tiny } from './fixtures';
import { colourCounts } from './pngColours';
import { type ProductionSite, productionSite } from './productionSite';

declare global {
  interface Window {
    __violations?: string[];
  }
}

/** Installed before the page loads: every violation the page reports, as "directive: blocked URI at source:line:column". */
function recordViolations(): void {
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__violations!.push(`${e.effectiveDirective}: ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`));
}

const violations = (page: Page) => page.evaluate(() => window.__violations!);

let site: ProductionSite | undefined;
test.beforeAll(async () => {
  test.setTimeout(180_000); // a build on two busy cores
  site = await productionSite();
});
test.afterAll(async () => {
  await site?.close();
});

test('under the strict policy the page trains on threaded wasm and exports, with no violation', async ({ playground: pg }) => {
  test.setTimeout(120_000);
  await pg.page.addInitScript(recordViolations);
  const response = await pg.page.goto(site!.url(tiny({ backend: 'wasm', steps: 4, teacher: 'resnet-s', seed: 3 })));
  expect(response!.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  const meta = pg.page.locator('head > meta[http-equiv="Content-Security-Policy"]');
  await expect(meta).toHaveAttribute('content', META_CONTENT_SECURITY_POLICY);
  expect(await pg.page.evaluate(() => document.head.firstElementChild?.getAttribute('http-equiv'))).toBe('Content-Security-Policy');

  // Enforced, and the recorder sees it: eval is refused, an inline script does not run.
  // (Code evaluated by the test is exempt from the policy, so the eval probe runs from a blob script, as the pthreads' code does.)
  const refused = await pg.page.evaluate(async () => {
    const run = (code: string, src?: string) =>
      new Promise<void>((resolve) => {
        const s = document.createElement('script');
        if (src) s.src = src;
        else s.textContent = code;
        s.onload = s.onerror = () => resolve();
        document.body.append(s);
        if (!src) setTimeout(resolve, 50);
      });
    const probe = "try { new Function('return 1')(); window.__evalRefused = false; } catch (e) { window.__evalRefused = e instanceof EvalError; }";
    await run('', URL.createObjectURL(new Blob([probe], { type: 'text/javascript' })));
    await run('window.__inlineRan = true');
    const w = window as { __evalRefused?: boolean; __inlineRan?: boolean };
    return { evalRefused: w.__evalRefused, inlineRan: w.__inlineRan === true };
  });
  expect(refused).toEqual({ evalRefused: true, inlineRan: false });
  const what = async () => [...new Set((await violations(pg.page)).map((v) => v.split(' at ')[0]))].sort();
  await expect.poll(what).toEqual(['script-src-elem: inline', 'script-src: eval']);
  await pg.page.evaluate(() => (window.__violations = []));
  pg.consoleErrors.length = 0; // the two refusals above log errors of their own

  expect(await pg.backend()).toBe('wasm');
  await expect(pg.badge()).toHaveAttribute('data-threads', String(Math.min(await pg.page.evaluate(() => navigator.hardwareConcurrency), 8)));
  await pg.trainToEnd();
  await expect(pg.progress()).toHaveAttribute('data-status', 'done');

  const files = [
    ...(await pg.downloads(() => pg.button('Student model').click(), 2)),
    ...(await pg.downloads(() => pg.button('Student ONNX').click())),
    ...(await pg.downloads(() => pg.button('Student tfjs Layers').click(), 2)),
    ...(await pg.downloads(() => pg.button('Teacher ONNX').click())),
    ...(await pg.downloads(() => pg.button('Metrics JSON').click())),
    ...(await pg.downloads(() => pg.button('Charts PNG').click())),
    ...(await pg.downloads(() => pg.button('Open in PyTorch').click())),
  ];
  for (const f of files) expect(f.bytes.length, f.name).toBeGreaterThan(100);
  // The charts PNG keeps its colours: its styles are written through CSSOM, which the policy allows.
  const png = files.find((f) => f.name.endsWith('.png'))!;
  const series = ['--series-task', '--series-distill', '--series-difference', '--series-train'];
  const counts = await colourCounts(pg.page, png.bytes, series);
  for (const v of series) expect(counts[v], v).toBeGreaterThan(40);
  expect(await violations(pg.page)).toEqual([]);
  expect(pg.consoleErrors).toEqual([]); // the page's and its workers' (a refusal in a worker logs here)
});
