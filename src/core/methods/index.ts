export * from './registry';
export type { MethodDef, MethodPipeline } from './types';
export * from './results';
