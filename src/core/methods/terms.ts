/**
 * The tensor side of the method list: every Distiller method's loss term, by id. The `satisfies`
 * makes it exhaustive, so a method declared in registry.ts without a term here does not compile.
 * Only the Distiller imports this (the UI reads registry.ts and never loads tfjs).
 */
import { AT_TERM } from './at/terms';
import { CRD_TERM } from './crd/terms';
import { KD_TERM, MGD_KD_TERM, MGD_TERM, MIMIC_TERM, NONE_TERM } from './mgd/terms';
import { OFD_TERM } from './ofd/terms';
import { RKD_TERM } from './rkd/terms';
import { SRRL_TERM } from './srrl/terms';
import { WSLD_TERM } from './wsld/terms';
import type { DistillMethodId } from './registry';
import type { MethodTerm } from './term';

export const TERMS = {
  none: NONE_TERM,
  kd: KD_TERM,
  mimic: MIMIC_TERM,
  mgd: MGD_TERM,
  'mgd+kd': MGD_KD_TERM,
  at: AT_TERM,
  rkd: RKD_TERM,
  wsld: WSLD_TERM,
  srrl: SRRL_TERM,
  crd: CRD_TERM,
  ofd: OFD_TERM,
} as const satisfies { readonly [M in DistillMethodId]: MethodTerm<never> };
