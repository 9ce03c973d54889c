/**
 * OFD, overhaul of feature distillation (Heo et al., ICCV 2019; code clovaai/overhaul-distillation):
 * a connector (1×1 conv + BN) takes each hooked student stage, before its last ReLU, to the
 * teacher's width; it must match the teacher's pre-ReLU feature raised to a per-channel margin
 * taken from the teacher's BN, under a partial L2 that ignores what the ReLU would zero anyway.
 */
import { defineMethod } from '../types';
import { DISTILL, oneStepPhase } from '../mgd';

export const OFD = defineMethod({
  id: 'ofd',
  pipeline: 'distill',
  fields: [...DISTILL, 'ofdW'],
  formula: 'L = CE + w · Σ_i 2^(i−n) · Σ pL2(c_i(S_pre), max(T_pre, m)) / N, m = E[x | x < 0] of the teacher BN, c = conv1×1-BN',
  alpha: null,
  totalSteps: oneStepPhase,
});
