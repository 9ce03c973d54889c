/**
 * Pre-trains the H-GKD teacher, a small ViT, by masked image modelling (MAE) on the train split
 * without labels, then measures its reconstruction loss and the linear-probe accuracy of its
 * pooled embeddings, and writes public/teachers/<dataset>/<id>/{model.json, weights.bin} plus
 * its entry under `mim` in public/teachers/manifest.json.
 *   npm run train:mim-teacher [-- --dataset mnist|fashion] [--epochs N] [--backend wasm|cpu] [--measure-only]
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { WEIGHTS_FILE } from '../src/core/models/serialize';
import { loadMimTeacher } from '../src/core/hgkd/mimTeacher';
import { TEACHER_MANIFEST, teacherDir, type MimTeacherRecord, type TeacherManifest } from '../src/core/models/teachers';
import type { TestSource } from '../src/core/loop/sources';
import { nodeDataSources, nodeFetchBytes } from '../src/node/dataSource';
import { MAE_DECODER_DEFAULTS, MaeDecoder, trainMim } from '../src/core/hgkd/mim';
import { measureMimTeacher, PROBE_TRAIN_SUBSET, RECON_MASK_RATIO } from '../src/core/hgkd/measureMim';
import { type MimTeacher, disposeMimTeacher, serializeMimTeacher } from '../src/core/hgkd/mimTeacher';
import { Vit, vitArch, vitOptionsFor } from '../src/core/hgkd/vit';
import { initNodeBackend } from '../src/node/backend';

const PUBLIC = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'public');
const ID = 'vit-mim';
const SEED = 1;
const BATCH = 128;
const LR = 1.5e-3;
const WEIGHT_DECAY = 0.05;
const EPOCHS: Record<string, number> = { mnist: 1, fashion: 1 };

const { values: args } = parseArgs({
  options: {
    dataset: { type: 'string', default: 'mnist' },
    epochs: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    'measure-only': { type: 'boolean', default: false },
  },
});

const manifestPath = path.join(PUBLIC, TEACHER_MANIFEST);

/** Replaces the (dataset, ID) entry of the manifest's `mim` list, re-reading it first (CNN teachers may be retrained side by side). */
async function writeRecord(record: MimTeacherRecord): Promise<void> {
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as TeacherManifest;
  manifest.mim = (manifest.mim ?? []).filter((t) => !(t.dataset === record.dataset && t.id === record.id)).concat(record);
  manifest.mim.sort((a, b) => `${a.dataset}/${a.id}`.localeCompare(`${b.dataset}/${b.id}`));
  await writeFile(manifestPath, JSON.stringify(manifest, null, 1) + '\n');
}

async function writeTeacher(teacher: MimTeacher, record: MimTeacherRecord): Promise<void> {
  const dir = path.join(PUBLIC, teacherDir(record.dataset, ID));
  await mkdir(dir, { recursive: true });
  const { modelJson, weights } = await serializeMimTeacher(teacher, { ...record });
  await writeFile(path.join(dir, 'model.json'), JSON.stringify(modelJson, null, 1));
  await writeFile(path.join(dir, WEIGHTS_FILE), new Uint8Array(weights));
  await writeRecord(record);
}

async function measure(teacher: MimTeacher, dataset: string, test: TestSource) {
  const { train: probeTrain, info } = await nodeDataSources(dataset, PROBE_TRAIN_SUBSET, SEED);
  return measureMimTeacher(teacher, { probeTrain, test, classes: info.numClasses });
}

/** --measure-only: re-measures the shipped teacher (e.g. after a change to the probe) and updates its figures. */
async function remeasure(dataset: string): Promise<void> {
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as TeacherManifest;
  const old = manifest.mim?.find((t) => t.dataset === dataset && t.id === ID);
  if (!old) throw new Error(`${dataset}/${ID} is not in ${TEACHER_MANIFEST}: train it first`);
  const teacher = await loadMimTeacher(dataset, ID, nodeFetchBytes);
  const { reconLoss, probeAcc } = await measure(teacher, dataset, (await nodeDataSources(dataset, 0, SEED)).test);
  await writeTeacher(teacher, { ...old, reconLoss, probeAcc });
  disposeMimTeacher(teacher);
  console.log(`${dataset}/${ID}: reconstruction loss ${reconLoss.toFixed(4)}, linear probe ${(100 * probeAcc).toFixed(2)}% (re-measured)`);
}

async function main() {
  const dataset = args.dataset!;
  const backend = args.backend === 'cpu' ? 'cpu' : 'wasm';
  const epochs = args.epochs ? Number(args.epochs) : (EPOCHS[dataset] ?? 1);
  await initNodeBackend(backend);
  if (args['measure-only']) return remeasure(dataset);
  const data = await nodeDataSources(dataset, 0, SEED);
  const steps = Math.ceil((epochs * data.train.indices.length) / BATCH);
  const vit = new Vit(vitOptionsFor(data.info), SEED, `mim-${dataset}`);
  const teacher = { vit, decoder: new MaeDecoder(vit, MAE_DECODER_DEFAULTS, SEED + 1, `mim-${dataset}-decoder`) };
  const started = Date.now();
  console.log(`${dataset}/${ID}: ${vitArch(vit.options)}, ${vit.params.countTrainable()} parameters, ${steps} steps on ${backend}`);
  await trainMim(vit, teacher.decoder, data.train, {
    steps, batch: BATCH, lr: LR, weightDecay: WEIGHT_DECAY, seed: SEED, maskRatio: RECON_MASK_RATIO, logEvery: 50,
    onStep: (step, loss) => console.log(`  step ${step}/${steps} loss ${loss.toFixed(4)} (${(step / ((Date.now() - started) / 1000)).toFixed(2)} steps/s)`),
  });
  const trainSeconds = Math.round((Date.now() - started) / 1000);
  const { reconLoss, probeAcc } = await measure(teacher, dataset, data.test);
  const record: MimTeacherRecord = {
    dataset, id: ID, arch: vitArch(vit.options), params: vit.params.countTrainable(), reconLoss, maskRatio: RECON_MASK_RATIO, probeAcc,
    epochs, steps, batch: BATCH, lr: LR, seed: SEED,
    command: `npm run train:mim-teacher -- --dataset ${dataset} --epochs ${epochs} --backend ${backend}`,
    trainedOn: backend, seconds: trainSeconds,
  };
  await writeTeacher(teacher, record);
  disposeMimTeacher(teacher);
  console.log(`${dataset}/${ID}: reconstruction loss ${reconLoss.toFixed(4)}, linear probe ${(100 * probeAcc).toFixed(2)}% (${trainSeconds} s training)`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
