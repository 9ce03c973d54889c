/**
 * Node side of "Open in PyTorch": writes the project of a config into a folder.
 *
 *   await writePytorchProject(config, 'out/mgd-run');            // → out/mgd-run/{README.md, train.py, …}
 *
 * Teacher and data come from public/ as for `npm run experiment`; the engine builds the run's
 * trainer for the seed and its initial tensors are written (src/core/export/pytorch). The data
 * files of the config's dataset are copied into <out>/data (train.py's default --data-dir) unless
 * `copyData: false`. The folder appears whole or not at all: everything is written into a
 * sibling temp folder that is renamed at the end (and removed on any failure); an existing
 * non-empty `outDir` is refused.
 */
import { copyFile, mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ExperimentConfig, encodeConfig } from '../../core/config';
import { datasetInfo, splitPath, MANIFEST_PATH } from '../../core/data/datasets';
import { buildPytorchProject, checkExportable, PY_SOURCES, type PySources } from '../../core/export/pytorch';
import { readInitialState } from '../../core/export/pytorch/initialState';
import { initNodeBackend } from '../backend';
import { nodeDataSources, PUBLIC_DIR } from '../dataSource';
import { nodeTeacher, type TeacherOptions } from '../teacherStore';

export const PYTHON_SOURCES_DIR = fileURLToPath(new URL('../../core/export/pytorch/python/', import.meta.url));
/** Where the playground is served by `npm start`; the project's URL points there unless told otherwise. */
export const DEFAULT_PLAYGROUND_ORIGIN = 'http://127.0.0.1:5173/';

export interface PytorchProjectOptions {
  /** Base of the playground URL written into config.json (default DEFAULT_PLAYGROUND_ORIGIN). */
  origin?: string;
  copyData?: boolean; // default true
  teacher?: TeacherOptions;
  /** Backend the engine builds the initial state on (default wasm; any gives the same weights: they come from the seeded Rng). */
  backend?: 'wasm' | 'cpu';
}

export async function readPythonSources(dir = PYTHON_SOURCES_DIR): Promise<PySources> {
  const entries = await Promise.all(PY_SOURCES.map(async (f) => [f, await readFile(path.join(dir, f), 'utf8')] as const));
  return Object.fromEntries(entries) as PySources;
}

async function refuseNonEmpty(dir: string): Promise<void> {
  try {
    if ((await readdir(dir)).length > 0) throw new Error(`${dir} exists and is not empty: choose a new --out folder`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

/** Writes the PyTorch project of `config` into `outDir`; returns the relative paths written. */
export async function writePytorchProject(config: ExperimentConfig, outDir: string, o: PytorchProjectOptions = {}): Promise<string[]> {
  checkExportable(config); // before anything is loaded or written
  const out = path.resolve(outDir);
  await refuseNonEmpty(out);
  await initNodeBackend(o.backend ?? 'wasm');
  const teacher = await nodeTeacher(config.dataset, config.teacher, o.teacher);
  let state;
  try {
    const { train, test } = await nodeDataSources(config.dataset, config.subset, config.seed);
    state = await readInitialState(config, teacher, train, test);
  } finally {
    teacher.dispose();
  }
  const url = `${o.origin ?? DEFAULT_PLAYGROUND_ORIGIN}?${encodeConfig(config)}`;
  const files = buildPytorchProject({ config, url, state, sources: await readPythonSources() });
  const tmp = `${out}.partial-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  try {
    for (const f of files) {
      await mkdir(path.dirname(path.join(tmp, f.path)), { recursive: true });
      await writeFile(path.join(tmp, f.path), f.bytes);
    }
    const written = files.map((f) => f.path);
    if (o.copyData ?? true) {
      await mkdir(path.join(tmp, 'data'), { recursive: true });
      for (const rel of [MANIFEST_PATH, splitPath(datasetInfo(config.dataset).id, 'train'), splitPath(datasetInfo(config.dataset).id, 'test')]) {
        await copyFile(path.join(PUBLIC_DIR, rel), path.join(tmp, 'data', path.basename(rel)));
        written.push(`data/${path.basename(rel)}`);
      }
    }
    await mkdir(path.dirname(out), { recursive: true });
    await rm(out, { recursive: true, force: true }); // empty or absent (checked above)
    await rename(tmp, out);
    return written;
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}
