/**
 * A reproduced paper table's result: the file `npm run reproduce` writes to
 * public/results/<id>.json and the page reads, its schema (the page never trusts a file it
 * fetched), its summary (mean ± sd per row, Welch's test against the baseline row) and a reading
 * in plain words of where the paper's ordering holds here and where it does not.
 */
import { z } from 'zod';
import { mean, sd } from '../stats';
import { TABLE_IDS, type PaperTable } from './tables';
import { type WelchResult, WELCH_LEVEL, welch } from './welch';

export const TABLE_RESULT_VERSION = 1;

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const text = (max: number) => z.string().max(max);

const RunSchema = z.object({
  seed: z.number().int().min(0),
  testAcc: finite.min(0).max(1),
  stepsPerSec: finite.min(0),
  /** The run's whole config as a link (a playground URL's query). */
  link: text(4000),
  /** The commit whose code ran it (a run reused from another file keeps its own). */
  commit: text(60).optional(),
});

const WelchSchema = z.union([
  z.object({ testable: z.literal(true), diff: finite, t: z.number(), df: z.number(), p: finite.min(0).max(1), exceeds: z.boolean() }),
  z.object({ testable: z.literal(false), diff: z.number(), reason: text(200) }),
]);

const RowSchema = z.object({
  key: text(40),
  label: text(120),
  paper: finite.nullable(),
  runs: z.array(RunSchema).max(50),
  mean: finite.nullable(),
  sd: finite.nullable(),
  vsBaseline: WelchSchema.nullable(),
});

export const TableResultSchema = z.object({
  version: z.literal(TABLE_RESULT_VERSION),
  table: z.enum(TABLE_IDS),
  title: text(200),
  source: text(400),
  steps: z.number().int().min(1),
  seeds: z.array(z.number().int().min(0)).max(50),
  backend: text(40),
  date: text(40),
  commit: text(60),
  command: text(400),
  seconds: finite.min(0),
  stepsPerSec: finite.min(0),
  rows: z.array(RowSchema).max(40),
});

export type TableResult = z.infer<typeof TableResultSchema>;
export type RowResult = z.infer<typeof RowSchema>;
export type RunResult = z.infer<typeof RunSchema>;

/** A results file's JSON checked against the schema; throws with the first bad field's path. */
export function parseTableResult(json: unknown): TableResult {
  const r = TableResultSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`results file: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return r.data;
}

/** Each row of `table` with its runs' mean ± sd and Welch's test against the baseline row. */
export function summariseRows(table: PaperTable, runsOf: (key: string) => readonly RunResult[]): RowResult[] {
  const accs = (key: string) => runsOf(key).map((r) => r.testAcc);
  const base = accs(table.baseline);
  return table.rows.map((row) => {
    const runs = [...runsOf(row.key)];
    const acc = runs.map((r) => r.testAcc);
    const vsBaseline: WelchResult | null = row.key === table.baseline || base.length === 0 || acc.length === 0 ? null : welch(base, acc);
    return {
      key: row.key, label: row.label, paper: row.paper,
      runs, mean: acc.length ? mean(acc) : null, sd: acc.length > 1 ? sd(acc) : null, vsBaseline,
    };
  });
}

const pct = (x: number) => (100 * x).toFixed(2);
const pp = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(2)} pp`;

/** mean ± sd (n) of a row, or why it has none. */
export function describeRow(r: RowResult): string {
  if (r.mean === null) return 'no runs';
  return r.sd === null ? `${pct(r.mean)} (1 run)` : `${pct(r.mean)} ± ${pct(r.sd)} (${r.runs.length})`;
}

/** A row's gap to the baseline in words: +1.20 pp (p = 0.01, beyond noise). */
export function describeGap(w: WelchResult | null): string {
  if (!w) return '–';
  if (!w.testable) return `${pp(w.diff)} (noise not measured)`;
  const p = w.p < 0.001 ? 'p < 0.001' : `p = ${w.p.toFixed(3)}`;
  return `${pp(w.diff)} (${p}, ${w.exceeds ? 'beyond' : 'within'} noise)`;
}

/** A row's label without its parenthesis: "none (student alone)" reads "none" in a sentence. */
const short = (r: Pick<RowResult, 'label'>) => r.label.replace(/ \(.*\)$/, '');

/**
 * Where the paper's ordering holds here, in plain words: which rows beat the baseline beyond the
 * seed noise, which do not, and how many pairs of rows with a paper number keep the paper's order.
 */
export function readTable(table: PaperTable, rows: readonly RowResult[]): string[] {
  const ran = rows.filter((r) => r.mean !== null);
  if (ran.length === 0) return ['No runs yet.'];
  const base = rows.find((r) => r.key === table.baseline);
  const lines: string[] = [];
  const others = ran.filter((r) => r.key !== table.baseline && r.vsBaseline);
  const group = (test: (w: WelchResult) => boolean) => others.filter((r) => test(r.vsBaseline!)).map(short);
  const above = group((w) => w.testable && w.exceeds && w.diff > 0);
  const below = group((w) => w.testable && w.exceeds && w.diff < 0);
  const within = group((w) => w.testable && !w.exceeds);
  const untested = group((w) => !w.testable);
  const name = base ? short(base) : table.baseline;
  if (above.length) lines.push(`Beyond the seed noise above ${name}: ${above.join(', ')}.`);
  if (below.length) lines.push(`Beyond the seed noise below ${name}: ${below.join(', ')}.`);
  if (within.length) lines.push(`Within the seed noise of ${name} (Welch, ${100 * WELCH_LEVEL} %): ${within.join(', ')}.`);
  if (untested.length) lines.push(`One seed only, noise not measured: ${untested.join(', ')}.`);
  const best = [...ran].sort((a, b) => b.mean! - a.mean!)[0];
  const paperRows = ran.filter((r) => r.paper !== null);
  const paperBest = [...rows.filter((r) => r.paper !== null)].sort((a, b) => b.paper! - a.paper!)[0];
  lines.push(`Best here: ${short(best)} (${pct(best.mean!)} %)${paperBest ? `; the paper’s best: ${short(paperBest)} (${paperBest.paper!.toFixed(2)} %)` : ''}.`);
  let pairs = 0;
  let kept = 0;
  const flipped: string[] = [];
  for (let i = 0; i < paperRows.length; i++) {
    for (let j = i + 1; j < paperRows.length; j++) {
      const [a, b] = [paperRows[i], paperRows[j]];
      if (a.paper === b.paper) continue;
      pairs++;
      const [hi, lo] = a.paper! > b.paper! ? [a, b] : [b, a];
      if (hi.mean! > lo.mean!) kept++;
      else flipped.push(`${short(lo)} ≥ ${short(hi)}`);
    }
  }
  if (pairs > 0) {
    const flips = flipped.length ? ` Reversed here: ${flipped.slice(0, 6).join('; ')}${flipped.length > 6 ? `; and ${flipped.length - 6} more` : ''}.` : '';
    lines.push(`${kept} of ${pairs} pairs of rows with a paper number keep the paper’s order.${flips}`);
  }
  return lines;
}

/** The table in markdown: paper beside here, with the gap to the baseline; then the reading. */
export function formatTableMarkdown(table: PaperTable, result: Pick<TableResult, 'rows' | 'steps' | 'seeds' | 'backend' | 'stepsPerSec'>): string {
  const head = `### ${table.title}\n\n${table.source}. Here: ${result.steps} steps, seeds ${result.seeds.join(', ')}, ${result.backend}, ${result.stepsPerSec.toFixed(2)} steps/s.\n`;
  const lines = ['| row | paper top-1 % | here test acc % (mean ± sd, n) | vs ' + table.baseline + ' |', '|---|---:|---:|---|'];
  for (const r of result.rows) {
    const here = describeRow(r);
    lines.push(`| ${r.label} | ${r.paper?.toFixed(2) ?? '–'} | ${here} | ${describeGap(r.vsBaseline)} |`);
  }
  const reading = readTable(table, result.rows).map((l) => `- ${l}`).join('\n');
  return `${head}\n${lines.join('\n')}\n\nPaper: ${table.claim}\n\nHere:\n${reading}\n`;
}
