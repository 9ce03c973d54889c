/**
 * Trains the shipped teachers reproducibly and writes them into public/teachers/:
 *   public/teachers/<dataset>/<id>/{model.json, weights.bin} and public/teachers/manifest.json
 *   npm run train:teachers [-- --dataset mnist|fashion] [--teacher resnet-t|resnet-s] [--epochs N] [--backend wasm|cpu]
 * The recipe is src/core/train/teacherRecipe.ts (fixed seed, Adam with cosine decay, random shifts); the test accuracy recorded in the
 * manifest is measured on the full official test set and re-checked by tests/teachers.test.ts.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { registryEntry, TEACHER_IDS } from '../src/core/models/registry';
import { formatSpec } from '../src/core/models/spec';
import { serializeNet, WEIGHTS_FILE } from '../src/core/models/serialize';
import { TEACHER_MANIFEST, teacherDir, type TeacherManifest, type TeacherRecord } from '../src/core/models/teachers';
import { TEACHER_BATCH, TEACHER_LR, TEACHER_SEED, trainTeacher } from '../src/core/train/teacherRecipe';
import { initNodeBackend } from '../src/node/backend';
import { nodeDataSources } from '../src/node/dataSource';

const PUBLIC = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'public');

const { values: args } = parseArgs({
  options: {
    dataset: { type: 'string' },
    teacher: { type: 'string' },
    epochs: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
  },
});

async function readManifest(): Promise<TeacherManifest> {
  try {
    return JSON.parse(await readFile(path.join(PUBLIC, TEACHER_MANIFEST), 'utf8')) as TeacherManifest;
  } catch {
    return { teachers: [] };
  }
}

async function trainOne(dataset: string, id: string, backend: 'wasm' | 'cpu'): Promise<TeacherRecord> {
  const entry = registryEntry(id)!;
  const data = await nodeDataSources(dataset, 0, TEACHER_SEED);
  const started = Date.now();
  console.log(`${dataset}/${id}: ${entry.spec.family} ${formatSpec(entry.spec)} on ${backend}`);
  const t = await trainTeacher(entry.spec, dataset, data, {
    epochs: args.epochs ? Number(args.epochs) : undefined,
    scope: `teacher-${dataset}-${id}`,
    onProgress: (step, steps, loss) => {
      const rate = step / ((Date.now() - started) / 1000);
      console.log(`  step ${step}/${steps} loss ${loss.toFixed(4)} (${rate.toFixed(2)} steps/s)`);
    },
  });
  const command = `npm run train:teachers -- --dataset ${dataset} --teacher ${id} --epochs ${t.epochs} --backend ${backend}`;
  const record: TeacherRecord = {
    dataset, id, arch: t.net.arch, params: t.net.params.countTrainable(), testAcc: t.testAcc, epochs: t.epochs, steps: t.steps,
    batch: TEACHER_BATCH, lr: TEACHER_LR, seed: TEACHER_SEED, augment: `random shift ±${t.augment.shift} px${t.augment.flip ? ', left–right flips' : ''}`, command, trainedOn: backend,
    seconds: t.seconds,
  };
  const dir = path.join(PUBLIC, teacherDir(dataset, id));
  await mkdir(dir, { recursive: true });
  const { modelJson, weights } = await serializeNet(t.net, { ...record });
  await writeFile(path.join(dir, 'model.json'), JSON.stringify(modelJson, null, 1));
  await writeFile(path.join(dir, WEIGHTS_FILE), new Uint8Array(weights));
  t.net.dispose();
  console.log(`${dataset}/${id}: test accuracy ${(100 * t.testAcc).toFixed(2)}% in ${t.seconds} s`);
  return record;
}

async function main() {
  const backend = args.backend === 'cpu' ? 'cpu' : 'wasm';
  await initNodeBackend(backend);
  const datasets = args.dataset ? [args.dataset] : ['mnist', 'fashion'];
  const ids = args.teacher ? [args.teacher] : TEACHER_IDS;
  for (const dataset of datasets) {
    for (const id of ids) {
      const record = await trainOne(dataset, id, backend);
      // Re-read before writing: several trainings may run side by side.
      const manifest = await readManifest();
      manifest.teachers = manifest.teachers.filter((t) => !(t.dataset === dataset && t.id === id)).concat(record);
      manifest.teachers.sort((a, b) => `${a.dataset}/${a.id}`.localeCompare(`${b.dataset}/${b.id}`));
      await writeFile(path.join(PUBLIC, TEACHER_MANIFEST), JSON.stringify(manifest, null, 1) + '\n');
    }
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
