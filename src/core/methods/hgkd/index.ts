/**
 * H-GKD: masked-image-modelling distillation from a ViT teacher into a CNN student (core/hgkd),
 * then a fine-tune (or linear probe) of the student and a from-scratch baseline of the same size.
 */
import { defineMethod } from '../types';

export const HGKD = defineMethod({
  id: 'hgkd',
  pipeline: 'hgkd',
  fields: ['mimTeacher', 'maskRatio', 'queue', 'tau', 'mseW', 'simW', 'sparse', 'unet', 'sim', 'ftSteps', 'ftMode'],
  formula: 'L = mseW · mean(dec(S(x ⊙ M)) − T(x))² + simW · (1 − r(sim_S, sim_T)), then fine-tune',
  alpha: null,
  // Distillation, then the fine-tune and the scratch baseline, ftSteps each.
  totalSteps: (c) => c.steps + 2 * c.ftSteps,
});
