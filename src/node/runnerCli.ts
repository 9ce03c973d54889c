/**
 * What the command-line scripts that train a config share (npm run experiment, npm run export):
 * reading --config with its overrides through the URL validation, the Node backend choice, and
 * one run with the runner's progress lines on stderr. A config or argument problem is a
 * UsageError (the scripts exit 2 with its message, which names the field).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, type ExperimentConfig, decodeConfig, linkVersionOf, parseConfigStrict } from '../core/config';
import { type ExperimentDeps, type ExperimentHooks, type ExperimentResult, type HgkdProgress, runExperiment } from '../core/train/experiment';

export class UsageError extends Error {}

export type Write = (text: string) => void;

/** Options every config-training CLI takes (--config, --backend, --steps, --teacher-epochs). */
const COMMON_OPTIONS = {
  config: { type: 'string', default: '' },
  backend: { type: 'string' },
  steps: { type: 'string' },
  'teacher-epochs': { type: 'string' },
} as const;

/** Prints `<name>: message` and the usage on stderr, then exits 2 (a usage or config problem). */
export function failUsage(name: string, usage: string, message: string): never {
  process.stderr.write(`${name}: ${message}\n${usage}\n`);
  process.exit(2);
}

/** The script's argv parsed strictly with the common options plus `extra`; an unknown flag exits 2 via `fail`. */
export function parseCliArgs<T extends NonNullable<ParseArgsConfig['options']>>(extra: T, fail: (message: string) => never) {
  try {
    return parseArgs({ options: { ...COMMON_OPTIONS, ...extra }, strict: true, allowPositionals: false }).values;
  } catch (e) {
    return fail((e as Error).message);
  }
}

/** The config of `--config` (a query or URL), with --steps / --backend overrides validated as URL values. */
export function configFromArgs(configText: string, o: { steps?: string; backend?: string }, write: Write): ExperimentConfig {
  try {
    const base = parseConfigStrict(configText);
    for (const issue of decodeConfig(configText).issues) write(`warning: ${issue.message}\n`);
    if (linkVersionOf(configText) === 1) write('note: --config has no v=2, so it reads as a link of before the training recipe (constant lr, Adam, no weight decay); add v=2 for the default recipe\n');
    if (o.steps === undefined && o.backend === undefined) return base;
    // --steps/--backend override the config through the same validation as a URL.
    const overrides = new URLSearchParams(configText.includes('?') ? configText.slice(configText.indexOf('?') + 1) : configText);
    if (o.steps !== undefined) overrides.set('steps', o.steps);
    if (o.backend !== undefined) overrides.set('backend', o.backend);
    return parseConfigStrict(overrides.toString());
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(e.message);
    throw e;
  }
}

export function nodeBackend(config: ExperimentConfig): 'wasm' | 'cpu' {
  if (config.backend === 'auto') return 'wasm';
  if (config.backend === 'wasm' || config.backend === 'cpu') return config.backend;
  throw new UsageError(`backend: ${config.backend} is not available in Node (use wasm or cpu)`);
}

/** `--teacher-epochs E` as a number, or undefined. */
export function teacherEpochs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const e = Number(text);
  if (!(e > 0 && e <= 100)) throw new UsageError(`--teacher-epochs "${text}": expected a number in (0, 100]`);
  return e;
}

/** The common options read: the config with its overrides, the Node backend and --teacher-epochs (UsageError on any problem). */
export function commonArgs(
  args: { config?: string; steps?: string; backend?: string; 'teacher-epochs'?: string },
  write: Write,
): { config: ExperimentConfig; backend: 'wasm' | 'cpu'; epochs: number | undefined } {
  const config = configFromArgs(args.config ?? '', { steps: args.steps, backend: args.backend }, write);
  return { config, backend: nodeBackend(config), epochs: teacherEpochs(args['teacher-epochs']) };
}

/** One progress line (every 10 steps, eval steps and phase ends) of an H-GKD run, or ''. */
function formatHgkdProgress(p: HgkdProgress, c: ExperimentConfig): string {
  if (p.phase === 'distill') {
    const d = p.m;
    const total = c.steps;
    if (d.step % 10 !== 0 && d.step !== total) return '';
    return `\r  distill ${d.step}/${total} loss ${d.loss.toFixed(4)} mse ${d.mse.toFixed(4)} sim ${d.simLoss.toFixed(4)} r ${d.pearson.toFixed(3)} queue ${d.queueFill}   ${d.step === total ? '\n' : ''}`;
  }
  const f = p.m;
  const total = c.ftSteps;
  if (f.step % 10 !== 0 && f.step !== total && f.testAcc === undefined) return '';
  const test = f.testAcc !== undefined ? ` test ${(100 * f.testAcc).toFixed(2)}%\n` : '';
  return `\r  ${p.phase} ${f.step}/${total} loss ${f.loss.toFixed(4)} batch acc ${(100 * f.batchAcc).toFixed(1)}%${test}   ${f.step === total && !test ? '\n' : ''}`;
}

/**
 * One run of `c` with the runner's progress on `write`: its `run:` line (plus `label`), a line
 * every 10 steps and at evaluations, and the α helper's suggestion at the end.
 */
export async function runWithProgress(
  c: ExperimentConfig,
  deps: ExperimentDeps,
  write: Write,
  o: { label?: string; onTrained?: ExperimentHooks['onTrained'] } = {},
): Promise<ExperimentResult> {
  write(`run: ${c.method} seed=${c.seed}${o.label ?? ''}\n`);
  const r = await runExperiment(c, deps, {
    onStep: (m) => {
      if (m.step % 10 === 0 || m.step === c.steps || m.testAcc !== undefined) {
        const test = m.testAcc !== undefined ? ` test ${(100 * m.testAcc).toFixed(2)}%` : '';
        write(
          `\r  step ${m.step}/${c.steps} loss ${m.loss.toFixed(4)} task ${m.taskLoss.toFixed(4)} distill ${m.distillLoss.toFixed(4)} diff ${m.difference.toFixed(1)} train ${(100 * m.trainAcc).toFixed(1)}%${test}   `,
        );
        if (m.testAcc !== undefined) write('\n');
      }
    },
    onHgkdStep: (p) => write(formatHgkdProgress(p, c)),
    onTrained: o.onTrained,
  });
  if (r.alphaHint !== null) write(`\nα helper: α = ${r.alphaHint.toPrecision(3)} makes the distillation term equal the task loss at step 0 (this run: α = ${c.alpha})\n`);
  return r;
}
