/**
 * Presets: named edits of a config (the paper's MGD settings, self-distillation, a heterogeneous
 * pair, a KD baseline). Each `apply` keeps the rest of the base (dataset, steps, seed, …) and
 * re-validates, so the result is always a valid config.
 */
import { stageShapes } from '../models/spec';
import { resolveArch } from '../models/registry';
import { datasetShape } from '../data/datasetRef';
import type { FieldDef } from './fieldKinds';
import { type FieldKey, FIELDS } from './fields';
import { type ExperimentConfig, resolveStages, validateConfig } from './schema';

/** α the paper tuned for classification (ResNet-34 → ResNet-18 on ImageNet). */
export const PAPER_ALPHA = 7e-5;
/** C·H·W where the paper tuned α: 512×7×7, the last stage of ResNet-18/34 at 224×224 input. */
export const PAPER_FEATURE_SIZE = 512 * 7 * 7; // 25088

/**
 * The paper's α scaled to this teacher's hooked feature maps. The MGD loss is a SUM over C·H·W
 * (divided by the batch only), so keeping the loss at the paper's size means α ∝ 1/(C·H·W);
 * several hooked stages add their sizes. Rounded to 3 significant digits for readable URLs.
 * Default teacher resnet-t, last stage 64×7×7 = 3136: 7e-5 × 25088/3136 = 5.6e-4. The stage sizes follow
 * the dataset's side (a 32×32 import: 64×8×8).
 */
export function paperScaledAlpha(config: Pick<ExperimentConfig, 'dataset' | 'teacher' | 'student' | 'stage'>): number {
  const shapes = stageShapes(resolveArch(config.teacher), datasetShape(config.dataset).imageSize);
  const size = resolveStages(config).reduce((sum, i) => sum + shapes[i][0] * shapes[i][1] * shapes[i][2], 0);
  return Number(((PAPER_ALPHA * PAPER_FEATURE_SIZE) / size).toPrecision(3));
}

export type PresetId = 'mgd-paper' | 'self-distill' | 'heterogeneous' | 'kd-baseline' | 'hgkd';

export interface Preset {
  label: string;
  description: string;
  apply(base: ExperimentConfig): ExperimentConfig;
}

function valid(c: ExperimentConfig): ExperimentConfig {
  return validateConfig(c).config;
}

/** The paper's classification settings; α rescaled to the hooked stage(s) of the base's teacher. */
function mgdPaper(base: ExperimentConfig): ExperimentConfig {
  const c = valid(base); // resolves a stage the base's models cannot have before α is computed
  return valid({ ...c, method: 'mgd', mask: 'pixel', lambda: 0.5, alpha: paperScaledAlpha(c) });
}

export const PRESETS: Record<PresetId, Preset> = {
  'mgd-paper': {
    label: 'MGD (paper settings)',
    description:
      'MGD with a pixel mask, λ = 0.5 and α = 7e-5 scaled by 25088/(C·H·W) of the hooked teacher stage(s); ' +
      '25088 = 512×7×7 is ResNet-18/34\'s last stage, where the paper tuned α.',
    apply: mgdPaper,
  },
  'self-distill': {
    label: 'Self-distillation',
    description: 'ResNet-S teaches ResNet-S with MGD (paper Table 5: MGD beats mimicking for a same-size pair).',
    apply: (base) => mgdPaper({ ...base, teacher: 'resnet-s', student: 'resnet-s' }),
  },
  heterogeneous: {
    label: 'Heterogeneous pair',
    description: 'ResNet-T teaches a depthwise-separable MobileNet-S with MGD; a 1×1 align maps 96 → 64 channels.',
    apply: (base) => mgdPaper({ ...base, teacher: 'resnet-t', student: 'mobilenet-s' }),
  },
  'kd-baseline': {
    label: 'KD baseline',
    description: 'Hinton KD on logits at T = 4 with weight 1: L = CE + T²·KL(softmax(t/T) ‖ softmax(s/T)).',
    apply: (base) => valid({ ...base, method: 'kd', kdT: 4, kdW: 1 }),
  },
  hgkd: {
    label: 'H-GKD (MIM teacher → sparse CNN)',
    description:
      'The MIM-pretrained ViT teaches ResNet-S with 60 % of its patches masked: sparse conv, UNet decoder, MSE + ' +
      'similarity loss (queue 1024, τ = 0.05); then 300 fine-tune steps beside a scratch baseline.',
    apply: (base) =>
      valid({
        ...base, method: 'hgkd', mimTeacher: 'vit-mim', student: 'resnet-s', maskRatio: 0.6, queue: 1024, tau: 0.05,
        mseW: 1, simW: 1, sparse: true, unet: true, sim: true, ftSteps: 300, ftMode: 'finetune',
      }),
  },
};

export const PRESET_IDS = Object.keys(PRESETS) as PresetId[];

/** One field a preset changed, as URL text. */
export interface FieldChange {
  key: FieldKey;
  label: string;
  from: string;
  to: string;
}

const asText = (f: FieldDef, v: unknown) => (f.toText as (x: unknown) => string)(v);

/** The fields that differ between two configs, in table order. */
export function configChanges(before: ExperimentConfig, after: ExperimentConfig): FieldChange[] {
  return (FIELDS as readonly FieldDef[]).flatMap((f) => {
    const key = f.key as FieldKey;
    const [from, to] = [asText(f, before[key]), asText(f, after[key])];
    return from === to ? [] : [{ key, label: f.label, from, to }];
  });
}

/** Presets whose settings the config already has (applying them would change nothing). */
export function presetsMatching(config: ExperimentConfig): PresetId[] {
  return PRESET_IDS.filter((id) => configChanges(config, PRESETS[id].apply(config)).length === 0);
}
