/**
 * AT, attention transfer (Zagoruyko & Komodakis, ICLR 2017; code szagoruyko/attention-transfer):
 * the student matches the teacher's spatial attention maps at the hooked stages. Widths may
 * differ (a map is a mean over channels); sizes may not (the trainer checks it).
 */
import { defineMethod } from '../types';
import { DISTILL, oneStepPhase } from '../mgd';

export const AT = defineMethod({
  id: 'at',
  pipeline: 'distill',
  fields: [...DISTILL, 'atBeta'],
  formula: 'L = CE + β · Σ_stages mean(a(S) − a(T))², a(F) = normalise(mean_c F²)',
  alpha: null,
  totalSteps: oneStepPhase,
});
