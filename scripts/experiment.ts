/**
 * Headless runner: the playground's engine in Node.
 *   npm run experiment -- --config "<query string or playground URL>" [--backend wasm|cpu]
 *                         [--steps N] [--seeds 1,2,3] [--sweep "method=none,mimic,mgd"] [--json]
 *                         [--teacher-epochs E]   (for a teacher given as a spec: trained once, then cached)
 * Progress goes to stderr; with --json the last line of stdout is the result as JSON.
 * A bad config or argument exits with code 2 and names the field.
 */
import { parseArgs } from 'node:util';
import { ConfigError, type ExperimentConfig, decodeConfig, parseConfigStrict } from '../src/core/config';
import { type ExperimentResult, type HgkdProgress, type HgkdResult, runExperiment } from '../src/core/train/experiment';
import { describeFinalEval } from '../src/core/train/finalEval';
import { configForValue, formatSweepTable, parseSeeds, parseSweep, runSweep, summariseSeeds } from '../src/core/train/sweep';
import { nodeExperimentDeps } from '../src/node/experimentDeps';

const USAGE = `usage: npm run experiment -- --config "<query or URL>" [--backend wasm|cpu] [--steps N] [--seeds 1,2,3] [--sweep "field=v1,v2"] [--teacher-epochs E] [--json]`;

function fail(message: string): never {
  process.stderr.write(`experiment: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parseCli() {
  try {
    return parseArgs({
      options: {
        config: { type: 'string', default: '' },
        backend: { type: 'string' },
        steps: { type: 'string' },
        seeds: { type: 'string' },
        sweep: { type: 'string' },
        json: { type: 'boolean', default: false },
        'teacher-epochs': { type: 'string' },
      },
      strict: true,
    }).values;
  } catch (e) {
    fail((e as Error).message);
  }
}

function buildConfig(args: ReturnType<typeof parseCli>): ExperimentConfig {
  try {
    const base = parseConfigStrict(args.config ?? '');
    for (const issue of decodeConfig(args.config ?? '').issues) process.stderr.write(`warning: ${issue.message}\n`);
    // --steps/--backend override the config through the same validation as a URL.
    const overrides = new URLSearchParams(args.config?.includes('?') ? args.config.slice(args.config.indexOf('?') + 1) : args.config ?? '');
    if (args.steps !== undefined) overrides.set('steps', args.steps);
    if (args.backend !== undefined) overrides.set('backend', args.backend);
    return args.steps === undefined && args.backend === undefined ? base : parseConfigStrict(overrides.toString());
  } catch (e) {
    if (e instanceof ConfigError) fail(e.message);
    throw e;
  }
}

function nodeBackend(config: ExperimentConfig): 'wasm' | 'cpu' {
  if (config.backend === 'auto') return 'wasm';
  if (config.backend === 'wasm' || config.backend === 'cpu') return config.backend;
  fail(`backend: ${config.backend} is not available in Node (use wasm or cpu)`);
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

function formatHgkdSummary(h: HgkdResult): string {
  const d = h.distill;
  const at = (m: typeof d.first) => (m ? `mse ${m.mse.toFixed(4)} sim ${m.simLoss.toFixed(4)} r ${m.pearson.toFixed(3)}` : 'no steps');
  return [
    `distill: first step ${at(d.first)} → last step ${at(d.last)} (queue ${d.last?.queueFill ?? 0}, ${d.stepsPerSec.toFixed(2)} steps/s)`,
    `${h.finetune.mode}: distilled student test ${(100 * h.finetune.testAcc).toFixed(2)}% (loss ${h.finetune.loss.toFixed(4)}) vs scratch baseline ${(100 * h.scratch.testAcc).toFixed(2)}% (loss ${h.scratch.loss.toFixed(4)})`,
  ].join('\n');
}

async function main() {
  const args = parseCli();
  const config = buildConfig(args);
  let seeds: number[] = [config.seed];
  let sweep = null;
  try {
    if (args.seeds) seeds = parseSeeds(args.seeds);
    if (args.sweep) sweep = parseSweep(args.sweep);
    // Validate every (value, seed) config before the first run starts.
    for (const value of sweep ? sweep.values : [null]) for (const seed of seeds) configForValue(config, sweep, value, seed);
  } catch (e) {
    fail((e as Error).message);
  }
  const backend = nodeBackend(config);
  const teacherEpochs = args['teacher-epochs'] === undefined ? undefined : Number(args['teacher-epochs']);
  if (teacherEpochs !== undefined && !(teacherEpochs > 0 && teacherEpochs <= 100)) fail(`--teacher-epochs "${args['teacher-epochs']}": expected a number in (0, 100]`);
  const deps = await nodeExperimentDeps(backend, { epochs: teacherEpochs, log: (line) => process.stderr.write(`${line}\n`) });
  const started = Date.now();
  const runOne = (c: ExperimentConfig): Promise<ExperimentResult> => {
    process.stderr.write(`run: ${c.method} seed=${c.seed}${sweep ? ` ${sweep.field}=${String(c[sweep.field])}` : ''}\n`);
    const result = runExperiment(c, deps, {
      onStep: (m) => {
        if (m.step % 10 === 0 || m.step === c.steps || m.testAcc !== undefined) {
          const test = m.testAcc !== undefined ? ` test ${(100 * m.testAcc).toFixed(2)}%` : '';
          process.stderr.write(
            `\r  step ${m.step}/${c.steps} loss ${m.loss.toFixed(4)} task ${m.taskLoss.toFixed(4)} distill ${m.distillLoss.toFixed(4)} diff ${m.difference.toFixed(1)} train ${(100 * m.trainAcc).toFixed(1)}%${test}   `,
          );
          if (m.testAcc !== undefined) process.stderr.write('\n');
        }
      },
      onHgkdStep: (p) => process.stderr.write(formatHgkdProgress(p, c)),
    });
    return result.then((r) => {
      if (r.alphaHint !== null) process.stderr.write(`\nα helper: α = ${r.alphaHint.toPrecision(3)} makes the distillation term equal the task loss at step 0 (this run: α = ${c.alpha})\n`);
      return r;
    });
  };

  const rows = await runSweep(config, sweep, seeds, runOne);
  process.stderr.write(`\ndone in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

  if (sweep) {
    process.stdout.write(formatSweepTable(sweep.field, rows) + '\n');
    if (args.json) {
      const out = rows.map((r) => ({ value: r.value, seeds: r.seeds, mean: r.mean, sd: r.sd, stepsPerSec: r.stepsPerSec, runs: r.runs }));
      process.stdout.write(JSON.stringify(out) + '\n');
    }
    return;
  }
  const runs = rows[0].runs;
  const first = runs[0];
  const f = first.final;
  if (first.hgkd) process.stdout.write(formatHgkdSummary(first.hgkd) + '\n');
  process.stdout.write(
    `final: test ${(100 * f.testAcc).toFixed(2)}% (${describeFinalEval(first.finalEval)}) train ${(100 * f.trainAcc).toFixed(2)}% loss ${f.loss.toFixed(4)} difference ${f.difference.toFixed(2)} (${first.stepsPerSec.toFixed(1)} steps/s on ${first.backend})\n`,
  );
  if (runs.length > 1) process.stdout.write(formatSweepTable('seeds', rows) + '\n');
  if (args.json) {
    const out = runs.length > 1 ? { ...first, ...summariseSeeds(runs), runs } : first;
    process.stdout.write(JSON.stringify(out) + '\n');
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`experiment: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
