/**
 * Headless runner: the playground's engine in Node.
 *   npm run experiment -- --config "<query string or playground URL>" [--backend wasm|cpu]
 *                         [--steps N] [--seeds 1,2,3] [--sweep "method=none,mimic,mgd"] [--json]
 *                         [--teacher-epochs E]   (for a teacher given as a spec: trained once, then cached)
 *                         [--data <folder|archive> [--side 28|32|48|64] [--channels 1|3] [--test-fraction F]]
 *   --data trains on an imported dataset (class folders, .zip/.tar.gz of them, CIFAR binary
 *   archives, IDX pairs) instead of config.dataset; its teacher is trained with the recipe and cached.
 * Progress goes to stderr; with --json the last line of stdout is the result as JSON.
 * A bad config or argument exits with code 2 and names the field.
 */
import type { ExperimentConfig } from '../src/core/config';
import { describeFinal } from '../src/core/methods';
import type { ExperimentResult, HgkdResult } from '../src/core/train/experiment';
import { describeFinalEval } from '../src/core/loop/finalEvalPolicy';
import { configForValue, formatSweepTable, parseSeeds, parseSweep, runSweep, summariseSeeds } from '../src/core/train/sweep';
import { nodeExperimentDeps } from '../src/node/experimentDeps';
import { importFromDisk } from '../src/node/dataSource';
import { type ImportManifest, type ImportOptions, SIDES, type Side } from '../src/core/data/import/pipeline';
import { commonArgs, failUsage, parseCliArgs, runWithProgress } from '../src/node/runnerCli';

const USAGE = `usage: npm run experiment -- --config "<query or URL>" [--backend wasm|cpu] [--steps N] [--seeds 1,2,3] [--sweep "field=v1,v2"] [--teacher-epochs E] [--data <folder|archive> [--side 28|32|48|64] [--channels 1|3] [--test-fraction F]] [--json]`;

const fail: (message: string) => never = (message) => failUsage('experiment', USAGE, message);

function formatHgkdSummary(h: HgkdResult): string {
  const d = h.distill;
  const at = (m: typeof d.first) => (m ? `mse ${m.mse.toFixed(4)} sim ${m.simLoss.toFixed(4)} r ${m.pearson.toFixed(3)}` : 'no steps');
  return [
    `distill: first step ${at(d.first)} → last step ${at(d.last)} (queue ${d.last?.queueFill ?? 0}, ${d.stepsPerSec.toFixed(2)} steps/s)`,
    `${h.finetune.mode}: distilled student test ${(100 * h.finetune.testAcc).toFixed(2)}% (loss ${h.finetune.loss.toFixed(4)}) vs scratch baseline ${(100 * h.scratch.testAcc).toFixed(2)}% (loss ${h.scratch.loss.toFixed(4)})`,
  ].join('\n');
}

/** --side / --channels / --test-fraction as import options; a bad value exits 2. */
function importOptions(a: { side?: string; channels?: string; 'test-fraction'?: string }): Omit<ImportOptions, 'decode'> {
  const o: Omit<ImportOptions, 'decode'> = {};
  if (a.side !== undefined) {
    if (!(SIDES as readonly number[]).includes(Number(a.side))) fail(`--side "${a.side}": one of ${SIDES.join(', ')}`);
    o.side = Number(a.side) as Side;
  }
  if (a.channels !== undefined) {
    if (a.channels !== '1' && a.channels !== '3') fail(`--channels "${a.channels}": 1 (grey) or 3 (RGB)`);
    o.channels = Number(a.channels) as 1 | 3;
  }
  if (a['test-fraction'] !== undefined) {
    const f = Number(a['test-fraction']);
    if (!(f > 0 && f < 1)) fail(`--test-fraction "${a['test-fraction']}": a number in (0, 1)`);
    o.testFraction = f;
  }
  return o;
}

function describeImport(m: ImportManifest): string {
  const skips = Object.entries(m.images.skippedByReason).map(([r, n]) => `${n} ${r}`).join(', ');
  const split = m.split.kind === 'given' ? 'split as given' : `seeded split (test fraction ${m.split.testFraction}, seed ${m.split.seed})`;
  return `data: ${m.name} (${m.source.format}, hash ${m.hash.slice(0, 12)}): ${m.classNames.length} classes, ${m.side}×${m.side}×${m.channels}, train ${m.counts.train} / test ${m.counts.test} (${split}); ${m.images.used} images used (${m.images.resized} resized), ${m.images.skipped} skipped${skips ? ` (${skips})` : ''}`;
}

async function main() {
  const args = parseCliArgs(
    {
      seeds: { type: 'string' },
      sweep: { type: 'string' },
      json: { type: 'boolean', default: false },
      data: { type: 'string' },
      side: { type: 'string' },
      channels: { type: 'string' },
      'test-fraction': { type: 'string' },
    },
    fail,
  );
  if (!args.data && (args.side || args.channels || args['test-fraction'])) fail('--side, --channels and --test-fraction go with --data');
  let config: ExperimentConfig;
  let seeds: number[];
  let sweep = null;
  let backend: 'wasm' | 'cpu';
  let epochs: number | undefined;
  try {
    ({ config, backend, epochs } = commonArgs(args, (line) => process.stderr.write(line)));
    seeds = args.seeds ? parseSeeds(args.seeds) : [config.seed];
    if (args.sweep) sweep = parseSweep(args.sweep);
    // Validate every (value, seed) config before the first run starts.
    for (const value of sweep ? sweep.values : [null]) for (const seed of seeds) configForValue(config, sweep, value, seed);
  } catch (e) {
    fail((e as Error).message);
  }
  if (args.data && config.method === 'hgkd') fail('method=hgkd needs the shipped MIM teacher of a built-in dataset; it does not run on --data');
  const imported = args.data ? await importFromDisk(args.data, importOptions(args)) : undefined;
  if (imported) process.stderr.write(`${describeImport(imported.manifest)}\n(config.dataset=${config.dataset} is not used)\n`);
  const deps = await nodeExperimentDeps(backend, { epochs, log: (line) => process.stderr.write(`${line}\n`) }, imported);
  const started = Date.now();
  const runOne = (c: ExperimentConfig): Promise<ExperimentResult> =>
    runWithProgress(c, deps, (text) => process.stderr.write(text), { label: sweep ? ` ${sweep.field}=${String(c[sweep.field])}` : '' });

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
    `final: ${describeFinal(f, describeFinalEval(first.finalEval))} (${first.stepsPerSec.toFixed(1)} steps/s on ${first.backend})\n`,
  );
  if (runs.length > 1) process.stdout.write(formatSweepTable('seeds', rows) + '\n');
  if (args.json) {
    const out = runs.length > 1 ? { ...first, ...summariseSeeds(runs), runs } : first;
    process.stdout.write(JSON.stringify(imported ? { ...out, data: imported.manifest } : out) + '\n');
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`experiment: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
