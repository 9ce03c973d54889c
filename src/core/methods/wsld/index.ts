/**
 * WSLD, weighted soft labels (Zhou et al., ICLR 2021; code bellymonster/Weighted-Soft-Label-
 * Distillation): Hinton's soft-label loss per sample, weighted by how much better the teacher
 * does on that sample's hard label than the student.
 */
import { defineMethod } from '../types';
import { DISTILL, oneStepPhase } from '../mgd';

export const WSLD = defineMethod({
  id: 'wsld',
  pipeline: 'distill',
  fields: [...DISTILL, 'wsldT', 'wsldW'],
  formula: 'L = CE + w · T² · mean_i (1 − e^(−CE_S,i / CE_T,i)) · H(p_t,i^T, p_s,i^T)',
  alpha: null,
  totalSteps: oneStepPhase,
});
