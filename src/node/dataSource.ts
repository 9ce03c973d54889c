/**
 * fetchBytes for Node (scripts, tests): reads files under the repo's public/ folder, found
 * relative to this file so it works from any working directory.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataError } from '../core/data/decode';
import type { FetchBytes } from '../core/data/loader';

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
