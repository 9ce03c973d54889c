/**
 * Engine benchmark (Node): steps/s of every workload of src/bench/workloads.ts (`ce`, `mimic`,
 * `mgd`, `mgd-live`, `xs-ce`) per backend, beside the PyTorch twin of the same workloads
 * (scripts/bench/torchTwin.ts, /usr/bin/python3's torch, at 1 thread and all threads) and the
 * ratio ours / PyTorch at the same thread count, all from this one run. Node's wasm backend is
 * single-threaded (the threaded build needs workers), so our rows are 1-thread rows; the page
 * runs wasm on every core.
 *   npm run bench [-- --backends wasm,cpu] [--steps N] [--quick] [--json] [--kernels]
 * --json ends the output with one line {rows:[{backend, workload, threads, stepsPerSec, torchStepsPerSec}]}.
 * --quick: 1 timed step per workload, batch 4 on our side (output shape only, not speed).
 */
import { parseArgs } from 'node:util';
import { cpus } from 'node:os';
import { initNodeBackend } from '../src/node/backend';
import { nodeDataSources } from '../src/node/dataSource';
import { workloadStep } from '../src/bench/workloadStep';
import { BATCH, BENCH_DATASET, WORKLOADS, type WorkloadId } from '../src/bench/workloads';
import { benchGradKernels } from './bench/gradKernels';
import { torchTwin } from './bench/torchTwin';

const { values: args } = parseArgs({
  options: { backends: { type: 'string', default: 'wasm' }, steps: { type: 'string' }, quick: { type: 'boolean' }, json: { type: 'boolean' }, kernels: { type: 'boolean' } },
});
const WARMUP = 3;

export interface BenchRow {
  backend: string;
  workload: WorkloadId;
  threads: number;
  stepsPerSec: number;
  torchStepsPerSec: number | null;
}

async function timeSteps(step: () => Promise<unknown>, steps: number, warmup: number): Promise<number> {
  for (let i = 0; i < warmup; i++) await step();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await step();
  return (steps / (performance.now() - t0)) * 1000;
}

async function main() {
  const quick = args.quick === true;
  const batch = quick ? 4 : BATCH;
  const warmup = quick ? 1 : WARMUP;
  const backends = args.backends!.split(',') as ('wasm' | 'cpu')[];
  const ours: { backend: string; workload: WorkloadId; stepsPerSec: number }[] = [];
  for (const backend of backends) {
    await initNodeBackend(backend);
    const steps = quick ? 1 : Number(args.steps ?? (backend === 'wasm' ? 20 : 4));
    console.error(`[${backend}] timing ${steps} steps per workload at batch ${batch}…`);
    const { train, test } = await nodeDataSources(BENCH_DATASET, quick ? 200 : 2000, 1);
    for (const w of WORKLOADS) {
      const run = await workloadStep(w, batch, train, test);
      const n = w.id === 'xs-ce' ? steps * 2 : steps;
      ours.push({ backend, workload: w.id, stepsPerSec: await timeSteps(run.step, n, warmup) });
      run.dispose();
    }
  }
  const allThreads = cpus().length;
  const twin = await torchTwin({ steps: quick ? 1 : 20, threads: [...new Set([1, allThreads])] });
  if (!twin.available) console.log(`PyTorch twin: not run — ${twin.reason}`);
  else console.log(`PyTorch twin: torch ${twin.torch}, threads 1 and ${allThreads}`);
  const torchAt = (w: WorkloadId, t: number) => (twin.available ? (twin.rows.find((r) => r.workload === w && r.threads === t)?.stepsPerSec ?? null) : null);

  const rows: BenchRow[] = ours.map((o) => ({ ...o, threads: 1, torchStepsPerSec: torchAt(o.workload, 1) }));
  const table = [['backend', 'workload', 'threads', 'steps/s', 'PyTorch steps/s', 'ours/PyTorch', `PyTorch ${allThreads} threads`]];
  for (const r of rows) {
    const label = WORKLOADS.find((w) => w.id === r.workload)!.label;
    const t = r.torchStepsPerSec;
    const tAll = torchAt(r.workload, allThreads);
    table.push([r.backend, `${r.workload} (${label})`, '1', r.stepsPerSec.toFixed(2), t === null ? '—' : t.toFixed(2), t === null ? '—' : `${(r.stepsPerSec / t).toFixed(2)}×`, tAll === null ? '—' : tAll.toFixed(2)]);
  }
  const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log([fmt(table[0]), fmt(widths.map((w) => '-'.repeat(w))), ...table.slice(1).map(fmt)].join('\n'));
  const ce = rows.find((r) => r.workload === 'ce' && r.backend === backends[0]);
  const mgd = rows.find((r) => r.workload === 'mgd' && r.backend === backends[0]);
  if (ce && mgd) console.log(`MGD step / CE step (${backends[0]}): ${(ce.stepsPerSec / mgd.stepsPerSec).toFixed(2)}× (target ≤ 1.3×)`);

  if (args.kernels) {
    console.log('\nconv-gradient kernels (ms, median):');
    for (const t of await benchGradKernels()) {
      console.log(`${t.kernel.padEnd(36)} ${t.shape.padEnd(35)} stock cpu ${t.stockCpuMs.toFixed(2)}  ours cpu ${t.oursCpuMs.toFixed(2)}  ours wasm ${t.oursWasmMs.toFixed(2)}  ${(t.stockCpuMs / t.oursWasmMs).toFixed(1)}×`);
    }
  }
  if (quick) console.log('quick mode: our side at batch 4, 1 step, the twin at batch 64 — output shape only, the ratios mean nothing');
  if (args.json) console.log(JSON.stringify({ rows }));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
