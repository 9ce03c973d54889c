/**
 * The run area for method=hgkd: phase and outcome (distilled-then-fine-tuned vs scratch), the
 * distillation and labelled curves, the queue inspector and the mask view, and the Table 5
 * ablation grid.
 */
import { useShallow } from 'zustand/react/shallow';
import type { HgkdPhase } from '../../../worker/protocol';
import { pct } from '../../format';
import { finalEvalNote } from '../../progress';
import { useApp } from '../../store';
import { useThrottled } from '../../throttle';
import { REDRAW_MS } from '../redrawTiming';
import { AblationGrid } from './AblationGrid';
import { HgkdCharts } from './HgkdCharts';
import { MaskView } from './MaskView';
import { QueueInspector } from './QueueInspector';

const PHASES: Record<HgkdPhase, string> = {
  distill: 'distilling from the MIM teacher',
  finetune: 'fine-tuning the distilled backbone',
  scratch: 'training the scratch baseline',
};

function Outcome() {
  const { phase, summary, mode, finalEval } = useApp(useShallow((s) => ({ phase: s.hgkd.phase, summary: s.hgkd.summary, mode: s.config.ftMode, finalEval: s.summary?.finalEval })));
  if (summary) {
    const gain = summary.finetuneAcc !== null && summary.scratchAcc !== null ? summary.finetuneAcc - summary.scratchAcc : null;
    return (
      <p className="hgkd-outcome" data-testid="hgkd-outcome">
        Test accuracy after {summary.finetuneSteps} {summary.mode === 'linear' ? 'linear-probe' : 'fine-tune'} steps: distilled{' '}
        <b data-testid="hgkd-finetune-acc">{pct(summary.finetuneAcc)}</b> · scratch <b data-testid="hgkd-scratch-acc">{pct(summary.scratchAcc)}</b>
        {gain !== null && <span className="hgkd-gain">{` (${gain >= 0 ? '+' : '−'}${Math.abs(100 * gain).toFixed(1)} pp)`}</span>}
        {finalEval && <span className="hgkd-final-eval" data-testid="hgkd-final-eval">{` ${finalEvalNote(finalEval)}`}</span>}
      </p>
    );
  }
  return (
    <p className="hgkd-outcome" data-testid="hgkd-phase" data-phase={phase ?? ''}>
      {phase ? `Phase: ${PHASES[phase]}` : `Train runs three phases: distillation from the MIM teacher, then ${mode === 'linear' ? 'a linear probe' : 'fine-tuning'} with labels, then the scratch baseline.`}
    </p>
  );
}

export function HgkdPanel() {
  // The snapshot redraws the similarity chart and the mask view: on the last quarter of the
  // charts' clock (HgkdCharts takes the other three), so no task redraws two charts.
  const snap = useThrottled(useApp((s) => s.hgkd.snapshot), REDRAW_MS, 3 / 4);
  return (
    <section className="hgkd-panel" aria-label="H-GKD" data-testid="hgkd-panel">
      <Outcome />
      <HgkdCharts />
      <div className="hgkd-inspect">
        <QueueInspector queue={snap?.snapshot.queue ?? null} step={snap?.step ?? null} />
        <MaskView snapshot={snap?.snapshot ?? null} step={snap?.step ?? null} />
      </div>
      <AblationGrid />
    </section>
  );
}
