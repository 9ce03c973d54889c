/**
 * Trains the shipped teachers reproducibly and writes them into public/teachers/:
 *   public/teachers/<dataset>/<id>/{model.json, weights.bin} and public/teachers/manifest.json
 *   npm run train:teachers [-- --dataset mnist|fashion] [--teacher resnet-t|resnet-s] [--epochs N] [--backend wasm|cpu]
 * Fixed seed, Adam with cosine decay, ±2 px random shifts; the test accuracy recorded in the
 * manifest is measured on the full official test set and re-checked by tests/teachers.test.ts.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Net } from '../src/core/models/net';
import { registryEntry, TEACHER_IDS } from '../src/core/models/registry';
import { serializeNet, WEIGHTS_FILE } from '../src/core/models/serialize';
import { TEACHER_MANIFEST, teacherDir, type TeacherManifest, type TeacherRecord } from '../src/core/models/teachers';
import { trainSupervised } from '../src/core/train/supervised';
import { evaluateNet } from '../src/core/train/trainer';
import { initNodeBackend } from '../src/node/backend';
import { nodeDataSources } from '../src/node/experimentDeps';

const PUBLIC = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'public');
const SEED = 1;
const BATCH = 64;
const LR = 2e-3;
/** Epochs and max random shift per dataset: enough for MNIST ≥ 99.0 % and Fashion-MNIST ≥ 91 %. */
const EPOCHS: Record<string, number> = { mnist: 2, fashion: 6 };
const SHIFT: Record<string, number> = { mnist: 2, fashion: 1 };

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
  const epochs = args.epochs ? Number(args.epochs) : EPOCHS[dataset];
  const { train, test, background } = await nodeDataSources(dataset, 0, SEED);
  const steps = Math.ceil((epochs * train.indices.length) / BATCH);
  const net = new Net(entry.spec, SEED, `teacher-${dataset}-${id}`);
  const started = Date.now();
  console.log(`${dataset}/${id}: ${entry.spec.family} ${net.params.countTrainable()} params, ${epochs} epochs = ${steps} steps on ${backend}`);
  await trainSupervised(net, train, {
    steps,
    batch: BATCH,
    lr: LR,
    seed: SEED,
    shift: SHIFT[dataset],
    background,
    logEvery: 100,
    onStep: async (step, loss) => {
      const rate = step / ((Date.now() - started) / 1000);
      console.log(`  step ${step}/${steps} loss ${loss.toFixed(4)} (${rate.toFixed(2)} steps/s)`);
    },
  });
  const testAcc = await evaluateNet(net, test);
  const seconds = Math.round((Date.now() - started) / 1000);
  const command = `npm run train:teachers -- --dataset ${dataset} --teacher ${id} --epochs ${epochs} --backend ${backend}`;
  const record: TeacherRecord = {
    dataset, id, arch: net.arch, params: net.params.countTrainable(), testAcc, epochs, steps, batch: BATCH, lr: LR, seed: SEED,
    augment: `random shift ±${SHIFT[dataset]} px`, command, trainedOn: backend, seconds,
  };
  const dir = path.join(PUBLIC, teacherDir(dataset, id));
  await mkdir(dir, { recursive: true });
  const { modelJson, weights } = await serializeNet(net, { ...record });
  await writeFile(path.join(dir, 'model.json'), JSON.stringify(modelJson, null, 1));
  await writeFile(path.join(dir, WEIGHTS_FILE), new Uint8Array(weights));
  net.dispose();
  console.log(`${dataset}/${id}: test accuracy ${(100 * testAcc).toFixed(2)}% in ${seconds} s`);
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
