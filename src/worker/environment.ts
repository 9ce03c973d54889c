/**
 * The browser worker's RunEnvironment: backends from ./backend, built-in data and shipped teachers
 * fetched over HTTP from the app's public/ folder, loaded datasets and the teachers trained in
 * the page (on them, or specs on the built-in data) from the dataset store (./dataService). Decoded datasets stay in memory across runs;
 * teachers are loaded per run (their weights are small and the HTTP cache keeps them).
 */
import type { ExperimentConfig } from '../core/config';
import { describeDataset, parseDatasetRef } from '../core/data/datasetRef';
import { importedAsDataset } from '../core/data/import/pipeline';
import { DataError } from '../core/data/decode';
import { type Dataset, type FetchBytes, loadDataset } from '../core/data/loader';
import { loadMimTeacher } from '../core/hgkd/mimTeacher';
import { loadTeacher, teacherDir } from '../core/models/teachers';
import { trainerSources } from '../core/train/sources';
import { initBackend } from './backend';
import type { DataService } from './dataService';
import type { RunEnvironment } from './session';
import type { TeacherPort } from './teacherRun';
import { configTeacherKey, isShippedTeacher } from '../core/train/teacherPlan';

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

/** The worker's environment: runs (RunEnvironment) and teacher training (TeacherPort) over the same datasets. */
export function browserEnvironment(data: DataService, fetchBytes: FetchBytes = fetchPublicBytes(import.meta.env.BASE_URL)): RunEnvironment & TeacherPort {
  const datasets = new Map<string, Promise<Dataset>>();
  const dataset = (config: ExperimentConfig): Promise<Dataset> => {
    const ref = parseDatasetRef(config.dataset);
    // Imported ones are kept by the data service (a delete takes effect at once); wrapping them is cheap.
    if (ref.kind === 'import') return data.dataset(config.dataset).then(importedAsDataset);
    let ds = datasets.get(ref.id);
    if (!ds) {
      ds = loadDataset(ref.id, fetchBytes);
      ds.catch(() => datasets.delete(ref.id)); // a failed load is retried by the next run
      datasets.set(ref.id, ds);
    }
    return ds;
  };
  return {
    initBackend,
    dataset,
    saveTeacher: (id, t) => data.saveTeacher(id, t),
    list: () => data.list(),
    async loadTeacher(config: ExperimentConfig) {
      if (!isShippedTeacher(config)) {
        const net = await data.teacher(configTeacherKey(config));
        if (net) return net;
        throw new DataError(config.teacher, 'missing', `no teacher ${config.teacher} is trained for ${describeDataset(config.dataset)} yet: press "Train teacher"`);
      }
      try {
        return await loadTeacher(config.dataset, config.teacher, fetchBytes);
      } catch (e) {
        if (e instanceof DataError && e.kind === 'missing') {
          throw new DataError(e.file, 'missing', `teacher ${config.teacher} for ${config.dataset} is not in ${teacherDir(config.dataset, config.teacher)}/ (train it with npm run train:teachers)`);
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
      return trainerSources(await dataset(config), config.subset, config.seed);
    },
  };
}
