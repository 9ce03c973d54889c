/**
 * The paper's Table 5 / Fig. 3 on the user's own machine: none / mimic / MGD / KD with the form's
 * config over several seeds, then mean ± sd per method, which gaps to `none` exceed the seed
 * noise (Welch's t-test), and the paper's numbers beside ours for reference.
 */
import { useMemo } from 'react';
import { compareMethods, type MeanSd, type MethodRow } from '../../core/compare/batches';
import { COMPARED_METHODS, paperSettingFor } from '../../core/compare/paper';
import { WELCH_LEVEL } from '../../core/compare/welch';
import { fmt } from '../format';
import { useApp } from '../store';
import { describeRow } from '../../core/compare/tableResult';
import { useTableResult } from '../paperResults';
import { BatchControls } from './BatchControls';
import { outcomesOf, useBatchRuns } from './batchRuns';

/** mean ± sd; a single run has no sd to show. */
function meanSd(m: MeanSd, show: (x: number) => string): string {
  if (m.n === 0) return '–';
  return m.n === 1 ? `${show(m.mean)} (1 run)` : `${show(m.mean)} ± ${show(m.sd)}`;
}
const pctSd = (m: MeanSd) => meanSd(m, (x) => (100 * x).toFixed(1));
const numSd = (m: MeanSd) => meanSd(m, fmt);

function Verdict({ row }: { row: MethodRow }) {
  const r = row.vsNone;
  if (row.method === 'none') return <span className="verdict">baseline</span>;
  if (!r) return <span className="verdict">–</span>;
  const delta = `${r.diff >= 0 ? '+' : '−'}${Math.abs(100 * r.diff).toFixed(1)} pp`;
  if (!r.testable) return <span className="verdict verdict-untested" title={r.reason}>{delta}, noise not measured</span>;
  return (
    <span className={`verdict ${r.exceeds ? 'verdict-exceeds' : 'verdict-within'}`} data-verdict={r.exceeds ? 'exceeds' : 'within'} title={`Welch t = ${fmt(r.t)}, df = ${fmt(r.df)}`}>
      {delta}, {r.exceeds ? 'exceeds' : 'within'} noise (p = {r.p < 0.001 ? '< 0.001' : r.p.toFixed(3)})
    </span>
  );
}

/** Before any run of one's own: the shipped Table-1 results of the four methods (the default config), so there is something to see at once. */
function ShippedPreview() {
  const state = useTableResult('mgd-t1');
  if (state.kind !== 'ok') return null;
  const rows = state.result.rows.filter((r) => (COMPARED_METHODS as readonly string[]).includes(r.key) && r.mean !== null);
  if (rows.length === 0) return null;
  return (
    <p className="batch-caption" data-testid="paper-shipped-preview">
      Shipped test accuracy % of the default config ({state.result.steps} steps, seeds {state.result.seeds.join(', ')}; mean ± sd (runs); the rest of Table 1 is
      under <i>Paper tables</i>): {rows.map((r) => `${r.key} ${describeRow(r)}`).join(' · ')}.
    </p>
  );
}

export function PaperComparison() {
  const start = useApp((s) => s.startPaperComparison);
  const runs = useBatchRuns('paper');
  const rows = useMemo(() => compareMethods(outcomesOf(runs)), [runs]);
  const incomplete = runs.filter((r) => r.status !== 'completed').length;
  const base = runs[0]?.config;
  const paper = base ? paperSettingFor(base) : null;
  return (
    <section className="batch-panel" aria-label="Paper comparison">
      <h2>Paper comparison</h2>
      <p className="batch-help">
        Runs <b>none</b>, <b>mimic</b>, <b>MGD</b> and <b>KD</b> with the form&apos;s config (same data, same student initialisation per seed), each over several
        seeds, one after another.
      </p>
      <BatchControls
        kind="paper"
        startLabel="Run paper comparison"
        onStart={(seeds) => {
          start(seeds);
          return null;
        }}
      />
      {runs.length === 0 && <ShippedPreview />}
      {runs.length > 0 && base && paper && (
        <table className="compare-table" data-testid="paper-table">
          <caption>
            {base.teacher} → {base.student} on {base.dataset}, {base.steps} steps; mean ± sd over the completed runs of each method
            {incomplete > 0 ? ` (${incomplete} stopped or failed run${incomplete > 1 ? 's' : ''} left out)` : ''}.
          </caption>
          <thead>
            <tr>
              <th>method</th>
              <th>seeds</th>
              <th>test acc %</th>
              <th title={`Welch's t-test against none, two-sided, ${100 * WELCH_LEVEL} % level`}>vs none</th>
              <th title="Σ(align(S) − T)²/N at the last step (paper Fig. 3)">difference</th>
              <th title={`${paper.label} (${paper.source})`}>paper top-1 %</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.method} data-testid="paper-row" data-method={row.method} data-n={row.testAcc.n}>
                <td>{row.method}</td>
                <td>{row.seeds.join(', ') || '–'}</td>
                <td className="num">{pctSd(row.testAcc)}</td>
                <td>
                  <Verdict row={row} />
                </td>
                <td className="num">{numSd(row.difference)}</td>
                <td className="num paper-number">{paper.top1[row.method]?.toFixed(2) ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {paper && (
        <p className="batch-caption">
          A gap to <i>none</i> &ldquo;exceeds noise&rdquo; when Welch&apos;s t-test on the seeds&apos; test accuracies rejects equal means (two-sided, {100 * WELCH_LEVEL} %, no
          correction for the three comparisons); with one seed per method the noise is not measured and no claim is made. The paper column is{' '}
          <b>{paper.label}</b> ({paper.source}): full-size ResNets trained on 224×224 images. Browser-scale students after a few hundred steps are noisy, and the
          paper&apos;s ordering need not hold here. The paper&apos;s Fig. 3 shows the difference falling with mimicking and growing with MGD while accuracy rises.
        </p>
      )}
    </section>
  );
}
