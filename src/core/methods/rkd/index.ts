/**
 * RKD, relational knowledge distillation (Park et al., CVPR 2019): the student's penultimate
 * embeddings keep the teacher's pairwise distances (scaled by their mean) and the angles of every
 * triplet in the batch. Widths may differ: only relations are compared.
 */
import { defineMethod } from '../types';
import { DISTILL, oneStepPhase } from '../mgd';

export const RKD = defineMethod({
  id: 'rkd',
  pipeline: 'distill',
  fields: [...DISTILL, 'rkdDist', 'rkdAngle'],
  formula: 'L = CE + w_d · Huber(d_S/μ_S, d_T/μ_T) + w_a · Huber(cos∠_S, cos∠_T) on pooled embeddings',
  alpha: null,
  totalSteps: oneStepPhase,
});
