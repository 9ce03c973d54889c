/**
 * Engine benchmark (Node): steps/s per backend for a CE-only student step, an MGD step and a
 * mimic step on the default pair, the MGD/CE ratio, the effect of caching teacher outputs, the
 * ~20k-parameter student's plain CE step (the ≥ 9 steps/s wasm target), and the conv-gradient
 * kernels against tfjs's stock cpu kernels. All ratios come from this one run.
 *   npm run bench [-- --backends wasm,cpu] [--steps N]
 */
import { parseArgs } from 'node:util';
import { Net } from '../src/core/models/net';
import { resolveArch } from '../src/core/models/registry';
import type { Method } from '../src/core/distill/distiller';
import { Trainer } from '../src/core/train/trainer';
import { trainSupervised } from '../src/core/train/supervised';
import { initNodeBackend } from '../src/node/backend';
import { nodeDataSources } from '../src/node/experimentDeps';
import { benchGradKernels } from './bench/gradKernels';

const { values: args } = parseArgs({ options: { backends: { type: 'string', default: 'wasm,cpu' }, steps: { type: 'string' } } });
const BATCH = 64;
const WARMUP = 3;

/** Median-free throughput: warm-up steps first (shader/kernel set-up), then `steps` timed. */
async function timeSteps(step: () => Promise<unknown>, steps: number): Promise<number> {
  for (let i = 0; i < WARMUP; i++) await step();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await step();
  return (steps / (performance.now() - t0)) * 1000;
}

async function distillStepsPerSec(method: Method, cacheTeacher: boolean, steps: number): Promise<number> {
  const { train, test } = await nodeDataSources('mnist', 2000, 1);
  // Weights do not change the cost, so an untrained teacher of the shipped architecture will do.
  const teacher = new Net(resolveArch('resnet-t'), 1, 'bench-teacher');
  const trainer = new Trainer(
    { method, alpha: 5.6e-4, lambda: 0.5, mask: 'pixel', gen: { convs: 2, kernel: 3 }, kdT: 4, kdW: 1, student: resolveArch('resnet-s'), stages: [2], lr: 1e-3, batch: BATCH, seed: 1 },
    teacher,
    train,
    test,
  );
  if (cacheTeacher) await trainer.prepare();
  const rate = await timeSteps(() => trainer.step(), steps);
  trainer.dispose();
  teacher.dispose();
  return rate;
}

async function plainCeStepsPerSec(arch: string, steps: number): Promise<number> {
  const { train, background } = await nodeDataSources('mnist', 0, 1);
  const net = new Net(resolveArch(arch), 1, 'bench-ce');
  let done = 0;
  const opts = { batch: BATCH, lr: 1e-3, seed: 1, shift: 0, background, logEvery: 1 };
  await trainSupervised(net, train, { ...opts, steps: WARMUP });
  const t0 = performance.now();
  await trainSupervised(net, train, { ...opts, steps, onStep: () => void done++ });
  const rate = (steps / (performance.now() - t0)) * 1000;
  net.dispose();
  return rate;
}

async function main() {
  const backends = args.backends!.split(',') as ('wasm' | 'cpu')[];
  const rows: string[][] = [];
  for (const backend of backends) {
    await initNodeBackend(backend);
    const steps = Number(args.steps ?? (backend === 'wasm' ? 30 : 4));
    console.error(`[${backend}] timing ${steps} steps per case…`);
    const ce = await distillStepsPerSec('none', true, steps);
    const mimic = await distillStepsPerSec('mimic', true, steps);
    const mgd = await distillStepsPerSec('mgd', true, steps);
    const mgdLive = await distillStepsPerSec('mgd', false, steps);
    const xs = await plainCeStepsPerSec('resnet-xs', steps * 2);
    rows.push(
      [backend, 'resnet-t → resnet-s, CE only (none)', ce.toFixed(2), '1.00'],
      [backend, 'resnet-t → resnet-s, mimic', mimic.toFixed(2), (ce / mimic).toFixed(2)],
      [backend, 'resnet-t → resnet-s, MGD (teacher cached)', mgd.toFixed(2), (ce / mgd).toFixed(2)],
      [backend, 'resnet-t → resnet-s, MGD (teacher every step)', mgdLive.toFixed(2), (ce / mgdLive).toFixed(2)],
      [backend, 'resnet-xs (~20k params) plain CE, no teacher', xs.toFixed(2), '—'],
    );
  }
  const header = ['backend', `training step (batch ${BATCH}, Adam, MNIST)`, 'steps/s', 'time vs CE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log([fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt)].join('\n'));

  console.log('\nconv-gradient kernels (ms, median):');
  const timings = await benchGradKernels();
  console.log('kernel                               shape                               stock cpu   ours cpu   ours wasm   speed-up wasm vs stock cpu');
  for (const t of timings) {
    console.log(
      `${t.kernel.padEnd(36)} ${t.shape.padEnd(35)} ${t.stockCpuMs.toFixed(2).padStart(9)} ${t.oursCpuMs.toFixed(2).padStart(10)} ${t.oursWasmMs.toFixed(2).padStart(11)}   ${(t.stockCpuMs / t.oursWasmMs).toFixed(1)}×`,
    );
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
