/**
 * Shared by the PyTorch export tests: whether /usr/bin/python3 has torch, the exported project
 * of a config in a temp folder, train.py runs, and the engine's own per-step losses for the
 * same config, run as `npm run experiment` runs it (prepare, α helper, then steps).
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseConfigStrict, type ExperimentConfig } from '../src/core/config';
import { buildTrainer } from '../src/core/train/experiment';
import { nodeDataSources, PUBLIC_DIR } from '../src/node/dataSource';
import { nodeTeacher } from '../src/node/teacherStore';
import { writePytorchProject } from '../src/node/export/pytorchProject';

export const PYTHON = '/usr/bin/python3';
export const TORCHRUN = '/usr/bin/torchrun';
/**
 * torch 1.13's elastic launcher parses --redirects/--tee "0" by iterating an IntFlag, which on
 * Python 3.11 skips the zero member, so a plain `torchrun` fails with "'NoneType' object has no
 * attribute 'get'"; any non-zero value works (2 = stderr to a log file, teed to the console).
 */
export const TORCHRUN_WORKAROUND = ['--redirects', '2', '--tee', '2'];

/** Why the PyTorch tests cannot run here, or null when they can. */
export function torchMissing(): string | null {
  try {
    execFileSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' });
    return null;
  } catch {
    return `${PYTHON} has no torch (apt-get install python3-torch; .ci/run does)`;
  }
}

export interface StepRow {
  step: number;
  loss: number;
  taskLoss: number;
  distillLoss: number;
  difference: number;
  trainAcc: number;
  testAcc?: number;
}

export function config(query: string): ExperimentConfig {
  return parseConfigStrict(query);
}

/** The project of `c` in a fresh temp folder (data read from public/data with --data-dir). */
export async function exportProject(c: ExperimentConfig): Promise<string> {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'pt-export-')), 'project');
  await writePytorchProject(c, dir, { copyData: false });
  return dir;
}

const run = promisify(execFile);

/**
 * Runs train.py (or torchrun with `procs` > 1) and returns its --metrics rows; data from
 * public/data, or with `ownData` from the project's own data/ (train.py's default); its stderr
 * goes to `o.stderr`. Later flags in `args` override the defaults (--device cpu …).
 */
export async function trainPy(dir: string, args: string[], procs = 1, o: { ownData?: boolean; stderr?: (text: string) => void } = {}): Promise<StepRow[]> {
  const metrics = path.join(dir, `metrics-${procs}-${Date.now()}.jsonl`);
  const common = [...(o.ownData ? [] : ['--data-dir', path.join(PUBLIC_DIR, 'data')]), '--metrics', metrics, '--test-limit', '100', '--threads', '1', '--device', 'cpu', '--out', path.join(dir, 'ckpt'), ...args];
  // --redirects 2 --tee 2: Debian's torchrun (torch 1.13 on Python 3.11) cannot parse its default "0" (TORCHRUN_WORKAROUND).
  const launcher = [`--nproc_per_node=${procs}`, '--master_port', String(29500 + (process.pid % 1000)), ...TORCHRUN_WORKAROUND];
  const [cmd, argv] = procs > 1 ? [TORCHRUN, [...launcher, 'train.py', ...common]] : [PYTHON, ['train.py', ...common]];
  const { stderr } = await run(cmd, argv as string[], { cwd: dir, env: { ...process.env, OMP_NUM_THREADS: '1' }, maxBuffer: 1 << 24 });
  o.stderr?.(stderr);
  return readFileSync(metrics, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as StepRow);
}

/** The engine's first `steps` steps of `c` (wasm backend, set up by the caller). */
export async function engineSteps(c: ExperimentConfig, steps: number): Promise<StepRow[]> {
  const teacher = await nodeTeacher(c.dataset, c.teacher);
  const { train, test } = await nodeDataSources(c.dataset, c.subset, c.seed);
  const trainer = buildTrainer(c, teacher, train, test);
  try {
    await trainer.prepare();
    await trainer.suggestAlpha(); // the runner's α helper draws one MGD mask before step 1
    const rows: StepRow[] = [];
    for (let i = 0; i < steps; i++) rows.push(await trainer.step());
    return rows;
  } finally {
    trainer.dispose();
    teacher.dispose();
  }
}

export const relErr = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);
