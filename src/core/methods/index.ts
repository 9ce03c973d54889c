export * from './registry';
export type { DistillTerms, MethodDef, MethodPipeline } from './types';
export * from './results';
