/**
 * The MGD family: CE baseline, KD, feature mimicry, MGD and MGD + KD. All run the Distiller's
 * one phase (core/distill + core/train/trainer.ts); they differ only in their loss terms.
 */
import { defineMethod } from '../types';

const oneStepPhase = (c: { steps: number }) => c.steps;
/** Rows every Distiller method reads: it has a teacher and hooks stages (CE only probes them). */
const DISTILL = ['teacher', 'stage'] as const;
const FEATURE = ['alpha', 'alphaAt'] as const;
const MASK = ['lambda', 'lambdaAt', 'mask', 'gen'] as const;
const KD = ['kdT', 'kdW'] as const;

const MIMIC_FORMULA = 'L = CE + α · Σ(align(S) − T)² / N';
export const MGD_FORMULA = 'L = CE + α · Σ(G(align(S) ⊙ M) − T)² / N';

export const NONE = defineMethod({
  id: 'none', pipeline: 'distill', fields: DISTILL, terms: { feature: 'none', kd: false }, alpha: null, totalSteps: oneStepPhase,
});
export const KD_ONLY = defineMethod({
  id: 'kd', pipeline: 'distill', fields: [...DISTILL, ...KD], terms: { feature: 'none', kd: true }, alpha: null, totalSteps: oneStepPhase,
});
export const MIMIC = defineMethod({
  id: 'mimic', pipeline: 'distill', fields: [...DISTILL, ...FEATURE], terms: { feature: 'mimic', kd: false }, alpha: { formula: MIMIC_FORMULA }, totalSteps: oneStepPhase,
});
export const MGD = defineMethod({
  id: 'mgd', pipeline: 'distill', fields: [...DISTILL, ...FEATURE, ...MASK], terms: { feature: 'mgd', kd: false }, alpha: { formula: MGD_FORMULA }, totalSteps: oneStepPhase,
});
export const MGD_KD = defineMethod({
  id: 'mgd+kd', pipeline: 'distill', fields: [...DISTILL, ...FEATURE, ...MASK, ...KD], terms: { feature: 'mgd', kd: true }, alpha: { formula: `${MGD_FORMULA} + kdW · KD` }, totalSteps: oneStepPhase,
});
