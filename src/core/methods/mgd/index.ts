/**
 * The MGD family: CE baseline, KD, feature mimicry, MGD and MGD + KD. All run the Distiller's
 * one phase (core/distill + core/train/trainer.ts); their losses are ./terms.ts.
 */
import { defineMethod } from '../types';

export const oneStepPhase = (c: { steps: number }) => c.steps;
/** Rows every Distiller method reads: it has a teacher and hooks stages (CE only probes them). */
export const DISTILL = ['teacher', 'stage'] as const;
const FEATURE = ['alpha', 'alphaAt'] as const;
const MASK = ['lambda', 'lambdaAt', 'mask', 'gen'] as const;
export const KD = ['kdT', 'kdW'] as const;

const MIMIC_FORMULA = 'L = CE + α · Σ(align(S) − T)² / N';
export const MGD_FORMULA = 'L = CE + α · Σ(G(align(S) ⊙ M) − T)² / N';
export const KD_FORMULA = 'L = CE + kdW · T² · KL(p_t^T ‖ p_s^T)';

export const NONE = defineMethod({
  id: 'none', pipeline: 'distill', fields: DISTILL, formula: 'L = CE', alpha: null, totalSteps: oneStepPhase,
});
export const KD_ONLY = defineMethod({
  id: 'kd', pipeline: 'distill', fields: [...DISTILL, ...KD], formula: KD_FORMULA, alpha: null, totalSteps: oneStepPhase,
});
export const MIMIC = defineMethod({
  id: 'mimic', pipeline: 'distill', fields: [...DISTILL, ...FEATURE], formula: MIMIC_FORMULA, alpha: { formula: MIMIC_FORMULA }, totalSteps: oneStepPhase,
});
export const MGD = defineMethod({
  id: 'mgd', pipeline: 'distill', fields: [...DISTILL, ...FEATURE, ...MASK], formula: MGD_FORMULA, alpha: { formula: MGD_FORMULA }, totalSteps: oneStepPhase,
});
export const MGD_KD = defineMethod({
  id: 'mgd+kd', pipeline: 'distill', fields: [...DISTILL, ...FEATURE, ...MASK, ...KD], formula: `${MGD_FORMULA} + kdW · KD`, alpha: { formula: `${MGD_FORMULA} + kdW · KD` }, totalSteps: oneStepPhase,
});
