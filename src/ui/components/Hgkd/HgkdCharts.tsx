/**
 * H-GKD's curves: the distillation phase (token MSE, similarity loss 1 − r, Pearson r), then the
 * labelled phase with the scratch baseline overlaid (cross-entropy and test accuracy), so the
 * head start the distilled backbone gets is visible step by step. Redrawn at most once a second.
 */
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../../store';
import type { DistillPoint } from '../../store/hgkdSlice';
import { forDisplay } from '../../store/series';
import { useThrottled } from '../../throttle';
import { HgkdChart, type RowSeries } from './HgkdChart';
import { type LabelledRow, labelledRows } from './hgkdSeries';

const REDRAW_MS = 1000;

const MSE: readonly RowSeries<DistillPoint>[] = [{ key: 'mse', name: 'MSE(student tokens, teacher patches)', color: 'var(--series-difference)' }];
const SIM: readonly RowSeries<DistillPoint>[] = [{ key: 'simLoss', name: '1 − Pearson r', color: 'var(--series-distill)' }];
const PEARSON: readonly RowSeries<DistillPoint>[] = [{ key: 'pearson', name: 'r(student, teacher similarities)', color: 'var(--series-task)' }];
const FT_LOSS: readonly RowSeries<LabelledRow>[] = [
  { key: 'ftLoss', name: 'distilled → fine-tuned', color: 'var(--series-task)' },
  { key: 'scratchLoss', name: 'scratch', color: 'var(--series-scratch)', dashed: true },
];
const FT_ACC: readonly RowSeries<LabelledRow>[] = [
  { key: 'ftAcc', name: 'distilled → fine-tuned', color: 'var(--series-test)', dots: true },
  { key: 'scratchAcc', name: 'scratch', color: 'var(--series-scratch)', dots: true, dashed: true },
];

export function HgkdCharts() {
  const live = useApp(useShallow((s) => ({ distill: s.hgkd.distill, finetune: s.hgkd.finetune, scratch: s.hgkd.scratch, mode: s.config.ftMode })));
  const { distill, finetune, scratch, mode } = useThrottled(live, REDRAW_MS);
  const shown = useMemo(() => forDisplay(distill), [distill]);
  const rows = useMemo(() => labelledRows(forDisplay(finetune), forDisplay(scratch)), [finetune, scratch]);
  const labelled = mode === 'linear' ? 'linear probe' : 'fine-tune';
  return (
    <div className="hgkd-charts">
      <h3>Distillation</h3>
      <div className="hgkd-chart-row">
        <HgkdChart id="mse" title="Token MSE" hint="Mean squared error between the decoder's tokens and the MIM teacher's patch embeddings" rows={shown} x="step" xLabel="step" series={MSE} />
        <HgkdChart id="sim" title="Similarity loss" hint="1 − Pearson r between the student's and the teacher's similarity distributions over the queue (measured even when the loss is off)" rows={shown} x="step" xLabel="step" series={SIM} />
        <HgkdChart id="pearson" title="Pearson r" hint="Correlation of the two similarity distributions: 1 = the student ranks the queue as the teacher does" rows={shown} x="step" xLabel="step" series={PEARSON} />
      </div>
      <h3>{`Labelled ${labelled}: distilled backbone vs scratch`}</h3>
      <div className="hgkd-chart-row">
        <HgkdChart id="ft-loss" title="Cross-entropy" hint="Training loss of the labelled phase; the scratch baseline starts from the student's initial weights and sees the same batches" rows={rows} x="step" xLabel="step" series={FT_LOSS} />
        <HgkdChart id="ft-acc" title="Test accuracy" hint="On evaluation steps (test subset) and after the last step (full test set)" rows={rows} x="step" xLabel="step" series={FT_ACC} percent />
      </div>
    </div>
  );
}
