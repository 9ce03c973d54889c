/**
 * SRRL, softmax regression representation learning (Yang et al., ICLR 2021; code
 * jingyang2017/KD_SRRL): a connector takes the student's last feature map to the teacher's width;
 * its pooled output must match the teacher's penultimate feature, and the teacher's own frozen
 * classifier applied to it must give the teacher's logits.
 */
import { defineMethod } from '../types';
import { DISTILL, oneStepPhase } from '../mgd';

export const SRRL = defineMethod({
  id: 'srrl',
  pipeline: 'distill',
  fields: [...DISTILL, 'srrlW'],
  formula: 'L = CE + mean(pool(c(S)) − pool(T))² + w · mean(head_T(pool(c(S))) − z_T)², c = conv1×1-BN-ReLU',
  alpha: null,
  totalSteps: oneStepPhase,
});
