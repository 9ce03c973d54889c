/**
 * The browser worker's RunEnvironment: backends from ./backend, data and teachers fetched over
 * HTTP from the app's public/ folder. Decoded datasets stay in memory across runs; teachers are
 * loaded per run (their weights are small and the HTTP cache keeps them).
 */
import type { ExperimentConfig } from '../core/config';
import type { DatasetId } from '../core/data/datasets';
import { DataError } from '../core/data/decode';
import { type Dataset, type FetchBytes, loadDataset } from '../core/data/loader';
import { loadMimTeacher } from '../core/hgkd/mimTeacher';
import { loadTeacher, teacherDir } from '../core/models/teachers';
import { trainerSources } from '../core/train/sources';
import { initBackend } from './backend';
import type { RunEnvironment } from './session';

/**
 * Reads `path` (relative to public/). A dev server answers unknown paths with its HTML page
 * (SPA fallback), so an HTML answer counts as a missing file rather than as corrupt data.
 */
export function fetchPublicBytes(baseUrl: string): FetchBytes {
  return async (path) => {
    const url = new URL(path, new URL(baseUrl, self.location.href));
    let res: Response;
    try {
      res = await fetch(url);
    } catch (e) {
      throw new DataError(path, 'missing', `fetch failed (${(e as Error).message})`);
    }
    const html = (res.headers.get('content-type') ?? '').includes('text/html');
    if (!res.ok || html) throw new DataError(path, 'missing', `not found (${res.ok ? 'the server sent a web page' : `HTTP ${res.status}`})`);
    return new Uint8Array(await res.arrayBuffer());
  };
}

export function browserEnvironment(fetchBytes: FetchBytes = fetchPublicBytes(import.meta.env.BASE_URL)): RunEnvironment {
  const datasets = new Map<string, Promise<Dataset>>();
  const dataset = (id: string): Promise<Dataset> => {
    let ds = datasets.get(id);
    if (!ds) {
      ds = loadDataset(id as DatasetId, fetchBytes);
      ds.catch(() => datasets.delete(id)); // a failed load is retried by the next run
      datasets.set(id, ds);
    }
    return ds;
  };
  return {
    initBackend,
    async loadTeacher(config: ExperimentConfig) {
      try {
        return await loadTeacher(config.dataset, config.teacher, fetchBytes);
      } catch (e) {
        if (e instanceof DataError && e.kind === 'missing') {
          const where = `${teacherDir(config.dataset, config.teacher)}/`;
          const hint = config.teacher.includes(':')
            ? 'a teacher given as a spec is trained by the headless runner (npm run experiment); the page has the shipped teachers only'
            : 'train it with npm run train:teachers';
          throw new DataError(e.file, 'missing', `teacher ${config.teacher} for ${config.dataset} is not in ${where} (${hint})`);
        }
        throw e;
      }
    },
    async loadMimTeacher(config: ExperimentConfig) {
      const { vit, decoder } = await loadMimTeacher(config.dataset, config.mimTeacher, fetchBytes);
      decoder.dispose(); // the MAE decoder is only for re-measuring the reconstruction loss
      return vit;
    },
    async loadData(config: ExperimentConfig) {
      return trainerSources(await dataset(config.dataset), config.subset, config.seed);
    },
  };
}
