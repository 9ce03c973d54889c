/**
 * The MGD paper's published numbers (Yang et al., ECCV 2022), shown beside ours for reference.
 * They are ImageNet top-1 accuracies of ResNets at 224×224, a setting far from a few hundred
 * steps of a 20k–80k-parameter CNN on 28×28 images; only what the paper reports is listed
 * (null: the paper gives no number for that method in that setting).
 */
import type { ExperimentConfig } from '../config';
import type { DistillMethodId } from '../methods/registry';
import { paperNumber } from './tables';

/** The paper comparison's methods (the rows the paper reports): Distiller methods of the registry. */
export type ComparedMethod = Extract<DistillMethodId, 'none' | 'mimic' | 'mgd' | 'kd'>;
export const COMPARED_METHODS: readonly ComparedMethod[] = ['none', 'mimic', 'mgd', 'kd'];

export interface PaperSetting {
  label: string;
  source: string;
  /** Top-1 accuracy in %, per method. */
  top1: Record<ComparedMethod, number | null>;
}

/** Table 5: self-distillation, ResNet-18 teaches ResNet-18. */
export const PAPER_SELF_DISTILLATION: PaperSetting = {
  label: 'ImageNet, ResNet-18 → ResNet-18 (self-distillation)',
  source: 'MGD paper, Table 5',
  top1: { none: paperNumber('mgd-t5', 'none'), mimic: paperNumber('mgd-t5', 'mimic'), mgd: paperNumber('mgd-t5', 'mgd'), kd: null },
};

/** The main classification result: ResNet-34 teaches ResNet-18 (spatial mask). */
export const PAPER_RESNET34_TO_18: PaperSetting = {
  label: 'ImageNet, ResNet-34 → ResNet-18 (pixel mask)',
  source: 'MGD paper, Table 1',
  top1: { none: paperNumber('mgd-t1', 'none'), mimic: null, mgd: paperNumber('mgd-t1', 'mgd'), kd: paperNumber('mgd-t1', 'kd') },
};

/** The paper setting closest to a config: self-distillation when teacher and student are the same model. */
export function paperSettingFor(config: Pick<ExperimentConfig, 'teacher' | 'student'>): PaperSetting {
  return config.teacher === config.student ? PAPER_SELF_DISTILLATION : PAPER_RESNET34_TO_18;
}

/** Fig. 5 (ResNet-34 → ResNet-18, ImageNet): top-1 % at the λ values the text gives. */
export const PAPER_LAMBDA_POINTS: readonly { lambda: number; top1: number }[] = [
  { lambda: 0, top1: paperNumber('mgd-f5', 'l0')! },
  { lambda: 0.5, top1: paperNumber('mgd-f5', 'l5')! },
];
export const PAPER_LAMBDA_NOTE = 'MGD paper Fig. 5 (ImageNet): λ = 0 gives 71.41 %, best near λ = 0.5 (71.58 %), worse at 0.8.';
