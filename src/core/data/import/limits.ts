/**
 * The import's stated limits, apart from the pipeline so the config schema (and so the page's
 * main bundle) reads them without the archive and image code.
 */
export const SIDES = [28, 32, 48, 64] as const;
export type Side = (typeof SIDES)[number];
export const MAX_CLASSES = 1000;
