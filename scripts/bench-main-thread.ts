/**
 * npm run bench:main-thread [-- --seconds 20] [--dev] [--trace] [--config <query>]
 *
 * Long tasks on the page's main thread while a run trains: builds the production page (or, with
 * --dev, uses Vite's dev server, whose React and recharts builds are several times slower),
 * opens it in headless Chromium (the flags of playwright.config.ts), trains a tiny MGD run on
 * wasm (or the run of --config, a playground query string) and prints every long task
 * (PerformanceObserver 'longtask', > 50 ms) seen while it trains.
 * --trace records a Chrome trace of the same window (unminified build) and prints what each long
 * task ran (scripts/bench/longTaskTrace.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { build, createServer, preview } from 'vite';
import playwrightConfig from '../playwright.config';
import { type LongTaskReport, longTasks, TRACE_CATEGORIES, taskCpuProfile } from './bench/longTaskTrace';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    dev: { type: 'boolean', default: false },
    trace: { type: 'boolean', default: false },
    config: { type: 'string', default: 'student=resnet-xs&batch=8&subset=64&steps=5000&eval=1000&testSize=100&backend=wasm&method=mgd' },
  },
});
const seconds = Number(args.seconds);
if (!(seconds > 0)) {
  console.error('--seconds must be a positive number');
  process.exit(2);
}
const server = { host: '127.0.0.1', port: 0, strictPort: false };

/** Serves the page: a production build in a temporary folder, or the dev server. */
async function serve(): Promise<{ url: string; close: () => Promise<void> }> {
  if (args.dev) {
    const dev = await createServer({ server: { ...server, hmr: false, watch: null }, logLevel: 'warn' });
    await dev.listen();
    return { url: dev.resolvedUrls!.local[0], close: () => dev.close() };
  }
  const outDir = mkdtempSync(join(tmpdir(), 'distill-build-'));
  // Unminified when tracing, so the profile names functions.
  await build({ build: { outDir, minify: !args.trace }, logLevel: 'warn' });
  const prod = await preview({ build: { outDir }, preview: server, logLevel: 'warn' });
  return { url: prod.resolvedUrls!.local[0], close: async () => { await prod.close(); rmSync(outDir, { recursive: true }); } };
}

/** Each traced long task (entry point, rendering phases, measures it overlaps, top self time), then self time summed over all of them. */
function printTrace(reports: LongTaskReport[]): void {
  const total = new Map<string, number>();
  for (const r of reports) {
    console.log(`\n${r.durationMs} ms (CPU ${r.cpuMs} ms) at ${r.startMs} ms: ${r.entry}; phases ${JSON.stringify(r.phasesMs)}; measures [${r.marks.join(', ')}]`);
    for (const [fn, ms] of r.topSelfMs) {
      console.log(`    ${String(ms).padStart(4)} ms  ${fn}`);
      total.set(fn, (total.get(fn) ?? 0) + ms);
    }
  }
  console.log(`\n${reports.length} traced long tasks; self time in their top functions, summed:`);
  for (const [fn, ms] of [...total].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${String(ms).padStart(5)} ms  ${fn}`);
}

async function main(): Promise<void> {
  const site = await serve();
  const browser = await chromium.launch({ ...playwrightConfig.use?.launchOptions, headless: true });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript(() => {
      const w = window as unknown as { __longTasks: number[] };
      w.__longTasks = [];
      new PerformanceObserver((l) => l.getEntries().forEach((e) => w.__longTasks.push(Math.round(e.duration)))).observe({ type: 'longtask' });
    });
    await page.goto(`${site.url}?${args.config}`);
    await page.getByTestId('backend-badge').waitFor();
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="progress"]')?.getAttribute('data-step')) >= 1, null, { timeout: 60_000 });
    await page.evaluate(() => ((window as unknown as { __longTasks: number[] }).__longTasks = [])); // start-up is not an update
    if (args.trace) await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    await page.waitForTimeout(seconds * 1000);
    const trace = args.trace ? JSON.parse((await browser.stopTracing()).toString()) : null;
    const steps = Number(await page.getByTestId('progress').getAttribute('data-step'));
    const tasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
    console.log(`${args.dev ? 'dev server' : 'production build'}: ${steps} steps in ${seconds} s of training (wasm), ${tasks.length} long tasks`);
    console.log(`  longest ${Math.max(0, ...tasks)} ms; all (ms): ${tasks.join(', ') || '–'}`);
    if (trace) {
      const file = join(tmpdir(), 'main-thread-trace.json');
      writeFileSync(file, JSON.stringify(trace));
      printTrace(longTasks(trace));
      const cpu = taskCpuProfile(trace);
      const over = (ms: number) => cpu.byTask.filter((t) => t > ms).length;
      console.log(`\nmain thread CPU: ${Math.round(cpu.total)} ms in ${cpu.byTask.length} tasks; tasks over 5 / 10 / 20 / 50 ms of CPU: ${over(5)} / ${over(10)} / ${over(20)} / ${over(50)}`);
      console.log(`  the 10 longest (CPU ms): ${cpu.byTask.slice(0, 10).map((t) => t.toFixed(1)).join(', ')}`);
      console.log(`trace: ${file} (open in chrome://tracing or the DevTools performance panel)`);
    }
  } finally {
    await browser.close();
    await site.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
