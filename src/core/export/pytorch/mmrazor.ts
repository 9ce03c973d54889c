/**
 * The run mapped onto MMRazor's classification form (SingleTeacherDistill + ConfigurableDistiller)
 * for full-size models: ResNet-34 → ResNet-18 on ImageNet, hooked at backbone.layer4 (512×7×7).
 * MMRazor's MGDLoss and L2Loss are sums over C·H·W divided by N, like ours, so α keeps the loss
 * at the same size when rescaled by the feature-size rule α_full = α · (C·H·W here) / 25088.
 * λ, the mask kind, T and the KD weight carry over unchanged.
 */
import type { ExperimentConfig } from '../../config';
import { PAPER_FEATURE_SIZE } from '../../config';

export interface MmrazorMapping {
  method: string;
  alphaMgd: number; // rescaled α (mgd, mgd+kd)
  alphaMimic: number; // rescaled α (mimic)
  lambdaMgd: number;
  maskOnChannel: boolean;
  kdTau: number;
  kdWeight: number;
}

/** featureSize: Σ C·H·W of the teacher's hooked stages in this run. */
export function mmrazorMapping(config: ExperimentConfig, featureSize: number): MmrazorMapping {
  const alpha = Number(((config.alpha * featureSize) / PAPER_FEATURE_SIZE).toPrecision(4));
  return {
    method: config.method,
    alphaMgd: alpha,
    alphaMimic: alpha,
    lambdaMgd: config.lambda,
    maskOnChannel: config.mask === 'channel',
    kdTau: config.kdT,
    kdWeight: config.kdW,
  };
}

const BEGIN = '# --- mapped from the playground run (the exporter rewrites this block) ---';
const END = '# --- end of mapped values ---';

const py = (v: string | number | boolean): string => (typeof v === 'string' ? JSON.stringify(v) : typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v));

/** The template (python/mmrazor_config.py) with its mapped-values block replaced by the run's. */
export function mmrazorConfig(template: string, m: MmrazorMapping, url: string): string {
  const a = template.indexOf(BEGIN);
  const b = template.indexOf(END);
  if (a < 0 || b < a) throw new Error('mmrazor_config.py template lost its mapped-values markers');
  const block = [
    BEGIN,
    `PLAYGROUND_URL = ${py(url)}`,
    `METHOD = ${py(m.method)}`,
    `ALPHA_MGD = ${py(m.alphaMgd)}`,
    `ALPHA_MIMIC = ${py(m.alphaMimic)}`,
    `LAMBDA_MGD = ${py(m.lambdaMgd)}`,
    `MASK_ON_CHANNEL = ${py(m.maskOnChannel)}`,
    `KD_TAU = ${py(m.kdTau)}`,
    `KD_WEIGHT = ${py(m.kdWeight)}`,
    '',
  ].join('\n');
  return template.slice(0, a) + block + template.slice(b);
}
