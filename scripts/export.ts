/**
 * Exports a run in a format other tools read.
 *   npm run export -- --config "<query string or playground URL>" --format onnx|tfjs|pytorch --out <path>
 *                     [--backend wasm|cpu] [--steps N] [--teacher-epochs E]
 * onnx and tfjs train the configured run exactly as `npm run experiment` does (the same code,
 * progress lines on stderr, same numbers for the same config) and write the trained student:
 * onnx to a .onnx file, tfjs to a folder holding model.json + weights.bin (a tfjs Layers model).
 * A bad config or argument exits with code 2 and names the field, before any training.
 *
 * Each format is one entry of FORMATS; a format this build lacks is listed as null.
 */
import { checkExportable } from '../src/core/export/pytorch';
import { writePytorchProject } from '../src/node/export/pytorchProject';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type ExperimentConfig, encodeConfig } from '../src/core/config';
import type { ExperimentDeps } from '../src/core/train/experiment';
import type { DatasetId } from '../src/core/data/datasets';
import { serializeNet } from '../src/core/models/serialize';
import { DEFAULT_PLAYGROUND, type ExportInfo, exportLayersModel, exportOnnx, LAYERS_WEIGHTS_FILE, runUrl } from '../src/core/export';
import { nodeExperimentDeps } from '../src/node/experimentDeps';
import { configFromArgs, nodeBackend, runWithProgress, teacherEpochs, UsageError } from '../src/node/runnerCli';

interface ExportEnv {
  /** The config as given (a playground URL gives the exported metadata its origin). */
  configText: string;
  /** Experiment dependencies on the chosen Node backend (started on first use). */
  deps(): Promise<ExperimentDeps>;
  log(text: string): void;
}

interface ExportFormat {
  /** Why this format cannot export `config` to `out`, or null; checked before any work. */
  check(config: ExperimentConfig, out: string): Promise<string | null>;
  /** Writes the export; returns the line saying what was written. */
  run(config: ExperimentConfig, out: string, env: ExportEnv): Promise<string>;
}

type StudentWriter = (out: string, student: { modelJson: unknown; weights: ArrayBuffer }, info: ExportInfo) => Promise<string>;

async function kindOf(p: string): Promise<'file' | 'dir' | null> {
  try {
    return (await stat(p)).isDirectory() ? 'dir' : 'file';
  } catch {
    return null;
  }
}

/** A format of the trained student: trains the run as the runner does, then `write`s it. */
function trainedStudent(checkOut: (out: string) => Promise<string | null>, write: StudentWriter): ExportFormat {
  return {
    async check(config, out) {
      if (config.method === 'hgkd') return `method: hgkd trains a sparse encoder with a fine-tuned head, which these formats do not express yet (export a non-hgkd run)`;
      return checkOut(out);
    },
    async run(config, out, env) {
      let written = '';
      await runWithProgress(config, await env.deps(), env.log, {
        onTrained: async (student, result) => {
          const { modelJson, weights } = await serializeNet(student, { role: 'student', method: config.method, teacher: config.teacher, seed: config.seed, step: config.steps });
          const base = /^https?:\/\//i.test(env.configText.trim()) ? env.configText.trim() : DEFAULT_PLAYGROUND;
          const info: ExportInfo = { dataset: config.dataset as DatasetId, role: 'student', testAcc: result.final.testAcc, url: runUrl(base, encodeConfig(config)) };
          written = `${await write(out, { modelJson, weights }, info)} (${config.student}, test ${(100 * result.final.testAcc).toFixed(2)}%)`;
        },
      });
      return written;
    },
  };
}

const onnxFormat = trainedStudent(
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

const tfjsFormat = trainedStudent(
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
  async check(config, out) {
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

const USAGE = `usage: npm run export -- --config "<query or URL>" --format ${Object.keys(FORMATS).join('|')} --out <path> [--backend wasm|cpu] [--steps N] [--teacher-epochs E]`;

function fail(message: string): never {
  process.stderr.write(`export: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parseCli() {
  try {
    return parseArgs({
      options: {
        config: { type: 'string', default: '' },
        format: { type: 'string' },
        out: { type: 'string' },
        backend: { type: 'string' },
        steps: { type: 'string' },
        'teacher-epochs': { type: 'string' },
      },
      strict: true,
    }).values;
  } catch (e) {
    fail((e as Error).message);
  }
}

async function main() {
  const args = parseCli();
  const log = (text: string) => process.stderr.write(text);
  const name = args.format;
  if (!name) fail('--format is required');
  if (!(name in FORMATS)) fail(`--format "${name}": unknown format (one of ${Object.keys(FORMATS).join(', ')})`);
  const format = FORMATS[name];
  if (!format) fail(`format ${name} not available in this build`);
  if (!args.out) fail('--out is required');
  const out = args.out;
  let config: ExperimentConfig;
  let backend: 'wasm' | 'cpu';
  let epochs: number | undefined;
  try {
    config = configFromArgs(args.config ?? '', { steps: args.steps, backend: args.backend }, log);
    backend = nodeBackend(config);
    epochs = teacherEpochs(args['teacher-epochs']);
  } catch (e) {
    if (e instanceof UsageError) fail(e.message);
    throw e;
  }
  const problem = await format.check(config, out);
  if (problem) fail(problem);
  let deps: Promise<ExperimentDeps> | null = null;
  const env: ExportEnv = {
    configText: args.config ?? '',
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
