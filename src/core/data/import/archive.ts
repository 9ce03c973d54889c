/**
 * Unpacks what a user hands in (a .zip, .tar, .tar.gz/.tgz, a gzipped single file, or the files
 * of a folder) into one flat list of files, so format detection never cares how they came.
 * zip and gzip are fflate's, tar is nanotar's (small, dependency-free, runs in Node and the page).
 */
import { gunzipSync, unzipSync } from 'fflate';
import { parseTar } from 'nanotar';
import { ImportError } from './idx';

export interface ImportFile {
  path: string; // '/'-separated, relative to the archive or folder root
  bytes: Uint8Array;
}

import { ARCHIVE_LIMITS, type ArchiveLimits } from './limits';
export { ARCHIVE_LIMITS, type ArchiveLimits } from './limits';

const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;

const isGzip = (b: Uint8Array) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
/** POSIX/GNU tar: "ustar" at offset 257 of the first header block. */
const isTar = (b: Uint8Array) => b.length >= 512 && String.fromCharCode(...b.subarray(257, 262)) === 'ustar';

/** The files inside `bytes` (named `name`); a file that is no archive comes back as itself. */
export function unpackArchive(name: string, bytes: Uint8Array, limits: ArchiveLimits = ARCHIVE_LIMITS): ImportFile[] {
  if (bytes.length > limits.maxArchiveBytes) {
    throw new ImportError(name, `${mib(bytes.length)} is over the ${mib(limits.maxArchiveBytes)} archive limit`);
  }
  if (isZip(bytes)) return unzip(name, bytes, limits);
  let inner = bytes;
  let innerName = name;
  if (isGzip(bytes)) {
    inner = gunzip(name, bytes, limits);
    innerName = name.replace(/\.t?gz$/i, (m) => (m.toLowerCase() === '.tgz' ? '.tar' : ''));
  }
  if (isTar(inner)) return untar(name, inner, limits);
  return [{ path: baseName(innerName), bytes: inner }];
}

function gunzip(name: string, bytes: Uint8Array, limits: ArchiveLimits): Uint8Array {
  // The trailer holds the inflated size mod 2^32: refuse before allocating when it says too much.
  const n = bytes.length;
  const isize = n >= 18 ? (bytes[n - 4] | (bytes[n - 3] << 8) | (bytes[n - 2] << 16) | (bytes[n - 1] << 24)) >>> 0 : 0;
  if (isize > limits.maxExpandedBytes) throw new ImportError(name, `unpacks to ${mib(isize)}, over the ${mib(limits.maxExpandedBytes)} limit`);
  try {
    return gunzipSync(bytes);
  } catch (e) {
    throw new ImportError(name, `corrupt gzip data (${(e as Error).message})`);
  }
}

function unzip(name: string, bytes: Uint8Array, limits: ArchiveLimits): ImportFile[] {
  let total = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        total += f.originalSize;
        if (total > limits.maxExpandedBytes) throw new ImportError(name, `unpacks to more than the ${mib(limits.maxExpandedBytes)} limit`);
        return !f.name.endsWith('/');
      },
    });
  } catch (e) {
    if (e instanceof ImportError) throw e;
    throw new ImportError(name, `corrupt zip archive (${(e as Error).message})`);
  }
  return Object.entries(files).map(([path, data]) => ({ path, bytes: data }));
}

function untar(name: string, bytes: Uint8Array, limits: ArchiveLimits): ImportFile[] {
  let entries;
  try {
    entries = parseTar(bytes);
  } catch (e) {
    throw new ImportError(name, `corrupt tar archive (${(e as Error).message})`);
  }
  const total = entries.reduce((s, e) => s + (e.size ?? 0), 0);
  if (total > limits.maxExpandedBytes) throw new ImportError(name, `unpacks to ${mib(total)}, over the ${mib(limits.maxExpandedBytes)} limit`);
  return entries
    .filter((e) => (e.type === 'file' || e.type === undefined) && e.data)
    .map((e) => ({ path: e.name.replace(/^\.\//, ''), bytes: e.data! }));
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
