/**
 * ExperimentDeps for Node (runner, benchmarks, tests): data and teachers read from public/,
 * datasets kept in memory across the runs of a sweep.
 */
import type { ExperimentConfig } from '../core/config';
import type { Dataset } from '../core/data/loader';
import { loadDataset } from '../core/data/loader';
import type { DatasetId } from '../core/data/datasets';
import { loadTeacher } from '../core/models/teachers';
import type { ExperimentDeps } from '../core/train/experiment';
import { trainerSources } from '../core/train/sources';
import { initNodeBackend } from './backend';
import { nodeFetchBytes } from './dataSource';

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

export async function nodeExperimentDeps(backend: 'wasm' | 'cpu'): Promise<ExperimentDeps> {
  await initNodeBackend(backend);
  return {
    backend,
    teacher: (c: ExperimentConfig) => loadTeacher(c.dataset, c.teacher, nodeFetchBytes),
    data: (c: ExperimentConfig) => nodeDataSources(c.dataset, c.subset, c.seed),
  };
}
