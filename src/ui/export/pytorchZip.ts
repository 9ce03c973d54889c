/**
 * "Open in PyTorch" in the page: the project of the current config as one .zip — the files of
 * buildPytorchProject (initial state from the worker) plus the dataset's files from the
 * playground's own public/data, under data/ (train.py's default --data-dir), so it runs as unpacked.
 */
import { gzipSync, zipSync, type Zippable } from 'fflate';
import type { ExperimentConfig } from '../../core/config';
import { buildPytorchProject, checkExportable, type InitialState } from '../../core/export/pytorch';
import { MANIFEST_PATH, datasetInfo, splitPath } from '../../core/data/datasets';
import { PYTHON_SOURCES } from './pytorchSources';

async function fetchPublic(path: string): Promise<Uint8Array> {
  const res = await fetch(new URL(path, new URL(import.meta.env.BASE_URL, location.href)));
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** Servers that send *.gz with Content-Encoding: gzip hand fetch the inflated bytes: gzip them again. */
const asGzip = (path: string, bytes: Uint8Array) => (!path.endsWith('.gz') || (bytes[0] === 0x1f && bytes[1] === 0x8b) ? bytes : gzipSync(bytes, { level: 1 }));

/** Folder name inside the zip and of the zip itself. */
export const projectName = (c: ExperimentConfig) => `pytorch-${c.method.replace('+', '-')}-${c.dataset}-seed${c.seed}`;

export async function pytorchZip(config: ExperimentConfig, url: string, initialState: (c: ExperimentConfig) => Promise<InitialState>): Promise<Blob> {
  checkExportable(config); // H-GKD: its message before any work
  const state = await initialState(config);
  const files = buildPytorchProject({ config, url, state, sources: PYTHON_SOURCES });
  const root = projectName(config);
  const tree: Zippable = {};
  for (const f of files) tree[`${root}/${f.path}`] = [f.bytes, { level: f.path.endsWith('.safetensors') ? 0 : 6 }];
  for (const rel of [MANIFEST_PATH, splitPath(datasetInfo(config.dataset).id, 'train'), splitPath(datasetInfo(config.dataset).id, 'test')]) {
    tree[`${root}/data/${rel.split('/').pop()}`] = [asGzip(rel, await fetchPublic(rel)), { level: 0 }];
  }
  return new Blob([zipSync(tree) as Uint8Array<ArrayBuffer>], { type: 'application/zip' });
}
