/**
 * H-GKD's curves: the distillation phase (token MSE, similarity loss 1 − r, Pearson r), then the
 * labelled phase with the scratch baseline overlaid (cross-entropy and test accuracy), so the
 * head start the distilled backbone gets is visible step by step. Each chart redraws at most once
 * a second on its own phase of the clock (as the MGD charts do), so no task redraws two of them.
 */
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../../store';
import type { DistillPoint } from '../../store/hgkdSlice';
import { forDisplay } from '../../store/series';
import { useThrottled } from '../../throttle';
import { REDRAW_MS } from '../redrawTiming';
import { HgkdChart, type RowSeries } from './HgkdChart';
import { type LabelledRow, labelledRows } from './hgkdSeries';

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

/** The distillation points, thinned, at most once per REDRAW_MS at `phase`. */
function useDistillShown(phase: number): readonly DistillPoint[] {
  const shown = useThrottled(useApp((s) => s.hgkd.distill), REDRAW_MS, phase);
  return useMemo(() => forDisplay(shown), [shown]);
}

/** The labelled phase's rows (fine-tuned and scratch side by side), at most once per REDRAW_MS at `phase`. */
function useLabelledShown(phase: number): readonly LabelledRow[] {
  const live = useApp(useShallow((s) => ({ finetune: s.hgkd.finetune, scratch: s.hgkd.scratch })));
  const { finetune, scratch } = useThrottled(live, REDRAW_MS, phase);
  return useMemo(() => labelledRows(forDisplay(finetune), forDisplay(scratch)), [finetune, scratch]);
}

export function HgkdCharts() {
  const mode = useApp((s) => s.config.ftMode);
  // The two phases never stream at once: quarters of the clock while distilling (the last is
  // the snapshot's, see HgkdPanel), halves after.
  const mse = useDistillShown(0);
  const sim = useDistillShown(1 / 4);
  const pearson = useDistillShown(2 / 4);
  const ftLoss = useLabelledShown(0);
  const ftAcc = useLabelledShown(1 / 2);
  const labelled = mode === 'linear' ? 'linear probe' : 'fine-tune';
  return (
    <div className="hgkd-charts">
      <h3>Distillation</h3>
      <div className="hgkd-chart-row">
        <HgkdChart id="mse" title="Token MSE" hint="Mean squared error between the decoder's tokens and the MIM teacher's patch embeddings" rows={mse} x="step" xLabel="step" series={MSE} />
        <HgkdChart id="sim" title="Similarity loss" hint="1 − Pearson r between the student's and the teacher's similarity distributions over the queue (measured even when the loss is off)" rows={sim} x="step" xLabel="step" series={SIM} />
        <HgkdChart id="pearson" title="Pearson r" hint="Correlation of the two similarity distributions: 1 = the student ranks the queue as the teacher does" rows={pearson} x="step" xLabel="step" series={PEARSON} />
      </div>
      <h3>{`Labelled ${labelled}: distilled backbone vs scratch`}</h3>
      <div className="hgkd-chart-row">
        <HgkdChart id="ft-loss" title="Cross-entropy" hint="Training loss of the labelled phase; the scratch baseline starts from the student's initial weights and sees the same batches" rows={ftLoss} x="step" xLabel="step" series={FT_LOSS} />
        <HgkdChart id="ft-acc" title="Test accuracy" hint="On evaluation steps (test subset) and after the last step (the final evaluation: quick = the test subset, full = the whole test set)" rows={ftAcc} x="step" xLabel="step" series={FT_ACC} percent />
      </div>
    </div>
  );
}
