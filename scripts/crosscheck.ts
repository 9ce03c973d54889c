/**
 * The engine against its PyTorch export on real runs (not replay): for each seed the config is
 * trained by the engine (as `npm run experiment`) and by the exported project's train.py with its
 * own shuffling and masks, from the same initial weights; prints both final test accuracies
 * (full test set) per seed and their mean ± sd. Not part of CI (minutes per seed).
 *   npm run crosscheck -- --config "<query or URL>" [--seeds 1,2,3] [--steps N] [--threads N]
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { ConfigError, parseConfigStrict } from '../src/core/config';
import { runExperiment } from '../src/core/train/experiment';
import { parseSeeds } from '../src/core/train/sweep';
import { mean, sd } from '../src/core/stats';
import { PUBLIC_DIR } from '../src/node/dataSource';
import { nodeExperimentDeps } from '../src/node/experimentDeps';
import { writePytorchProject } from '../src/node/export/pytorchProject';

const USAGE = 'usage: npm run crosscheck -- --config "<query or URL>" [--seeds 1,2,3] [--steps N] [--threads N]';
const fail = (m: string): never => {
  process.stderr.write(`crosscheck: ${m}\n${USAGE}\n`);
  process.exit(2);
};

async function main() {
  const { values: a } = parseArgs({ options: { config: { type: 'string', default: '' }, seeds: { type: 'string', default: '1,2,3' }, steps: { type: 'string' }, threads: { type: 'string', default: '1' } } });
  let seeds: number[] = [];
  let base;
  try {
    const q = new URLSearchParams(a.config!.includes('?') ? a.config!.slice(a.config!.indexOf('?') + 1) : a.config!);
    if (a.steps) q.set('steps', a.steps);
    base = parseConfigStrict(q.toString());
    seeds = parseSeeds(a.seeds!);
  } catch (e) {
    if (e instanceof ConfigError || e instanceof Error) fail(e.message);
    throw e;
  }
  const deps = await nodeExperimentDeps('wasm');
  const engine: number[] = [];
  const torch: number[] = [];
  for (const seed of seeds) {
    const c = { ...base!, seed };
    const t0 = Date.now();
    const r = await runExperiment(c, deps);
    engine.push(r.final.testAcc);
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'crosscheck-')), 'project');
    await writePytorchProject(c, dir, { copyData: false });
    const metrics = path.join(dir, 'metrics.jsonl');
    await promisify(execFile)('/usr/bin/python3', ['train.py', '--device', 'cpu', '--threads', a.threads!, '--data-dir', path.join(PUBLIC_DIR, 'data'), '--metrics', metrics], { cwd: dir, maxBuffer: 1 << 26 });
    const rows = readFileSync(metrics, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { testAcc?: number });
    torch.push(rows[rows.length - 1].testAcc!);
    rmSync(path.dirname(dir), { recursive: true, force: true });
    process.stderr.write(`seed ${seed}: engine ${(100 * engine.at(-1)!).toFixed(2)}%  pytorch ${(100 * torch.at(-1)!).toFixed(2)}%  (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
  }
  const fmt = (xs: number[]) => `${(100 * mean(xs)).toFixed(2)} ± ${(100 * sd(xs)).toFixed(2)} %`;
  console.log(`${base!.method} on ${base!.dataset}, ${base!.steps} steps, seeds ${seeds.join(',')} (final test accuracy, full test set, mean ± sd)`);
  console.log(`engine (wasm):          ${fmt(engine)}   [${engine.map((x) => (100 * x).toFixed(2)).join(', ')}]`);
  console.log(`PyTorch export (train.py, no replay): ${fmt(torch)}   [${torch.map((x) => (100 * x).toFixed(2)).join(', ')}]`);
}

main().catch((e: unknown) => {
  process.stderr.write(`crosscheck: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
