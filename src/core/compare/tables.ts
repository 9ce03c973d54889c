/**
 * The paper tables the playground reproduces at browser scale, as plain data: each names the
 * paper's setting and numbers, and the runs that stand for its rows here. A row is a set of
 * link fields on the table's base (so a row is also a URL), and every run of a table shares the
 * base, the steps and the seeds: runs that share a seed share the student's initial weights, the
 * data order and the test set. `npm run reproduce` runs them (scripts/reproduce.ts) and the page
 * shows the shipped results beside the paper (src/ui/components/PaperTables.tsx).
 *
 * Paper numbers are ImageNet top-1 % of full-size ResNets (H-GKD: ResNet-50 on 25 % of
 * ImageNet); they show the ordering to look for, not numbers to match.
 */
import { DEFAULT_CONFIG, type ExperimentConfig, encodeConfig, paperScaledAlpha, parseConfigStrict } from '../config';
import { LINK_VERSION, VERSION_KEY } from '../config/linkVersion';

export const TABLE_IDS = ['mgd-t1', 'mgd-t5', 'mgd-t7', 'mgd-t8', 'mgd-f4', 'mgd-f5', 'hgkd-t5'] as const;
export type TableId = (typeof TABLE_IDS)[number];

export interface TableRow {
  /** Stable id of the row within its table (used in results files). */
  key: string;
  label: string;
  /** Link fields this row sets on the table's base, e.g. `method=mgd&gen=1x3`. */
  set: string;
  /** The paper's top-1 % for this row; null where the paper gives none. */
  paper: number | null;
  /** Feature methods whose hooked size changes across rows get the paper's α scaled to it (presets' rule). */
  scaleAlpha?: boolean;
}

export interface PaperTable {
  id: TableId;
  title: string;
  /** Where the paper numbers come from, and in what setting. */
  source: string;
  /** The paper's finding in words (what to look for). */
  claim: string;
  /** Link fields every row starts from (over the defaults at link version 2). */
  base: string;
  rows: readonly TableRow[];
  /** The row every other row is tested against (Welch). */
  baseline: string;
  /** Steps and seeds the shipped results use (chosen so the set fits a few hours of a 2-core machine). */
  steps: number;
  seeds: number;
}

const MGD_T1_SOURCE = 'MGD paper, Table 1: ImageNet, ResNet-34 → ResNet-18, top-1 %';

/** The student trained alone: ImageNet ResNet-18's 69.90 in the MGD paper's tables. */
const NONE_ROW: TableRow = { key: 'none', label: 'none (student alone)', set: 'method=none', paper: 69.9 };

export const PAPER_TABLES: readonly PaperTable[] = [
  {
    id: 'mgd-t1',
    title: 'Methods (MGD Table 1)',
    source: MGD_T1_SOURCE,
    claim: 'Every method beats the student trained alone; SRRL (71.73), MGD (71.58) and WSLD (71.54) lead, AT (70.59) and KD (70.68) trail.',
    base: '',
    baseline: 'none',
    steps: 300,
    seeds: 3,
    rows: [
      NONE_ROW,
      { key: 'kd', label: 'KD', set: 'method=kd', paper: 70.68 },
      { key: 'wsld', label: 'WSLD', set: 'method=wsld', paper: 71.54 },
      { key: 'at', label: 'AT', set: 'method=at', paper: 70.59 },
      { key: 'ofd', label: 'OFD (all stages, as its code)', set: 'method=ofd&stage=1,2,3', paper: 71.08 },
      { key: 'rkd', label: 'RKD', set: 'method=rkd', paper: 71.34 },
      { key: 'crd', label: 'CRD', set: 'method=crd', paper: 71.17 },
      { key: 'srrl', label: 'SRRL', set: 'method=srrl', paper: 71.73 },
      { key: 'mimic', label: 'feature mimicking', set: 'method=mimic', paper: null },
      { key: 'mgd', label: 'MGD', set: 'method=mgd', paper: 71.58 },
    ],
  },
  {
    id: 'mgd-t5',
    title: 'Self-distillation (MGD Table 5)',
    source: 'MGD paper, Table 5: ImageNet, ResNet-18 → ResNet-18, top-1 %',
    claim: 'MGD gains 1.0 point over the student alone when the teacher is the same model; plain mimicking gains almost nothing (0.15).',
    base: 'teacher=resnet-s&student=resnet-s',
    baseline: 'none',
    steps: 300,
    seeds: 3,
    rows: [
      NONE_ROW,
      { key: 'mimic', label: 'feature mimicking', set: 'method=mimic', paper: 70.05 },
      { key: 'mgd', label: 'MGD', set: 'method=mgd', paper: 70.91 },
    ],
  },
  {
    id: 'mgd-t7',
    title: 'Generation block (MGD Table 7)',
    source: 'MGD paper, Table 7: ImageNet, ResNet-34 → ResNet-18, top-1 %',
    claim: 'Two 3×3 convolutions are best (71.58); one conv (71.28), three (71.49) and two 5×5 (71.32) are a little worse.',
    base: 'method=mgd',
    baseline: 'none',
    steps: 300,
    seeds: 3,
    rows: [
      NONE_ROW,
      { key: 'gen-1x3', label: '1 conv 3×3', set: 'gen=1x3', paper: 71.28 },
      { key: 'gen-2x3', label: '2 convs 3×3 (paper’s)', set: 'gen=2x3', paper: 71.58 },
      { key: 'gen-3x3', label: '3 convs 3×3', set: 'gen=3x3', paper: 71.49 },
      { key: 'gen-2x5', label: '2 convs 5×5', set: 'gen=2x5', paper: 71.32 },
    ],
  },
  {
    id: 'mgd-t8',
    title: 'Distilled stages (MGD Table 8)',
    source: 'MGD paper, Table 8: ImageNet, ResNet-34 → ResNet-18, top-1 %; only its best row (stage 4 alone, 71.58) is in our reference',
    claim: 'Distilling the last stage alone is best; earlier stages add little or hurt.',
    base: 'method=mgd',
    baseline: 'none',
    steps: 300,
    seeds: 3,
    rows: [
      NONE_ROW,
      { key: 'stage-1', label: 'stage 1', set: 'stage=1', paper: null, scaleAlpha: true },
      { key: 'stage-2', label: 'stage 2', set: 'stage=2', paper: null, scaleAlpha: true },
      { key: 'stage-3', label: 'last stage (paper’s)', set: 'stage=last', paper: 71.58, scaleAlpha: true },
      { key: 'stage-23', label: 'stages 2 + 3', set: 'stage=2,3', paper: null, scaleAlpha: true },
    ],
  },
  {
    id: 'mgd-f4',
    title: 'Teacher strength and a heterogeneous teacher (MGD Fig. 4)',
    source: 'MGD paper, Fig. 4 (no numbers for it in our reference, so no paper column)',
    claim: 'A stronger teacher helps the student more, and MGD also distils across architectures.',
    base: 'method=mgd',
    baseline: 'none',
    steps: 300,
    seeds: 3,
    rows: [
      { ...NONE_ROW, paper: null }, // Fig. 4 has no numbers in our reference
      { key: 'resnet-s', label: 'teacher ResNet-S (the student’s own size)', set: 'teacher=resnet-s', paper: null, scaleAlpha: true },
      { key: 'resnet-t', label: 'teacher ResNet-T (default)', set: 'teacher=resnet-t', paper: null, scaleAlpha: true },
      { key: 'mobilenet-t', label: 'teacher MobileNet-T (heterogeneous)', set: 'teacher=mobilenet-t', paper: null, scaleAlpha: true },
      { key: 'resnet-w', label: 'teacher ResNet-W 32-64-128 (wider)', set: 'teacher=resnet-w', paper: null, scaleAlpha: true },
    ],
  },
  {
    id: 'mgd-f5',
    title: 'Mask ratio λ (MGD Fig. 5)',
    source: 'MGD paper, Fig. 5: ImageNet, ResNet-34 → ResNet-18, top-1 %; the text gives λ = 0 and λ = 0.5',
    claim: 'λ = 0.5 is best (71.58); no mask (λ = 0, 71.41) is a little worse, and so is 0.8.',
    base: 'method=mgd',
    baseline: 'none',
    steps: 300,
    seeds: 3,
    rows: [
      NONE_ROW,
      { key: 'l0', label: 'λ = 0', set: 'lambda=0', paper: 71.41 },
      { key: 'l15', label: 'λ = 0.15', set: 'lambda=0.15', paper: null },
      { key: 'l5', label: 'λ = 0.5 (paper’s)', set: 'lambda=0.5', paper: 71.58 },
      { key: 'l8', label: 'λ = 0.8', set: 'lambda=0.8', paper: null },
    ],
  },
  {
    id: 'hgkd-t5',
    title: 'H-GKD ablations (H-GKD Table 5)',
    source: 'H-GKD paper, Table 5: ResNet-50 student, 25 % of ImageNet, top-1 %',
    claim: 'Sparse conv, the UNet decoder and the similarity loss each help; all three together are best (71.84).',
    base: 'method=hgkd',
    baseline: 'all',
    steps: 200,
    seeds: 2,
    rows: [
      { key: 'all', label: 'all three', set: 'sparse=1&unet=1&sim=1', paper: 71.84 },
      { key: 'no-unet', label: 'w/o UNet', set: 'sparse=1&unet=0&sim=1', paper: 71.32 },
      { key: 'no-sparse', label: 'w/o sparse', set: 'sparse=0&unet=1&sim=1', paper: 71.04 },
      { key: 'no-sim', label: 'w/o similarity', set: 'sparse=1&unet=1&sim=0', paper: 70.92 },
      { key: 'only-sim', label: 'only similarity', set: 'sparse=0&unet=0&sim=1', paper: 69.77 },
      { key: 'only-sparse', label: 'only sparse', set: 'sparse=1&unet=0&sim=0', paper: 69.41 },
      { key: 'only-unet', label: 'only UNet', set: 'sparse=0&unet=1&sim=0', paper: 69.12 },
    ],
  },
];

export function paperTable(id: string): PaperTable {
  const t = PAPER_TABLES.find((x) => x.id === id);
  if (!t) throw new Error(`--table "${id}": one of ${TABLE_IDS.join(', ')}`);
  return t;
}

/** The paper's number of row `key` of table `id` (null where the paper gives none); throws on a row the table lacks. */
export function paperNumber(id: TableId, key: string): number | null {
  const row = paperTable(id).rows.find((r) => r.key === key);
  if (!row) throw new Error(`table ${id} has no row ${key}`);
  return row.paper;
}

export interface TableRun {
  row: TableRow;
  seed: number;
  config: ExperimentConfig;
}

export interface TableRunOptions {
  steps?: number;
  seeds?: number;
  /** The first seed (default 1). */
  firstSeed?: number;
}

/** The link of one row at one seed: link version 2, the base with the row's fields over it, then steps and seed. */
export function rowLink(table: PaperTable, row: TableRow, seed: number, steps: number): string {
  const params = new URLSearchParams(table.base);
  for (const [k, v] of new URLSearchParams(row.set)) params.set(k, v);
  params.set('steps', String(steps));
  params.set('seed', String(seed));
  return `${VERSION_KEY}=${LINK_VERSION}&${params.toString()}`;
}

/** A row's config at a seed; throws naming the field when the row cannot run (a ConfigError). */
export function rowConfig(table: PaperTable, row: TableRow, seed: number, steps: number): ExperimentConfig {
  const link = rowLink(table, row, seed, steps);
  const config = parseConfigStrict(link);
  return row.scaleAlpha ? parseConfigStrict(`${link}&alpha=${paperScaledAlpha(config)}`) : config;
}

/** Every run of a table: seeds outermost, so a batch cut short still has every row on the same seeds. */
export function tableRuns(table: PaperTable, o: TableRunOptions = {}): TableRun[] {
  const steps = o.steps ?? table.steps;
  const n = o.seeds ?? table.seeds;
  const first = o.firstSeed ?? 1;
  const seeds = Array.from({ length: n }, (_, i) => first + i);
  return seeds.flatMap((seed) => table.rows.map((row) => ({ row, seed, config: rowConfig(table, row, seed, steps) })));
}

/** A config's link without its backend: a table's runs are the same whichever backend ran them. */
export const tableLink = (config: ExperimentConfig): string => encodeConfig({ ...config, backend: DEFAULT_CONFIG.backend });

/** The row of `table` a config is a run of (at any seed up to `maxSeeds`, at the table's steps), or undefined. */
export function tableRowOf(table: PaperTable, config: ExperimentConfig, maxSeeds = 10): TableRow | undefined {
  if (config.steps !== table.steps || config.seed < 1 || config.seed > maxSeeds) return undefined;
  const link = tableLink(config);
  return table.rows.find((row) => tableLink(rowConfig(table, row, config.seed, table.steps)) === link);
}

/** The runs of the table at `seeds` seeds that are not among `done` (links from tableLink): what "Run it here" queues. */
export function missingTableConfigs(table: PaperTable, seeds: number, done: ReadonlySet<string>): ExperimentConfig[] {
  return tableRuns(table, { seeds }).map((r) => r.config).filter((c) => !done.has(tableLink(c)));
}
