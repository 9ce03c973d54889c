/**
 * `npm run soak`: the long form of e2e/soak.spec.ts. Builds and serves the e2e bundle (production
 * bundle plus test hooks), then in Chromium (playwright.config.ts's executable and flags):
 *   wasm     a 5,000-step run of the small student (resnet-xs), feature snapshots on, run to its end
 *   webgpu   a 500-step run on WebGPU (SwiftShader here), tiny config
 *   100k     a steps=100000 config: 10 s of the main thread after 300 steps, then stopped
 * Each is paused at 10 %, 30 %, 50 %, 70 % and 90 % of its steps to read the worker's tfjs
 * memory and both JS heaps after a GC (the first read is the warm-up reference), the chart series,
 * and at the end the stored record. Prints a table, or with --json one JSON line.
 *
 *   npm run soak
 *   npm run soak -- --wasm-steps 1000 --webgpu-steps 100 --json
 *   npm run soak -- --only 100k
 *   npm run soak -- --only webgpu --webgpu-steps 200 --heap-profile   (where the worker's heap growth was allocated)
 */
import { chromium } from '@playwright/test';
import config from '../playwright.config';
import { productionSite } from '../e2e/productionSite';
import { type SoakPlan, type SoakResult, soakFigures, soakRun } from '../e2e/soakRun';
import { tiny } from '../e2e/fixtures';
import { chartLongTasks } from '../e2e/mainThread';

const KINDS = ['wasm', 'webgpu', '100k'] as const;
type Kind = (typeof KINDS)[number];

function parseArgs(argv: string[]): { json: boolean; wasmSteps: number; webgpuSteps: number; only: Kind[]; heapProfile: boolean } {
  const out = { json: false, wasmSteps: 5000, webgpuSteps: 500, only: [...KINDS] as Kind[], heapProfile: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const steps = (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 50 || n > 100000) throw new Error(`${a}: ${v} is not a step count in 50…100000`);
      return n;
    };
    if (a === '--json') out.json = true;
    else if (a === '--heap-profile') out.heapProfile = true;
    else if (a === '--wasm-steps') out.wasmSteps = steps(value());
    else if (a === '--webgpu-steps') out.webgpuSteps = steps(value());
    else if (a === '--only') {
      const kinds = value().split(',');
      const bad = kinds.filter((k) => !(KINDS as readonly string[]).includes(k));
      if (bad.length) throw new Error(`--only: ${bad.join(', ')} is not one of ${KINDS.join(', ')}`);
      out.only = kinds as Kind[];
    } else throw new Error(`unknown argument ${a} (use --json, --heap-profile, --wasm-steps N, --webgpu-steps N, --only ${KINDS.join(',')})`);
  }
  return out;
}

/** Samples at 10 %, 30 %, 50 %, 70 %, 90 % of `steps`. */
const spread = (steps: number) => [0.1, 0.3, 0.5, 0.7, 0.9].map((f) => Math.round(f * steps));

function plans(args: ReturnType<typeof parseArgs>, url: (q: string) => string): Record<Kind, SoakPlan> {
  return {
    wasm: { url: url(tiny({ backend: 'wasm', steps: args.wasmSteps, eval: 250 })), sampleAt: spread(args.wasmSteps), timeoutMs: 3_600_000 },
    webgpu: { url: url(tiny({ backend: 'webgpu', steps: args.webgpuSteps, eval: 100 })), sampleAt: spread(args.webgpuSteps), timeoutMs: 3_600_000 },
    '100k': { url: url(tiny({ backend: 'wasm', steps: 100000 })), sampleAt: [100, 400], window: { afterStep: 300, ms: 10_000 }, stopAt: 400, timeoutMs: 600_000 },
  };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MiB`;

function row(kind: Kind, r: SoakResult): Record<string, string> {
  const f = soakFigures(r);
  const resp = r.responsiveness;
  return {
    run: kind,
    backend: r.backend,
    steps: `${r.steps} (${r.status})`,
    'wall s': r.wallSeconds.toFixed(0),
    'steps/s': r.stepsPerSec.toFixed(1),
    'tensors warm→end (spread)': `${f.warm.tensors}@${f.warm.step} → ${f.end.tensors}@${f.end.step} (${f.tensorSpread})`,
    'tf bytes warm→end (spread)': `${kb(f.warm.bytes)} → ${kb(f.end.bytes)} (${f.byteSpread} B)`,
    'page heap growth': mb(f.pageHeapGrowth),
    'worker heap growth': mb(f.workerHeapGrowth),
    'store / drawn points': `${f.maxStorePoints} / ${f.maxDrawn}`,
    record: `${kb(r.recordBytes)} (${r.recordPoints} points), ${kb(f.recordBytesPer1000Steps)}/1000 steps`,
    ...(resp && {
      'long tasks >50 ms over redraws': `${chartLongTasks(resp).length} (of ${resp.longTasks.length} long tasks; ${Object.values(resp.updates).map((u) => u.length).join('/')} redraws)`,
      'ETA shown': `${resp.eta || '(none)'}, +${resp.stepsAdvanced} steps in the window`,
    }),
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const log = (s: string) => process.stderr.write(`${s}\n`);
  log('building and serving the e2e bundle…');
  const site = await productionSite({ mode: 'e2e' });
  const browser = await chromium.launch({ headless: true, ...config.use!.launchOptions });
  const results: Partial<Record<Kind, SoakResult | { skipped: string }>> = {};
  try {
    const all = plans(args, site.url);
    for (const kind of args.only) {
      const context = await browser.newContext({ viewport: config.use!.viewport ?? undefined });
      const page = await context.newPage();
      if (kind === 'webgpu') {
        await page.goto(site.url());
        const adapter = await page.evaluate(async () => ((navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu?.requestAdapter() ?? null) !== null);
        if (!adapter) {
          results[kind] = { skipped: 'no WebGPU adapter in this Chromium' };
          log(`${kind}: skipped (no WebGPU adapter)`);
          await context.close();
          continue;
        }
      }
      log(`${kind}: ${all[kind].url}`);
      const r = await soakRun(page, browser, { ...all[kind], heapProfile: args.heapProfile, onSample: (s) => log(`${kind}: ${JSON.stringify(s)}`) });
      results[kind] = r;
      for (const h of r.heapSites ?? []) log(`${kind}: still alive since the first sample: ${kb(h.bytes).padStart(10)}  ${h.site}`);
      log(`${kind}: ${JSON.stringify(row(kind, r))}`);
      await context.close();
    }
  } finally {
    await browser.close();
    await site.close();
  }
  if (args.json) {
    const out = Object.fromEntries(Object.entries(results).map(([k, r]) => [k, 'skipped' in r! ? r : { ...r, figures: soakFigures(r!) }]));
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  }
  const rows = Object.entries(results).map(([k, r]) => ('skipped' in r! ? { run: k, skipped: r.skipped } : row(k as Kind, r!)));
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  for (const k of keys) process.stdout.write(`${k.padEnd(32)}${rows.map((r) => (r as Record<string, string>)[k] ?? '').join('  |  ')}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`soak: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
