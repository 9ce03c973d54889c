/**
 * PyTorch twin of the engine benchmark, for `npm run bench` (scripts/bench.ts owns the table).
 *
 *   import { torchTwin, TORCH_WORKLOADS } from './bench/torchTwin';
 *   const twin = await torchTwin({ steps: 20 });         // never throws
 *   if (twin.available) for (const r of twin.rows) …     // r: { workload, threads, stepsPerSec }
 *   else console.log(`PyTorch twin: ${twin.reason}`);
 *
 * Times the exported project's models.py / losses.py (src/core/export/pytorch/python) with
 * /usr/bin/python3's torch on the engine bench's workloads — `ce` (resnet-t → resnet-s, CE only,
 * teacher outputs cached), `mimic`, `mgd` (teacher cached), `mgd-live` (teacher every step),
 * `xs-ce` (resnet-xs plain CE, no teacher, twice the steps) — at batch 64, Adam, 28×28×1 input,
 * after 3 warm-up steps, at 1 thread and at all threads (`threads`, default [1, os.cpus()]).
 * `available: false` says why (no python3, no torch, the script failed).
 */
import { execFile } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const TORCH_WORKLOADS = ['ce', 'mimic', 'mgd', 'mgd-live', 'xs-ce'] as const;
export type TorchWorkload = (typeof TORCH_WORKLOADS)[number];

export interface TorchTwinRow {
  workload: TorchWorkload;
  threads: number;
  stepsPerSec: number;
}

export type TorchTwinResult = { available: true; torch: string; rows: TorchTwinRow[] } | { available: false; reason: string };

const SCRIPT = fileURLToPath(new URL('./torch_twin.py', import.meta.url));
export const TWIN_PYTHON = '/usr/bin/python3';

export async function torchTwin(o: { steps?: number; threads?: number[]; workloads?: readonly TorchWorkload[]; python?: string } = {}): Promise<TorchTwinResult> {
  const python = o.python ?? TWIN_PYTHON;
  const run = promisify(execFile);
  try {
    await run(python, ['-c', 'import torch']);
  } catch {
    return { available: false, reason: `${python} with torch not found (apt-get install python3-torch)` };
  }
  const threads = o.threads ?? [1, cpus().length];
  const args = [SCRIPT, '--steps', String(o.steps ?? 20), '--threads', threads.join(','), '--workloads', (o.workloads ?? TORCH_WORKLOADS).join(',')];
  try {
    const { stdout } = await run(python, args, { maxBuffer: 1 << 22, env: { ...process.env, OMP_NUM_THREADS: String(Math.max(...threads)) } });
    const out = JSON.parse(stdout.trim().split('\n').pop()!) as { torch: string; rows: TorchTwinRow[] };
    return { available: true, torch: out.torch, rows: out.rows };
  } catch (e) {
    return { available: false, reason: `the PyTorch twin failed: ${(e as Error).message.split('\n').slice(0, 3).join(' ')}` };
  }
}
