/**
 * H-GKD's Table 5 ablation as plain data: the seven on/off combinations of sparse conv, UNet
 * decoder and similarity loss the paper reports, with its top-1 accuracies — measured in the
 * paper's setting (ResNet-50 student, 25 % of ImageNet), not ours, so they show the ordering to
 * look for, not numbers to match. The grid runs every row on the form's config for each seed
 * (seeds outermost, so a grid cut short still has every row on the same seeds).
 */
import { seedList } from '../../core/compare/batches';
import { paperTable } from '../../core/compare/tables';
import { type ExperimentConfig, validateConfig } from '../../core/config';
import { mean, sd } from '../../core/stats';

export interface AblationRow {
  label: string;
  sparse: boolean;
  unet: boolean;
  sim: boolean;
  paperTop1: number; // %, paper Table 5 (25 % ImageNet)
}

/** The rows of the hgkd-t5 paper table (core/compare/tables.ts), as flags. */
export const TABLE5: readonly AblationRow[] = paperTable('hgkd-t5').rows.map((r) => {
  const set = new URLSearchParams(r.set);
  const on = (k: string) => set.get(k) === '1';
  return { label: r.label, sparse: on('sparse'), unet: on('unet'), sim: on('sim'), paperTop1: r.paper! };
});

/** The row a config's flags select. */
export const ablationRowOf = (c: Pick<ExperimentConfig, 'sparse' | 'unet' | 'sim'>): AblationRow | undefined =>
  TABLE5.find((r) => r.sparse === c.sparse && r.unet === c.unet && r.sim === c.sim);

/** One method=hgkd config per (seed, Table 5 row); throws naming the field when `base` cannot run H-GKD. */
export function ablationConfigs(base: ExperimentConfig, seeds: number): ExperimentConfig[] {
  return seedList(base, seeds).flatMap((seed) =>
    TABLE5.map(({ sparse, unet, sim }) => {
      const { config, issues } = validateConfig({ ...base, method: 'hgkd', sparse, unet, sim, seed });
      const bad = issues.find((i) => i.level === 'error');
      if (bad) throw new Error(`the ablation grid cannot run: ${bad.message}`);
      return config;
    }),
  );
}

/** A Table 5 row with our completed runs' fine-tuned test accuracies (fractions) summarised. */
export interface AblationResult extends AblationRow {
  n: number;
  mean: number | null;
  sd: number | null;
}

export function ablationResults(runs: readonly { config: ExperimentConfig; status: string; testAcc: number | null }[]): AblationResult[] {
  return TABLE5.map((row) => {
    const accs = runs.filter((r) => r.status === 'completed' && r.testAcc !== null && ablationRowOf(r.config) === row).map((r) => r.testAcc!);
    return { ...row, n: accs.length, mean: accs.length ? mean(accs) : null, sd: accs.length > 1 ? sd(accs) : null };
  });
}
