/**
 * Exports a run in a format other tools read.
 *   npm run export -- --config "<query string or playground URL>" --format onnx|tfjs|pytorch --out <path>
 *                     [--model student|teacher] [--backend wasm|cpu] [--steps N] [--teacher-epochs E]
 * onnx and tfjs write one network of the run: the student (default) is trained exactly as
 * `npm run experiment` trains it (the same code, progress lines on stderr, same numbers for the
 * same config); `--model teacher` writes the run's teacher as it is (shipped, or a spec trained
 * once and cached), scored on the full test set, without training the student. onnx goes to a
 * .onnx file, tfjs to a folder holding model.json + weights.bin (a tfjs Layers model). pytorch
 * writes the project of the whole run (teacher and student) at its initial state.
 * A bad config or argument exits with code 2 and names the field, before any training.
 *
 * Each format is one entry of FORMATS; a format this build lacks is listed as null.
 */
import { checkExportable } from '../src/core/export/pytorch';
import { writePytorchProject } from '../src/node/export/pytorchProject';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type ExperimentConfig, encodeConfig } from '../src/core/config';
import type { ExperimentDeps } from '../src/core/train/experiment';
import { datasetInfo } from '../src/core/data/datasets';
import { serializeNet } from '../src/core/models/serialize';
import { DEFAULT_PLAYGROUND, type ExportInfo, exportLayersModel, exportOnnx, LAYERS_WEIGHTS_FILE, runUrl } from '../src/core/export';
import type { Net } from '../src/core/models/net';
import { evaluateNet } from '../src/core/train/trainer';
import { nodeExperimentDeps } from '../src/node/experimentDeps';
import { commonArgs, failUsage, parseCliArgs, runWithProgress, UsageError } from '../src/node/runnerCli';

const MODELS = ['student', 'teacher'] as const;
type ModelRole = (typeof MODELS)[number];

interface ExportEnv {
  /** The config as given (a playground URL gives the exported metadata its origin). */
  configText: string;
  /** Which network a model format writes. */
  model: ModelRole;
  /** Experiment dependencies on the chosen Node backend (started on first use). */
  deps(): Promise<ExperimentDeps>;
  log(text: string): void;
}

interface ExportFormat {
  /** Why this format cannot export `model` of `config` to `out`, or null; checked before any work. */
  check(config: ExperimentConfig, out: string, model: ModelRole): Promise<string | null>;
  /** Writes the export; returns the line saying what was written. */
  run(config: ExperimentConfig, out: string, env: ExportEnv): Promise<string>;
}

type ModelWriter = (out: string, net: { modelJson: unknown; weights: ArrayBuffer }, info: ExportInfo) => Promise<string>;

async function kindOf(p: string): Promise<'file' | 'dir' | null> {
  try {
    return (await stat(p)).isDirectory() ? 'dir' : 'file';
  } catch {
    return null;
  }
}

/**
 * Calls `use` with the network `env.model` names and its full-test-set accuracy: the student
 * trained as the runner trains it, or the run's teacher as it is (nothing trained but a spec
 * teacher that is not cached yet).
 */
async function withModel(config: ExperimentConfig, env: ExportEnv, use: (net: Net, testAcc: number) => Promise<void>): Promise<void> {
  const deps = await env.deps();
  if (env.model === 'student') {
    await runWithProgress(config, deps, env.log, { onTrained: (student, result) => use(student, result.final.testAcc) });
    return;
  }
  const teacher = await deps.teacher(config);
  try {
    const testAcc = await evaluateNet(teacher, (await deps.data(config)).test);
    env.log(`teacher ${config.teacher}: test ${(100 * testAcc).toFixed(2)}% on the full test set\n`);
    await use(teacher, testAcc);
  } finally {
    teacher.dispose();
  }
}

/** A format of one network of the run (student or teacher): gets it with `withModel`, then `write`s it. */
function modelFormat(checkOut: (out: string) => Promise<string | null>, write: ModelWriter): ExportFormat {
  return {
    async check(config, out) {
      if (config.method === 'hgkd') return `method: hgkd trains a sparse encoder with a fine-tuned head, which these formats do not express yet (export a non-hgkd run)`;
      return checkOut(out);
    },
    async run(config, out, env) {
      let written = '';
      const role = env.model;
      await withModel(config, env, async (net, testAcc) => {
        const meta = role === 'student' ? { role, method: config.method, teacher: config.teacher, seed: config.seed, step: config.steps } : { role, dataset: config.dataset };
        const { modelJson, weights } = await serializeNet(net, meta);
        const base = /^https?:\/\//i.test(env.configText.trim()) ? env.configText.trim() : DEFAULT_PLAYGROUND;
        const info: ExportInfo = { data: datasetInfo(config.dataset), role, testAcc, url: runUrl(base, encodeConfig(config)) };
        const name = role === 'student' ? config.student : `teacher ${config.teacher}`;
        written = `${await write(out, { modelJson, weights }, info)} (${name}, test ${(100 * testAcc).toFixed(2)}%)`;
      });
      return written;
    },
  };
}

const onnxFormat = modelFormat(
  async (out) => {
    if (!out.endsWith('.onnx')) return `--out "${out}": an ONNX export is one file; give a path ending in .onnx`;
    return (await kindOf(out)) === 'dir' ? `--out "${out}" is a folder; give a .onnx file path` : null;
  },
  async (out, s, info) => {
    const bytes = exportOnnx(s.modelJson, s.weights, info);
    await mkdir(path.dirname(path.resolve(out)), { recursive: true });
    await writeFile(out, bytes);
    return `wrote ${out} (ONNX, ${(bytes.byteLength / 1024).toFixed(0)} KiB)`;
  },
);

const tfjsFormat = modelFormat(
  async (out) => ((await kindOf(out)) === 'file' ? `--out "${out}" is a file; a tfjs export is a folder (model.json + ${LAYERS_WEIGHTS_FILE})` : null),
  async (out, s, info) => {
    const { modelJson, weights } = exportLayersModel(s.modelJson, s.weights, info);
    await mkdir(out, { recursive: true });
    await writeFile(path.join(out, LAYERS_WEIGHTS_FILE), new Uint8Array(weights));
    await writeFile(path.join(out, 'model.json'), JSON.stringify(modelJson));
    return `wrote ${path.join(out, 'model.json')} + ${LAYERS_WEIGHTS_FILE} (tfjs Layers model)`;
  },
);

/** The run's initial state as a PyTorch project folder (src/node/export/pytorchProject.ts); nothing is trained. */
const pytorchFormat: ExportFormat = {
  async check(config, out, model) {
    if (model !== 'student') return `--model ${model}: a PyTorch project holds the whole run (teacher and student); --model applies to onnx and tfjs`;
    try {
      checkExportable(config);
    } catch (e) {
      return (e as Error).message;
    }
    return (await kindOf(out)) === 'file' ? `--out "${out}" is a file; a PyTorch project is a folder` : null;
  },
  async run(config, out) {
    const files = await writePytorchProject(config, out);
    return `wrote the PyTorch project to ${out} (${files.length} files; first lines of its README: python train.py / torchrun)`;
  },
};

/** The formats by --format name; null: not part of this build. */
const FORMATS: Record<string, ExportFormat | null> = {
  onnx: onnxFormat,
  tfjs: tfjsFormat,
  pytorch: pytorchFormat,
};

const USAGE = `usage: npm run export -- --config "<query or URL>" --format ${Object.keys(FORMATS).join('|')} --out <path> [--model ${MODELS.join('|')}] [--backend wasm|cpu] [--steps N] [--teacher-epochs E]`;

const fail: (message: string) => never = (message) => failUsage('export', USAGE, message);

async function main() {
  const args = parseCliArgs({ format: { type: 'string' }, out: { type: 'string' }, model: { type: 'string', default: 'student' } }, fail);
  const log = (text: string) => process.stderr.write(text);
  const name = args.format;
  if (!name) fail('--format is required');
  if (!(name in FORMATS)) fail(`--format "${name}": unknown format (one of ${Object.keys(FORMATS).join(', ')})`);
  const format = FORMATS[name];
  if (!format) fail(`format ${name} not available in this build`);
  if (!args.out) fail('--out is required');
  const out = args.out;
  const model = args.model as ModelRole;
  if (!MODELS.includes(model)) fail(`--model "${args.model}": one of ${MODELS.join(', ')}`);
  let common: ReturnType<typeof commonArgs>;
  try {
    common = commonArgs(args, log);
  } catch (e) {
    if (e instanceof UsageError) fail(e.message);
    throw e;
  }
  const { config, backend, epochs } = common;
  const problem = await format.check(config, out, model);
  if (problem) fail(problem);
  let deps: Promise<ExperimentDeps> | null = null;
  const env: ExportEnv = {
    configText: args.config ?? '',
    model,
    deps: () => (deps ??= nodeExperimentDeps(backend, { epochs, log: (line) => log(`${line}\n`) })),
    log,
  };
  const started = Date.now();
  const written = await format.run(config, out, env);
  log(`\ndone in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  process.stdout.write(`${written}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`export: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
