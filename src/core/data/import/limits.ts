/**
 * The import's stated limits, apart from the pipeline so the config schema (and so the page's
 * main bundle) reads them without the archive and image code.
 */
export const SIDES = [28, 32, 48, 64] as const;
export type Side = (typeof SIDES)[number];
export const MAX_CLASSES = 1000;

/** Size limits, stated so a user knows before loading: CIFAR-10/100 binaries are ~170 MB packed, ~185 MB unpacked. */
export interface ArchiveLimits {
  maxArchiveBytes: number;
  maxExpandedBytes: number;
}
export const ARCHIVE_LIMITS: ArchiveLimits = { maxArchiveBytes: 512 * 2 ** 20, maxExpandedBytes: 1024 * 2 ** 20 };
