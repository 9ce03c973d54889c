/**
 * ExperimentDeps for Node (runner, benchmarks, tests): data and teachers read from public/,
 * datasets kept in memory across the runs of a sweep.
 */
import type { ExperimentConfig } from '../core/config';
import type { Dataset } from '../core/data/loader';
import { loadDataset } from '../core/data/loader';
import type { DatasetId } from '../core/data/datasets';
import type { ExperimentDeps } from '../core/train/experiment';
import { trainerSources } from '../core/train/sources';
import { initNodeBackend } from './backend';
import { nodeFetchBytes } from './dataSource';
import { nodeMimTeacher, nodeTeacher, type TeacherOptions } from './teacherStore';

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

export async function nodeExperimentDeps(backend: 'wasm' | 'cpu', teacherOptions: TeacherOptions = {}): Promise<ExperimentDeps> {
  await initNodeBackend(backend);
  return {
    backend,
    teacher: (c: ExperimentConfig) => nodeTeacher(c.dataset, c.teacher, teacherOptions),
    mimTeacher: (c: ExperimentConfig) => nodeMimTeacher(c.dataset, c.mimTeacher),
    data: (c: ExperimentConfig) => nodeDataSources(c.dataset, c.subset, c.seed),
  };
}
