/**
 * CRD, contrastive representation distillation (Tian et al., ICLR 2020; code HobbitLong/
 * RepDistiller): 128-d normalised embeddings of both penultimate features; each sample's student
 * embedding must pick out its own teacher embedding among K negatives drawn from a memory bank of
 * teacher embeddings (and the teacher's its student one), by NCE at temperature 0.07.
 */
import { defineMethod } from '../types';
import { DISTILL, oneStepPhase } from '../mgd';

export const CRD = defineMethod({
  id: 'crd',
  pipeline: 'distill',
  fields: [...DISTILL, 'crdW', 'crdK'],
  formula: 'L = CE + β · (NCE(e_S | bank_T, K) + NCE(e_T | bank_S, K)), e = normalise(W · pool), τ = 0.07',
  alpha: null,
  totalSteps: oneStepPhase,
});
