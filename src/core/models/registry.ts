/**
 * Named architectures with stable ids used in URLs. Teachers are the ones shipped trained in
 * public/teachers/<dataset>/<id>/ (see scripts/train-teachers.ts), on every built-in dataset
 * unless their entry lists fewer (`shippedOn`; elsewhere they are trained first, like a spec);
 * students may also be given as a spec string (`resnet:16-32-64x1`).
 */
import { type ArchSpec, parseSpec } from './spec';

export interface RegistryEntry {
  id: string;
  label: string;
  spec: ArchSpec;
  role: 'teacher' | 'student' | 'both';
  /** A teacher's built-in datasets it is shipped trained on (absent: all); elsewhere it is trained first, like a spec. */
  shippedOn?: readonly string[];
}

export const REGISTRY: readonly RegistryEntry[] = [
  { id: 'resnet-t', label: 'ResNet-T (16-32-64, 2 blocks/stage)', spec: parseSpec('resnet:16-32-64x2'), role: 'teacher' },
  { id: 'resnet-s', label: 'ResNet-S (16-32-64, 1 block/stage)', spec: parseSpec('resnet:16-32-64x1'), role: 'both' },
  { id: 'resnet-w', label: 'ResNet-W (32-64-128, 1 block/stage; the wider teacher)', spec: parseSpec('resnet:32-64-128x1'), role: 'teacher', shippedOn: ['mnist'] },
  { id: 'mobilenet-t', label: 'MobileNet-T (depthwise-separable 32-64-128, 2 blocks/stage; the heterogeneous teacher)', spec: parseSpec('mobilenet:32-64-128x2'), role: 'teacher' },
  { id: 'resnet-xs', label: 'ResNet-XS (8-16-32, 1 block/stage)', spec: parseSpec('resnet:8-16-32x1'), role: 'student' },
  { id: 'mobilenet-s', label: 'MobileNet-S (depthwise-separable 24-48-96)', spec: parseSpec('mobilenet:24-48-96x1'), role: 'student' },
];

export const TEACHER_IDS = REGISTRY.filter((e) => e.role !== 'student').map((e) => e.id);
/** Masked-image-modelling (ViT) teachers of H-GKD; here, not in teachers.ts, so the config schema stays free of tfjs. */
export const MIM_TEACHER_IDS = ['vit-mim'] as const;
export const STUDENT_IDS = REGISTRY.filter((e) => e.role !== 'teacher').map((e) => e.id);

export function registryEntry(id: string): RegistryEntry | undefined {
  return REGISTRY.find((e) => e.id === id);
}

/** Whether registry teacher `id` is shipped trained for built-in dataset `dataset` (public/teachers). */
export function isShippedOn(id: string, dataset: string): boolean {
  const e = registryEntry(id);
  return e !== undefined && e.role !== 'student' && (e.shippedOn?.includes(dataset) ?? true);
}

/** Resolves a registry id or a spec string; throws with a readable reason. */
export function resolveArch(idOrSpec: string): ArchSpec {
  const entry = registryEntry(idOrSpec);
  if (entry) return entry.spec;
  if (idOrSpec.includes(':')) return parseSpec(idOrSpec);
  throw new Error(`unknown model "${idOrSpec}" (one of ${REGISTRY.map((e) => e.id).join(', ')}, or a spec like resnet:16-32-64x1)`);
}
