/**
 * npm run bench:kernels [-- --reps N] [--batch N] [--quick] [--only masked,sparse,step] [--url http://127.0.0.1:5173]
 *
 * The WGSL kernels against stock tfjs on WebGPU in headless Chromium (the flags of
 * playwright.config.ts): fused masked conv vs conv2d(x ⊙ mask), sparse conv vs dense conv +
 * re-mask at several masked ratios, and one MGD training step with and without the kernels. Runs
 * src/bench/kernels.html?bench=… on a Vite dev server of its own (or the one at --url) and prints
 * the tables. --quick: batch 8 and 2 timed repetitions, for a software adapter (SwiftShader).
 * --only: a comma-separated subset of the three parts (default: all).
 */
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';
import type { BenchRow } from '../src/bench/bench';
import { BENCH_PARTS, type BenchPart } from '../src/bench/parts';
import type { AdapterSummary } from '../src/bench/gpu';
import playwrightConfig from '../playwright.config';

const { values: args } = parseArgs({
  options: {
    reps: { type: 'string' },
    batch: { type: 'string' },
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    url: { type: 'string' },
  },
});
const reps = Number(args.reps ?? (args.quick ? 2 : 5));
const batch = Number(args.batch ?? (args.quick ? 8 : 64));
for (const [k, v] of Object.entries({ reps, batch })) {
  if (!Number.isInteger(v) || v < 1) {
    console.error(`--${k} must be a positive integer`);
    process.exit(2);
  }
}

const parts = (args.only ?? BENCH_PARTS.join(',')).split(',') as BenchPart[];
if (parts.some((p) => !BENCH_PARTS.includes(p))) {
  console.error(`--only takes a comma-separated subset of ${BENCH_PARTS.join(', ')}`);
  process.exit(2);
}

const PAGE_TIMEOUT_MS = 30 * 60_000; // SwiftShader: minutes per part

async function withServer<T>(use: (baseUrl: string) => Promise<T>): Promise<T> {
  if (args.url) return use(args.url);
  // No HMR or file watching: edits elsewhere in the tree must not reload the page mid-run.
  const server = await createServer({ server: { host: '127.0.0.1', port: 0, hmr: false, watch: null }, logLevel: 'warn' });
  await server.listen();
  try {
    return await use(server.resolvedUrls!.local[0].replace(/\/$/, ''));
  } finally {
    await server.close();
  }
}

type Outcome = { adapter: AdapterSummary | null; result?: BenchRow[]; error?: string };

async function main(): Promise<void> {
  const browser = await chromium.launch({ ...playwrightConfig.use?.launchOptions, headless: true });
  try {
    await withServer(async (base) => {
      const page = await browser.newPage();
      page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
      const run = async (query: string): Promise<Outcome> => {
        console.error(`… ${query}`);
        await page.goto(`${base}/src/bench/kernels.html?${query}&reps=${reps}&batch=${batch}`);
        await page.waitForFunction(() => window.__kernels !== undefined, null, { timeout: PAGE_TIMEOUT_MS, polling: 1000 });
        const outcome = (await page.evaluate(() => window.__kernels)) as Outcome;
        if (outcome.error) throw new Error(outcome.error);
        return outcome;
      };
      const rows: BenchRow[] = [];
      let adapter: AdapterSummary | null = null;
      for (const part of parts) {
        // Step: A B B A. In A B runs the first page load was the slower of its pair in 5 of 6
        // runs, whichever path it took, so each path is measured once early and once late.
        const queries = part === 'step' ? ['bench=step', 'bench=step&kernels=off', 'bench=step&kernels=off', 'bench=step'] : [`bench=${part}`];
        for (const q of queries) {
          const outcome = await run(q);
          adapter ??= outcome.adapter;
          rows.push(...outcome.result!);
        }
      }
      const a = adapter!;
      console.log(`adapter: ${[a.vendor, a.architecture, a.description].filter(Boolean).join(' · ')}${a.isFallback ? ' (software fallback adapter)' : ''}`);
      console.log(`batch ${batch}, median of ${reps} timed runs after 2 warm-up runs, each synced by await data()\n`);
      printTables(rows);
    });
  } finally {
    await browser.close();
  }
}

const fmt = (ms: number) => ms.toFixed(ms < 10 ? 2 : 1);

/** Rows of one table as `shape | pass | ours ms | theirs ms | speed-up`. */
function printTables(rows: BenchRow[]): void {
  const pick = (table: BenchRow['table'], shape: string, variant: string) => rows.find((r) => r.table === table && r.shape === shape && r.variant === variant)!.ms;
  const shapes = (table: BenchRow['table']) => [...new Set(rows.filter((r) => r.table === table).map((r) => r.shape))];
  const compare = (title: string, table: 'masked' | 'sparse', ours: string, theirs: string) => {
    console.log(`${title}\n| shape | pass | ${ours} ms | ${theirs} ms | speed-up |\n|---|---|---:|---:|---:|`);
    for (const shape of shapes(table)) {
      for (const pass of ['forward', 'forward+backward']) {
        const a = pick(table, shape, `${ours} ${pass}`);
        const b = pick(table, shape, `${theirs} ${pass}`);
        console.log(`| ${shape} | ${pass} | ${fmt(a)} | ${fmt(b)} | ${(b / a).toFixed(2)}× |`);
      }
    }
    console.log('');
  };
  if (parts.includes('masked')) compare('Masked convolution: fused WGSL vs conv2d(x ⊙ mask) in stock tfjs ops', 'masked', 'fused', 'stock');
  if (parts.includes('sparse')) compare('Sparse convolution: WGSL at active sites vs dense conv + re-mask', 'sparse', 'sparse', 'dense+re-mask');
  const steps = rows.filter((r) => r.table === 'step');
  if (steps.length === 0) return;
  console.log(`One MGD training step (${steps[0].shape})\n| path | ms |\n|---|---:|`);
  for (const r of steps) console.log(`| ${r.variant} | ${fmt(r.ms)} |`);
  const mean = (variant: string) => {
    const ms = steps.filter((r) => r.variant === variant).map((r) => r.ms);
    return ms.reduce((a, b) => a + b, 0) / ms.length;
  };
  const [withKernels, reference] = [steps[0].variant, steps[1].variant]; // the A B B A order above
  console.log(`speed-up of the kernels (mean of each path's two page loads): ${(mean(reference) / mean(withKernels)).toFixed(2)}×`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
