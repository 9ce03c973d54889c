/** Paper Fig. 5 on the user's machine: MGD at several mask ratios λ, test accuracy (mean ± sd over seeds) against λ. */
import { useMemo, useState } from 'react';
import { CartesianGrid, ErrorBar, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { DEFAULT_LAMBDAS, lambdaCurve, parseLambdas } from '../../core/compare/batches';
import { PAPER_LAMBDA_NOTE } from '../../core/compare/paper';
import { isActive, useApp } from '../store';
import { BatchControls } from './BatchControls';
import { useYAxis } from './chartParts';
import { outcomesOf, useBatchRuns } from './batchRuns';

const TICK = { fontSize: 11 };
const LAMBDA_TICKS = [0, 0.15, 0.3, 0.5, 0.65, 0.85, 0.95];

export function LambdaSweep() {
  const start = useApp((s) => s.startLambdaSweep);
  const busy = useApp((s) => isActive(s.status) || s.batch !== null);
  const [text, setText] = useState(DEFAULT_LAMBDAS.join(', '));
  const runs = useBatchRuns('lambda');
  const curve = useMemo(() => lambdaCurve(outcomesOf(runs)).map((p) => ({ ...p, mean: p.n ? p.mean : null, err: p.sd, lo: p.mean - p.sd, hi: p.mean + p.sd })), [runs]);
  // The range holds the error bars; its labels tell apart accuracies a tenth of a percent apart.
  const yAxis = useYAxis([curve], ['mean', 'lo', 'hi'], true);
  return (
    <section className="batch-panel" aria-label="Lambda sweep">
      <h2>λ sweep</h2>
      <p className="batch-help">MGD with the form&apos;s config at each mask ratio λ (a method without a mask runs as MGD).</p>
      <BatchControls
        kind="lambda"
        startLabel="Run λ sweep"
        defaultSeeds={1}
        onStart={(seeds) => {
          try {
            start(parseLambdas(text), seeds);
            return null;
          } catch (e) {
            return e instanceof Error ? e.message : String(e);
          }
        }}
      >
        <label className="batch-field batch-lambdas">
          λ values
          <input type="text" value={text} disabled={busy} onChange={(e) => setText(e.target.value)} aria-label="λ values to sweep" />
        </label>
      </BatchControls>
      {curve.length > 0 && (
        <figure className="chart lambda-chart" data-testid="lambda-chart" data-points={curve.length}>
          <figcaption>Test accuracy vs λ (mean ± sd over seeds, completed runs)</figcaption>
          <ResponsiveContainer width="100%" height={170}>
            <LineChart data={curve} margin={{ top: 6, right: 12, bottom: 0, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="var(--chart-grid)" vertical={false} />
              <XAxis dataKey="lambda" type="number" domain={[0, 0.95]} ticks={LAMBDA_TICKS} tick={TICK} />
              <YAxis tick={TICK} interval={0} {...(yAxis ? { width: yAxis.width, domain: yAxis.domain, ticks: yAxis.ticks, tickFormatter: yAxis.format } : { width: 44 })} />
              <Tooltip formatter={(v) => (typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : String(v))} labelFormatter={(l) => `λ = ${l}`} />
              <Line dataKey="mean" name="test acc" stroke="var(--series-test)" dot={{ r: 3 }} isAnimationActive={false} connectNulls>
                <ErrorBar dataKey="err" width={4} stroke="var(--series-test)" direction="y" />
              </Line>
            </LineChart>
          </ResponsiveContainer>
        </figure>
      )}
      <p className="batch-caption">{PAPER_LAMBDA_NOTE} At browser scale the curve is noisy; use several seeds before reading a trend into it.</p>
    </section>
  );
}
