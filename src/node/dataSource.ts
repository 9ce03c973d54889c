/**
 * fetchBytes for Node (scripts, tests): reads files under the repo's public/ folder, found
 * relative to this file so it works from any working directory. Also reads a user's dataset
 * (folder or archive) from disk for the import pipeline.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import path, { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataError } from '../core/data/decode';
import { type Dataset, type FetchBytes, loadDataset } from '../core/data/loader';
import type { DatasetId } from '../core/data/datasets';
import { ARCHIVE_LIMITS, type ArchiveLimits, type ImportFile, unpackArchive } from '../core/data/import/archive';
import { ImportError } from '../core/data/import/idx';
import { type ImportOptions, type ImportedDataset, importDataset } from '../core/data/import/pipeline';
import { trainerSources } from '../core/train/sources';
import { nodeImageDecoder } from './imageDecode';

/** Absolute path of public/. */
export const PUBLIC_DIR = fileURLToPath(new URL('../../public/', import.meta.url));

/** Reads `path` (relative to `root`, default public/); a missing file is a DataError naming it. */
export function diskFetchBytes(root: string = PUBLIC_DIR): FetchBytes {
  return async (path) => {
    const full = resolve(root, path);
    const rel = relative(root, full);
    if (rel.startsWith('..') || isAbsolute(rel)) throw new DataError(path, 'missing', `path leaves ${root}`);
    try {
      const buf = await readFile(full);
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new DataError(path, 'missing', `file not found at ${full} (run npm run data:build)`);
      throw new DataError(path, 'missing', `cannot read ${full} (${(e as Error).message})`);
    }
  };
}

/** fetchBytes reading from public/. */
export const nodeFetchBytes: FetchBytes = diskFetchBytes();

/** The files of a folder (recursively) or of an archive file, for the import pipeline. */
export async function readImportFiles(source: string, limits: ArchiveLimits = ARCHIVE_LIMITS): Promise<ImportFile[]> {
  const info = await stat(source).catch(() => {
    throw new ImportError(source, 'no such file or folder');
  });
  if (!info.isDirectory()) {
    if (info.size > limits.maxArchiveBytes) throw new ImportError(source, `${info.size} bytes is over the ${limits.maxArchiveBytes}-byte archive limit`);
    const buf = await readFile(source);
    return unpackArchive(source, new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), limits);
  }
  const files: ImportFile[] = [];
  let total = 0;
  for (const entry of await readdir(source, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    const buf = await readFile(full);
    total += buf.byteLength;
    if (total > limits.maxExpandedBytes) throw new ImportError(source, `holds more than the ${limits.maxExpandedBytes}-byte limit`);
    files.push({ path: path.relative(source, full).split(path.sep).join('/'), bytes: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) });
  }
  return files;
}

/** Imports a folder or archive from disk with the Node image decoder. */
export async function importFromDisk(source: string, o: Omit<ImportOptions, 'decode'> = {}): Promise<ImportedDataset> {
  return importDataset(source, await readImportFiles(source), { ...o, decode: nodeImageDecoder });
}

const datasets = new Map<string, Promise<Dataset>>();

export function nodeDataset(id: string): Promise<Dataset> {
  let ds = datasets.get(id);
  if (!ds) {
    ds = loadDataset(id as DatasetId, nodeFetchBytes);
    datasets.set(id, ds);
  }
  return ds;
}

export async function nodeDataSources(dataset: string, subset: number, seed: number) {
  return trainerSources(await nodeDataset(dataset), subset, seed);
}
