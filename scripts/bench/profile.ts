/**
 * Where a training step's time goes (Node): `tf.profile` over `steps` steps of a workload, the
 * kernel time grouped by kernel name, and the rest of the step (JS: tape, dispatch, allocation,
 * Adam's bookkeeping) as wall time minus kernel time.
 *   npx tsx scripts/bench/profile.ts [--backend wasm] [--workload ce] [--steps 5]
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { initNodeBackend } from '../../src/node/backend';
import { nodeDataSources } from '../../src/node/dataSource';
import { workloadStep } from '../../src/bench/workloadStep';
import { BATCH, workload } from '../../src/bench/workloads';

const { values: args } = parseArgs({ options: { backend: { type: 'string', default: 'wasm' }, workload: { type: 'string', default: 'ce' }, steps: { type: 'string', default: '5' } } });

async function main(): Promise<void> {
  await initNodeBackend(args.backend as 'wasm' | 'cpu');
  const w = workload(args.workload!);
  const steps = Number(args.steps);
  const { train, test } = await nodeDataSources('mnist', 2000, 1);
  const run = await workloadStep(w, BATCH, train, test);
  for (let i = 0; i < 3; i++) await run.step();
  const t0 = performance.now();
  const info = await tf.profile(async () => {
    for (let i = 0; i < steps; i++) await run.step();
  });
  const wall = (performance.now() - t0) / steps;
  const byKernel = new Map<string, { ms: number; calls: number }>();
  for (const k of info.kernels) {
    const e = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
    e.ms += (k.kernelTimeMs as number) / steps;
    e.calls += 1 / steps;
    byKernel.set(k.name, e);
  }
  const kernelMs = [...byKernel.values()].reduce((a, e) => a + e.ms, 0);
  console.log(`${w.id} on ${args.backend}, batch ${BATCH}: ${wall.toFixed(1)} ms/step (profiled), kernels ${kernelMs.toFixed(1)} ms, rest ${(wall - kernelMs).toFixed(1)} ms, ${info.kernels.length / steps} kernel calls/step`);
  for (const [name, e] of [...byKernel].sort((a, b) => b[1].ms - a[1].ms)) {
    console.log(`${name.padEnd(40)} ${e.ms.toFixed(2).padStart(8)} ms  ${e.calls.toFixed(0).padStart(5)} calls  ${((100 * e.ms) / wall).toFixed(1).padStart(5)} %`);
  }
  run.dispose();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
