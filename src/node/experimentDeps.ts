/**
 * ExperimentDeps for Node (runner, benchmarks, tests): data and teachers read from public/
 * (datasets kept in memory across the runs of a sweep, ./dataSource.ts); or an imported dataset
 * and its teachers.
 */
import type { ExperimentConfig } from '../core/config';
import type { ExperimentDeps } from '../core/train/experiment';
import { trainerSources } from '../core/train/sources';
import { initNodeBackend } from './backend';
import { nodeDataSources } from './dataSource';
import { type ImportedDataset, importedAsDataset } from '../core/data/import/pipeline';
import { nodeImportedTeacher, nodeMimTeacher, nodeTeacher, type TeacherOptions } from './teacherStore';

/** Deps for runs on built-in data, or on `imported` (then config.dataset is not used). */
export async function nodeExperimentDeps(backend: 'wasm' | 'cpu', teacherOptions: TeacherOptions = {}, imported?: ImportedDataset): Promise<ExperimentDeps> {
  await initNodeBackend(backend);
  if (imported) {
    const dataset = importedAsDataset(imported);
    return {
      backend,
      teacher: (c: ExperimentConfig) => nodeImportedTeacher(imported, c.teacher, teacherOptions),
      data: async (c: ExperimentConfig) => trainerSources(dataset, c.subset, c.seed),
    };
  }
  return {
    backend,
    teacher: (c: ExperimentConfig) => nodeTeacher(c.dataset, c.teacher, teacherOptions),
    mimTeacher: (c: ExperimentConfig) => nodeMimTeacher(c.dataset, c.mimTeacher),
    data: (c: ExperimentConfig) => nodeDataSources(c.dataset, c.subset, c.seed),
  };
}
