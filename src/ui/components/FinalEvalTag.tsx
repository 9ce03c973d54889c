/** A kept run's final evaluation beside its test accuracy: "quick" (its test size) or "full" (the whole test set). */
import type { ExperimentConfig } from '../../core/config';
import { datasetShape } from '../../core/data/datasetRef';
import { describeFinalEval, finalEvaluation } from '../../core/loop/finalEvalPolicy';

export function FinalEvalTag({ config }: { config: ExperimentConfig }) {
  const e = finalEvaluation(config, datasetShape(config.dataset).testCount);
  return (
    <span className={`final-eval final-eval-${e.kind}`} data-testid="final-eval" data-kind={e.kind} title={`Final accuracy measured on: ${describeFinalEval(e)}`}>
      {' '}
      {e.kind}
    </span>
  );
}
