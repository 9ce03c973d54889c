/**
 * The paper tables at browser scale: for the chosen table, the paper's numbers beside the
 * shipped results (public/results, from `npm run reproduce`) and beside this page's own runs of
 * the same configs, with error bars (mean ± sd over seeds), the gap to the baseline row and a
 * reading in plain words. "Run it here" queues the table's runs this page does not hold yet.
 */
import { useMemo, useState } from 'react';
import { type RowResult, type RunResult, describeGap, describeRow, readTable, summariseRows } from '../../core/compare/tableResult';
import { PAPER_TABLES, type PaperTable, type TableId, paperTable, tableLink, tableRowOf } from '../../core/compare/tables';
import type { SavedRun } from '../persist/runRecord';
import { type ResultState, useTableResult } from '../paperResults';
import { useApp } from '../store';
import { BatchControls } from './BatchControls';

/** This page's completed runs of the table's rows, as result rows. */
function hereRows(table: PaperTable, runs: readonly SavedRun[]): RowResult[] {
  const byRow = new Map<string, RunResult[]>();
  for (const r of runs) {
    if (r.status !== 'completed' || r.testAcc === null) continue;
    const row = tableRowOf(table, r.config);
    if (row) byRow.set(row.key, [...(byRow.get(row.key) ?? []), { seed: r.config.seed, testAcc: r.testAcc, stepsPerSec: r.stepsPerSec ?? 0, link: tableLink(r.config) }]);
  }
  return summariseRows(table, (key) => byRow.get(key) ?? []);
}

interface Span {
  lo: number;
  hi: number;
}

/** The accuracy range every bar of the table shares (fractions), padded a little. */
function spanOf(rows: readonly RowResult[]): Span | null {
  const ends = rows.filter((r) => r.mean !== null).flatMap((r) => [r.mean! - (r.sd ?? 0), r.mean! + (r.sd ?? 0)]);
  if (ends.length === 0) return null;
  const [lo, hi] = [Math.min(...ends), Math.max(...ends)];
  const pad = Math.max((hi - lo) * 0.08, 0.002);
  return { lo: lo - pad, hi: hi + pad };
}

const BAR_W = 150;

/** mean (dot) ± sd (line) of the shipped and of this page's runs, on the table's shared scale. */
function ErrorBars({ shipped, here, span }: { shipped?: RowResult; here?: RowResult; span: Span | null }) {
  if (!span) return null;
  const x = (v: number) => ((v - span.lo) / (span.hi - span.lo)) * BAR_W;
  const bar = (r: RowResult | undefined, y: number, cls: string) =>
    r?.mean != null && (
      <g className={cls}>
        <line x1={x(r.mean - (r.sd ?? 0))} x2={x(r.mean + (r.sd ?? 0))} y1={y} y2={y} />
        <circle cx={x(r.mean)} cy={y} r={3} />
      </g>
    );
  return (
    <svg width={BAR_W} height={16} className="error-bars" role="img" aria-label="mean ± sd over seeds">
      {bar(shipped, 5, 'bar-shipped')}
      {bar(here, 12, 'bar-here')}
    </svg>
  );
}

function ShippedNote({ state, id }: { state: ResultState; id: TableId }) {
  if (state.kind === 'loading') return <p className="batch-caption">Loading the shipped results…</p>;
  if (state.kind === 'missing') {
    return (
      <p className="batch-caption" data-testid="table-missing">
        No shipped results for this table yet: <code>npm run reproduce -- --table {id}</code> makes them, or run it here.
      </p>
    );
  }
  if (state.kind === 'bad') {
    return (
      <p className="batch-notice" role="alert" data-testid="table-bad">
        The shipped results of this table could not be read: {state.message}.
      </p>
    );
  }
  const r = state.result;
  return (
    <p className="batch-caption" data-testid="table-shipped-caption">
      Shipped: {r.steps} steps, seeds {r.seeds.join(', ')}, {r.backend} in Node ({r.stepsPerSec.toFixed(2)} steps/s), {r.date.slice(0, 10)}, commit {r.commit}:{' '}
      <code>{r.command}</code>.
    </p>
  );
}

/** A table's reading in plain words (core/compare/tableResult.ts readTable). */
function Reading({ title, testId, lines }: { title: string; testId: string; lines: string[] }) {
  return (
    <div className="table-reading" data-testid={testId}>
      <b>{title}</b>
      <ul>
        {lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </div>
  );
}

export function PaperTables() {
  const [id, setId] = useState<TableId>('mgd-t1');
  const table = paperTable(id);
  const state = useTableResult(id);
  const runs = useApp((s) => s.runs);
  const start = useApp((s) => s.startPaperTable);
  const here = useMemo(() => hereRows(table, runs), [table, runs]);
  const shipped = state.kind === 'ok' ? state.result.rows : null;
  const span = useMemo(() => spanOf([...(shipped ?? []), ...here]), [shipped, here]);
  const hasHere = here.some((r) => r.mean !== null);
  return (
    <section className="batch-panel paper-tables" aria-label="Paper tables">
      <h2>Paper tables at browser scale</h2>
      <label className="batch-field">
        table{' '}
        <select value={id} onChange={(e) => setId(e.target.value as TableId)} aria-label="Paper table">
          {PAPER_TABLES.map((t) => (
            <option key={t.id} value={t.id}>
              {t.title}
            </option>
          ))}
        </select>
      </label>
      <p className="batch-help" data-testid="table-claim">
        <b>Paper</b> ({table.source}): {table.claim}
      </p>
      <BatchControls
        kind="table"
        startLabel="Run it here"
        defaultSeeds={table.seeds}
        onStart={(seeds) => {
          start(id, seeds);
          return null;
        }}
      />
      <ShippedNote state={state} id={id} />
      <div className="runs-scroll">
        <table className="compare-table" data-testid="paper-table-view" data-table={id}>
          <thead>
            <tr>
              <th>row</th>
              <th title={table.source}>paper top-1 %</th>
              <th>shipped test acc %</th>
              <th title={`shipped (upper) and your runs (lower): mean ± sd over seeds, on one scale`}>error bars</th>
              <th title={`Welch's t-test of the shipped runs against ${table.baseline}`}>vs {table.baseline}</th>
              <th>your runs here</th>
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row, i) => {
              const s = shipped?.find((r) => r.key === row.key);
              return (
                <tr key={row.key} data-testid="table-row" data-row={row.key} data-n={s?.runs.length ?? 0} data-here={here[i].runs.length}>
                  <td title={row.set}>{row.label}</td>
                  <td className="num paper-number">{row.paper?.toFixed(2) ?? '–'}</td>
                  <td className="num">{s ? describeRow(s) : '–'}</td>
                  <td>
                    <ErrorBars shipped={s} here={here[i]} span={span} />
                  </td>
                  <td>{s ? describeGap(s.vsBaseline) : '–'}</td>
                  <td className="num">{describeRow(here[i])}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {shipped && <Reading title="Shipped results, read:" testId="table-reading" lines={readTable(table, shipped)} />}
      {hasHere && <Reading title="Your runs, read:" testId="table-reading-here" lines={readTable(table, here)} />}
      <p className="batch-caption">
        Paper numbers are ImageNet top-1 of full-size networks; ours are a few hundred steps of 20k–80k-parameter CNNs on 28×28 images. Compare orderings, not numbers.
        Runs already in your runs table with a row&apos;s config (at the table&apos;s steps) count for it, and Run it here queues only the others.
      </p>
    </section>
  );
}
