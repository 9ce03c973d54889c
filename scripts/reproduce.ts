/**
 * Reproduces a paper table at browser scale with the playground's engine:
 *   npm run reproduce -- --table <id> [--seeds N] [--steps N] [--backend wasm|cpu] [--fresh] [--out <file>]
 *   npm run reproduce -- --list
 * Runs every (seed, row) of the table (src/core/compare/tables.ts), seeds outermost, and writes
 * public/results/<id>.json (config links, per-seed finals, mean ± sd, Welch's test against the
 * baseline row, backend, steps/s, date, commit) after each run, so a table cut short resumes:
 * a run whose link and backend are already in a results file (this table's or another's: the
 * tables share their `none` and default-MGD runs) is not run again (--fresh runs all).
 * Then prints the table in markdown. A bad argument exits 2.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeConfig } from '../src/core/config';
import { PAPER_TABLES, TABLE_IDS, type TableRun, paperTable, tableRuns } from '../src/core/compare/tables';
import { type RunResult, type TableResult, TABLE_RESULT_VERSION, formatTableMarkdown, parseTableResult, summariseRows } from '../src/core/compare/tableResult';
import { nodeExperimentDeps } from '../src/node/experimentDeps';
import { failUsage, parseCliArgs, runWithProgress } from '../src/node/runnerCli';

const USAGE = `usage: npm run reproduce -- --table <${TABLE_IDS.join('|')}> [--seeds N] [--steps N] [--backend wasm|cpu] [--fresh] [--out <file>] | --list`;
const fail: (message: string) => never = (message) => failUsage('reproduce', USAGE, message);
const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

function commit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).trim();
    return dirty ? `${head}+changes` : head;
  } catch {
    return 'unknown';
  }
}

/** Runs already measured on `backend` in any results file of `dir` (and `file`), by link: a link is the whole config, seed and steps included. */
async function previousRuns(dir: string, file: string, backend: string, write: (s: string) => void): Promise<Map<string, RunResult>> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const files = [...new Set([file, ...names.filter((n) => n.endsWith('.json')).map((n) => path.join(dir, n))])];
  const runs = new Map<string, RunResult>();
  for (const f of files) {
    const text = await readFile(f, 'utf8').catch(() => null);
    if (text === null) continue;
    try {
      const old = parseTableResult(JSON.parse(text));
      if (old.backend === backend) for (const r of old.rows.flatMap((row) => row.runs)) runs.set(r.link, r);
    } catch (e) {
      write(`note: ${path.relative(ROOT, f)} is not a results file (${(e as Error).message}); its runs are not reused\n`);
    }
  }
  return runs;
}

function positiveInt(name: string, text: string | undefined, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) fail(`--${name} "${text}": a whole number from 1 to ${max}`);
  return n;
}

async function main() {
  const args = parseCliArgs(
    { table: { type: 'string' }, seeds: { type: 'string' }, fresh: { type: 'boolean', default: false }, out: { type: 'string' }, list: { type: 'boolean', default: false } },
    fail,
  );
  const write = (s: string) => process.stderr.write(s);
  const dir = path.join(ROOT, 'public', 'results');
  if (args.list) {
    // What each table still needs on wasm, counting the runs any results file already holds.
    const held = await previousRuns(dir, path.join(dir, 'none.json'), args.backend ?? 'wasm', write);
    for (const t of PAPER_TABLES) {
      const runs = tableRuns(t);
      const todo = runs.filter((r) => !held.has(encodeConfig(r.config))).length;
      process.stdout.write(`${t.id.padEnd(8)} ${t.title}: ${t.rows.length} rows × ${t.seeds} seeds × ${t.steps} steps; ${todo} of ${runs.length} runs to do\n`);
    }
    return;
  }
  if (args.config) fail('--config is not taken: a table names its own configs (src/core/compare/tables.ts)');
  if (!args.table) fail('--table is required');
  let table;
  try {
    table = paperTable(args.table);
  } catch (e) {
    fail((e as Error).message);
  }
  const steps = positiveInt('steps', args.steps, 100000) ?? table.steps;
  const seeds = positiveInt('seeds', args.seeds, 10) ?? table.seeds;
  const backend = args.backend ?? 'wasm';
  if (backend !== 'wasm' && backend !== 'cpu') fail(`--backend "${backend}": wasm or cpu`);
  let runs: TableRun[];
  try {
    // The links name no backend (the file does), so the page's runs of a row match the shipped ones.
    runs = tableRuns(table, { steps, seeds });
  } catch (e) {
    fail((e as Error).message);
  }
  const file = args.out ?? path.join(dir, `${table.id}.json`);
  const done = args.fresh ? new Map<string, RunResult>() : await previousRuns(dir, file, backend, write);
  const deps = await nodeExperimentDeps(backend, { log: (line) => write(`${line}\n`) });
  const results = new Map<string, RunResult[]>(table.rows.map((r) => [r.key, []]));
  const started = Date.now();
  const code = commit(); // the code this process loaded, whatever HEAD becomes while it runs
  const command = `npm run reproduce -- --table ${table.id} --seeds ${seeds} --steps ${steps} --backend ${backend}`;
  const save = async (): Promise<TableResult> => {
    const rows = summariseRows(table, (key) => [...(results.get(key) ?? [])].sort((a, b) => a.seed - b.seed));
    const all = rows.flatMap((r) => r.runs);
    const result: TableResult = {
      version: TABLE_RESULT_VERSION, table: table.id, title: table.title, source: table.source, steps,
      seeds: Array.from({ length: seeds }, (_, i) => i + 1), backend, date: new Date().toISOString(), commit: code, command,
      seconds: Math.round((Date.now() - started) / 1000), stepsPerSec: all.length ? all.reduce((a, r) => a + r.stepsPerSec, 0) / all.length : 0, rows,
    };
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify(parseTableResult(result), null, 1) + '\n');
    return result;
  };
  // Runs already in the file go in first, so a run cut short never drops them from it.
  const todo = runs.filter((run) => {
    const before = done.get(encodeConfig(run.config));
    if (before) results.get(run.row.key)!.push(before);
    return !before;
  });
  const reused = runs.length - todo.length;
  if (reused) write(`${reused} of ${runs.length} run(s) already in public/results are kept, not run again (--fresh runs them)\n`);
  for (const [i, run] of todo.entries()) {
    write(`[${i + 1}/${todo.length}] ${table.id} ${run.row.label} seed ${run.seed}\n`);
    const r = await runWithProgress(run.config, deps, write, { label: ` (${run.row.key})` });
    write(`\n  test ${(100 * r.final.testAcc).toFixed(2)}% (${r.stepsPerSec.toFixed(2)} steps/s)\n`);
    results.get(run.row.key)!.push({ seed: run.seed, testAcc: r.final.testAcc, stepsPerSec: r.stepsPerSec, link: encodeConfig(run.config), commit: code });
    await save();
  }
  const result = await save();
  write(`done in ${((Date.now() - started) / 1000).toFixed(0)} s; wrote ${path.relative(ROOT, file)}\n`);
  process.stdout.write(formatTableMarkdown(table, result));
}

main().catch((e: unknown) => {
  process.stderr.write(`reproduce: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
