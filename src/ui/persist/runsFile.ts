/**
 * The runs file: kept runs as one JSON download, to import in another browser and overlay. Each
 * run is a stored record (runRecord.ts), read back through the same `fromRecord` as IndexedDB's,
 * so an imported run is checked exactly as a stored one (config through the config schema, every
 * field's type, array sizes). Files come from other people: reading never throws, never evaluates
 * anything (JSON.parse only), and cleans or rejects field by field with a message per run.
 *
 *   download('runs.json', new Blob([writeRunsFile(runs)]))
 *   const { runs, message } = readRunsFile(await file.text(), existing)
 */
import { type SavedRun, fromRecord, toRecord } from './runRecord';

export const RUNS_FILE_FORMAT = 'distill-playground-runs';
export const RUNS_FILE_VERSION = 1;
/** Larger files are refused before parsing (a full table of runs is a few MB). */
export const MAX_RUNS_FILE_BYTES = 32 * 1024 * 1024;
export const MAX_RUNS_PER_FILE = 1000;

/**
 * JSON has no NaN or ±Infinity; a diverged run's losses are exactly that. They travel as these
 * strings and come back as numbers only where the record's schema wants a number.
 */
const NON_FINITE: Record<string, number> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY };

export function writeRunsFile(runs: readonly SavedRun[], exportedAt = Date.now()): string {
  const body = { format: RUNS_FILE_FORMAT, version: RUNS_FILE_VERSION, exportedAt, runs: runs.map(toRecord) };
  return JSON.stringify(body, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}

export interface ReadRuns {
  /** The runs to add: fresh ids and labels after `existing`'s, not overlaid yet. */
  runs: SavedRun[];
  /** What happened, for the page: counts, and each rejected or cleaned run by its position. */
  message: string;
}

type Problem = { index: number; why: string };

export function readRunsFile(text: string, existing: readonly SavedRun[], now = Date.now()): ReadRuns {
  const refuse = (why: string): ReadRuns => ({ runs: [], message: `No runs imported: ${why}.` });
  if (text.length > MAX_RUNS_FILE_BYTES) return refuse(`the file is over ${MAX_RUNS_FILE_BYTES / 1024 / 1024} MB`);
  let body: unknown;
  try {
    body = JSON.parse(text, revive);
  } catch {
    return refuse('the file is not JSON');
  }
  if (!isObject(body) || body.format !== RUNS_FILE_FORMAT) return refuse('the file is not a runs file of this playground');
  if (typeof body.version !== 'number' || body.version > RUNS_FILE_VERSION) return refuse('the file comes from a newer version of the playground');
  if (body.version !== RUNS_FILE_VERSION || !Array.isArray(body.runs)) return refuse('the file is damaged');
  if (body.runs.length > MAX_RUNS_PER_FILE) return refuse(`the file holds ${body.runs.length} runs, over the limit of ${MAX_RUNS_PER_FILE}`);

  const rejected: Problem[] = [];
  const cleaned: Problem[] = [];
  const runs: SavedRun[] = [];
  let label = existing.reduce((m, r) => Math.max(m, r.label), 0);
  body.runs.forEach((raw: unknown, index: number) => {
    const read = fromRecord(raw);
    if (!read.ok) {
      rejected.push({ index, why: read.reason === 'newer' ? 'saved by a newer version' : 'damaged or not a run' });
      return;
    }
    const { run, fixes } = cleanRun(read.run);
    if (fixes.length) cleaned.push({ index, why: fixes.join(', ') });
    label += 1;
    runs.push({ ...run, id: `${now.toString(36)}-i${label}`, label, selected: false });
  });
  const list = (ps: Problem[]) => ps.slice(0, 5).map((p) => `#${p.index + 1} (${p.why})`).join('; ') + (ps.length > 5 ? `; and ${ps.length - 5} more` : '');
  const parts = [`Imported ${runs.length} of ${body.runs.length} runs.`];
  if (rejected.length) parts.push(`Rejected ${rejected.length}: ${list(rejected)}.`);
  if (cleaned.length) parts.push(`Cleaned ${cleaned.length}: ${list(cleaned)}.`);
  return { runs, message: parts.join(' ') };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JSON.parse's reviver: drops prototype-pollution keys and turns the non-finite markers back into numbers. */
function revive(key: string, value: unknown): unknown {
  if (key === '__proto__' || key === 'constructor' || key === 'prototype') return undefined;
  return typeof value === 'string' && value in NON_FINITE ? NON_FINITE[value] : value;
}

const isAccuracy = (v: number | null) => v === null || (v >= 0 && v <= 1);
const isNonNegative = (v: number | null) => v === null || (Number.isFinite(v) && v >= 0);
/** Longer text (an error message) is cut: it is shown in a tooltip, never as markup. */
const MAX_TEXT = 500;

/**
 * The fields the schema takes as any number but the page shows as one thing: an accuracy outside
 * [0, 1] or a negative speed or time is set to null / 0 (named in the message), the error text is cut.
 */
function cleanRun(run: SavedRun): { run: SavedRun; fixes: string[] } {
  const fixes: string[] = [];
  const accuracy = (name: string, v: number | null) => (isAccuracy(v) ? v : (fixes.push(`${name} ${v} is not an accuracy`), null));
  const out: SavedRun = {
    ...run,
    testAcc: accuracy('test acc', run.testAcc),
    trainAcc: accuracy('train acc', run.trainAcc),
    stepsPerSec: isNonNegative(run.stepsPerSec) ? run.stepsPerSec : (fixes.push(`steps/s ${run.stepsPerSec}`), null),
    seconds: isNonNegative(run.seconds) ? run.seconds : (fixes.push(`time ${run.seconds}`), 0),
    error: run.error !== null && run.error.length > MAX_TEXT ? (fixes.push('error text cut'), run.error.slice(0, MAX_TEXT)) : run.error,
  };
  if (out.metrics.pipeline === 'hgkd' && !isAccuracy(out.metrics.scratchAcc)) {
    fixes.push(`scratch acc ${out.metrics.scratchAcc} is not an accuracy`);
    out.metrics = { ...out.metrics, scratchAcc: null };
  }
  return { run: out, fixes };
}
