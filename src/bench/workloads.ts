/**
 * The benchmark workloads, defined once: `npm run bench`, its profiler and the PyTorch twin
 * (scripts/bench/torchTwin.ts) and the WebGPU page (src/bench/gpu.ts) read this table, so both sides time the same work.
 * Every workload is one Adam training step at batch `BATCH` on BENCH_DATASET's images.
 */
import type { DatasetId } from '../core/data/datasets';
import type { Method } from '../core/distill/distiller';

export type WorkloadId = 'ce' | 'mimic' | 'mgd' | 'mgd-live' | 'xs-ce';

export interface Workload {
  id: WorkloadId;
  label: string;
  student: string; // registry id
  /** null: plain supervised CE of the student (no teacher, no distiller). */
  teacher: string | null;
  method: Method;
  /** Teacher outputs computed once before timing (no augmentation) instead of a teacher pass every step. */
  cacheTeacher: boolean;
  /** Distillation settings of the distill workloads (the defaults of the playground). */
  alpha: number;
  lambda: number;
  mask: 'pixel';
  gen: { convs: number; kernel: number };
  stages: readonly number[]; // 0-based hooked stages
  lr: number;
}

export const BATCH = 64;
/** The data every workload trains on (its side, channels and classes size the nets). */
export const BENCH_DATASET: DatasetId = 'mnist';

const distill = { teacher: 'resnet-t', student: 'resnet-s', alpha: 5.6e-4, lambda: 0.5, mask: 'pixel' as const, gen: { convs: 2, kernel: 3 }, stages: [2], lr: 1e-3 };

export const WORKLOADS: readonly Workload[] = [
  { ...distill, id: 'ce', label: 'resnet-t → resnet-s, CE only', method: 'none', cacheTeacher: true },
  { ...distill, id: 'mimic', label: 'resnet-t → resnet-s, mimic (teacher cached)', method: 'mimic', cacheTeacher: true },
  { ...distill, id: 'mgd', label: 'resnet-t → resnet-s, MGD (teacher cached)', method: 'mgd', cacheTeacher: true },
  { ...distill, id: 'mgd-live', label: 'resnet-t → resnet-s, MGD (teacher every step)', method: 'mgd', cacheTeacher: false },
  { ...distill, id: 'xs-ce', label: 'resnet-xs plain CE, no teacher', student: 'resnet-xs', teacher: null, method: 'none', cacheTeacher: false },
];

export const WORKLOAD_IDS: readonly WorkloadId[] = WORKLOADS.map((w) => w.id);

export function workload(id: string): Workload {
  const w = WORKLOADS.find((x) => x.id === id);
  if (!w) throw new Error(`unknown workload "${id}" (one of ${WORKLOAD_IDS.join(', ')})`);
  return w;
}
