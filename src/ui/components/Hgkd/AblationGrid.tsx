/**
 * H-GKD's Table 5 on the user's machine: one click runs the seven sparse × UNet × similarity
 * combinations the paper reports, one after another on the form's config, and fills our
 * fine-tuned test accuracy beside the paper's top-1 (its own setting: ResNet-50, 25 % of
 * ImageNet — the ordering is what carries over, not the numbers).
 */
import { useMemo } from 'react';
import { useApp } from '../../store';
import { ablationResults } from '../../store/hgkdAblation';
import { BatchControls } from '../BatchControls';
import { useBatchRuns } from '../batchRuns';

const on = (b: boolean) => (b ? '✓' : '–');
const accText = (r: { n: number; mean: number | null; sd: number | null }) =>
  r.mean === null ? '–' : `${(100 * r.mean).toFixed(2)}${r.sd !== null ? ` ± ${(100 * r.sd).toFixed(2)}` : ''}`;

export function AblationGrid() {
  const start = useApp((s) => s.startAblationGrid);
  const runs = useBatchRuns('ablation');
  const rows = useMemo(() => ablationResults(runs), [runs]);
  const base = runs[0]?.config;
  return (
    <section className="batch-panel hgkd-ablation" aria-label="H-GKD ablation grid">
      <h3>Ablation grid (paper Table 5)</h3>
      <p className="batch-help">
        Runs the seven combinations of <b>sparse conv</b>, <b>UNet decoder</b> and <b>similarity loss</b> with the form&apos;s config, one after another (each: distillation,
        fine-tune and the scratch baseline).
      </p>
      <BatchControls
        kind="ablation"
        startLabel="Run Table 5 grid"
        defaultSeeds={1}
        onStart={(seeds) => {
          start(seeds);
          return null;
        }}
      />
      <table className="compare-table" data-testid="hgkd-ablation-table">
        <caption>
          {base ? `${base.student} on ${base.dataset}: ${base.steps} distillation + ${base.ftSteps} ${base.ftMode} steps; ` : ''}
          ours: test accuracy after fine-tuning (the runs' final evaluation, quick or full; mean ± sd over completed runs). Paper: top-1 in the paper&apos;s setting (ResNet-50 student,
          25 % of ImageNet), not comparable in value.
        </caption>
        <thead>
          <tr>
            <th scope="col">setting</th>
            <th scope="col">sparse</th>
            <th scope="col">UNet</th>
            <th scope="col">sim</th>
            <th scope="col">ours (%)</th>
            <th scope="col">runs</th>
            <th scope="col">paper top-1 (%)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.label} data-testid={`ablation-${r.label.replace(/[^a-z]+/gi, '-')}`}>
              <th scope="row">{r.label}</th>
              <td>{on(r.sparse)}</td>
              <td>{on(r.unet)}</td>
              <td>{on(r.sim)}</td>
              <td className="num">{accText(r)}</td>
              <td className="num">{r.n}</td>
              <td className="num paper-number">{r.paperTop1.toFixed(2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
