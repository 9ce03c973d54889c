/**
 * The "Open in PyTorch" project of a run, as a list of files (pure: no tfjs, no fs, no DOM):
 * the Python sources, config.json (the full config, the playground URL and what the Python side
 * needs resolved), a README whose first lines are the two commands, and the engine's initial
 * state for the run's seed in safetensors (teacher, student, align/generator heads, and the
 * train subset whose seeded epochs replay.py re-shuffles exactly as the engine does).
 *
 *   const files = buildPytorchProject({ config, url, state, sources });   // [{ path, bytes }]
 */
import { type DistillMethodId, isDistillMethod } from '../../methods/registry';
import type { ExperimentConfig } from '../../config';
import { resolveStages } from '../../config';
import { datasetInfo, isDatasetId } from '../../data/datasets';
import { describeDataset } from '../../data/datasetRef';
import { formatSpec, stageShapes } from '../../models/spec';
import { resolveArch } from '../../models/registry';
import { encodeSafetensors, type NamedArray } from './safetensors';
import { toTorch } from './torchLayout';
import { mmrazorConfig, mmrazorMapping } from './mmrazor';
import { PY_SOURCES, type PySources } from './sources';

/** One engine tensor as the engine holds it (local name, tfjs layout). */
export interface EngineTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** The run's state before step 1, read off the engine. */
export interface InitialState {
  teacher: EngineTensor[];
  student: EngineTensor[];
  heads: EngineTensor[]; // align convs, generators, and the difference probes of none / kd
  subset: Int32Array; // train indices the sampler draws from, ascending
}

export interface ProjectFile {
  path: string;
  bytes: Uint8Array;
}

/** A config the PyTorch project cannot express; `missing` says what. */
export class PytorchExportError extends Error {
  override readonly name = 'PytorchExportError';
  constructor(readonly missing: string) {
    super(`cannot export to PyTorch: ${missing}`);
  }
}

/** The Distiller methods python/losses.py implements (its METHODS), each with a parity test. */
export const PYTORCH_METHODS: readonly DistillMethodId[] = ['none', 'kd', 'mimic', 'mgd', 'mgd+kd', 'at', 'rkd', 'wsld', 'srrl', 'ofd'];

/** Throws PytorchExportError for configs the project cannot express (before anything is built or written). */
export function checkExportable(config: ExperimentConfig): void {
  if (!isDatasetId(config.dataset)) {
    throw new PytorchExportError(
      `a run on a loaded dataset (${describeDataset(config.dataset)}) has no PyTorch project yet: the project's data.py reads the built-in datasets' files (MNIST, Fashion-MNIST); its ONNX and tfjs exports work`,
    );
  }
  if (!isDistillMethod(config.method)) {
    throw new PytorchExportError(
      `method=hgkd has no PyTorch twin here (its ViT teacher, sparse-conv student, UNet decoder and similarity queue are not in models.py / losses.py); export ${PYTORCH_METHODS.join(', ')}`,
    );
  }
  if (!(PYTORCH_METHODS as readonly string[]).includes(config.method)) {
    throw new PytorchExportError(`method=${config.method} has no PyTorch twin yet (python/losses.py implements ${PYTORCH_METHODS.join(', ')}); its ONNX and tfjs exports work`);
  }
}

/** What config.json holds beyond the config: everything train.py would otherwise re-derive. */
export function resolvedSettings(config: ExperimentConfig) {
  const info = datasetInfo(config.dataset);
  const teacher = resolveArch(config.teacher);
  const stages = resolveStages(config);
  const shapes = stageShapes(teacher, info.imageSize);
  return {
    teacher: formatSpec(teacher),
    student: formatSpec(resolveArch(config.student)),
    stages, // 0-based hooked stages
    teacherFeatureSize: stages.reduce((s, i) => s + shapes[i][0] * shapes[i][1] * shapes[i][2], 0),
    inputSize: info.imageSize,
    inChannels: info.channels,
    classes: info.numClasses,
    classNames: info.classNames,
    mean: info.mean,
    std: info.std,
    adam: { beta1: 0.9, beta2: 0.999, eps: 1e-7 },
  };
}

const text = (s: string) => new TextEncoder().encode(s);

function weights(tensors: EngineTensor[], what: string, config: ExperimentConfig): Uint8Array {
  return encodeSafetensors(
    tensors.map((t) => toTorch(t.name, t.shape, t.data)),
    { what, seed: String(config.seed), format: 'pytorch state dict of models.py / losses.py' },
  );
}

/** The recipe in words, e.g. `sgd (momentum 0.9), weight decay 0.0005, step decay ×0.1 every 100 steps, 50 warm-up steps`. */
function recipeLine(c: ExperimentConfig): string {
  const optimizer = c.optimizer === 'sgd' ? `SGD (momentum ${c.momentum})` : 'Adam';
  const schedule = c.lrSchedule === 'cosine' ? `cosine lr ${c.lr} → ${Number((c.lrFloor * c.lr).toPrecision(3))}` : c.lrSchedule === 'step' ? `lr ${c.lr}, ×${c.lrGamma} every ${c.lrEvery} steps` : `constant lr ${c.lr}`;
  return [optimizer, schedule, c.warmup > 0 ? `${c.warmup} warm-up steps` : null, c.wd > 0 ? `weight decay ${c.wd}` : null].filter((x) => x !== null).join(', ');
}

export function projectReadme(config: ExperimentConfig, url: string, r: ReturnType<typeof resolvedSettings>): string {
  return `python train.py
torchrun --nproc_per_node=<GPUs> train.py

# ${config.method} · ${r.teacher} → ${r.student} on ${config.dataset} (seed ${config.seed})

The playground run ${url}
as a PyTorch project, at its initial state: the teacher and the student / align / generator
weights the engine starts from for this seed (weights/*.safetensors), and its train subset.

    python train.py --replay --metrics metrics.jsonl        # the engine's own batches and MGD masks, step for step
    python train.py --device cuda --amp                      # a real run: its own shuffling and masks
    torchrun --nproc_per_node=2 train.py --device cpu        # DDP on CPU (gloo); nccl with --device cuda

Flags: \`--replay\`, \`--steps N\` (default ${config.steps}), \`--device cpu|cuda\`, \`--data-dir DIR\`
(a folder in the playground's public/data format: manifest.json + ${config.dataset}-train.bin.gz +
${config.dataset}-test.bin.gz; default ./data), \`--metrics FILE\` (JSONL, one object per step:
step, loss, taskLoss, distillLoss, difference, trainAcc, plus testAcc where evaluated), \`--amp\`,
\`--out DIR\` (rank 0 saves student.safetensors there), \`--threads N\`, \`--test-limit N\` (final
evaluation on the first N test images), \`--all-data\` (the whole train split instead of the run's subset).
Under torchrun every process takes its share of the playground's batch (${config.batch} in all),
batch-norm statistics are synchronised over the global batch, and rank 0 logs, evaluates and saves.
Debian's torchrun (torch 1.13 on Python 3.11) fails parsing its own default \`--redirects 0\`
("'NoneType' object has no attribute 'get'"): add \`--redirects 2 --tee 2\` there.

Files: models.py (the architectures of the spec strings), losses.py (none / kd / mimic / mgd /
mgd+kd with the engine's normalisation: feature terms are sums over C·H·W divided by N),
train.py, recipe.py (the run's recipe: ${recipeLine(config)}), replay.py (the engine's seeded RNG:
data order and masks), data.py, tensors.py
(safetensors without the package), config.json (the full config, the URL, resolved settings),
mmrazor_config.py.

## MMRazor
mmrazor_config.py maps this run onto MMRazor 1.x's ConfigurableDistiller for ResNet-34 → ResNet-18
on ImageNet. Carried over: the method, λ and the mask kind, the KD temperature and weight, and α
rescaled by the feature-size rule (α · ${r.teacherFeatureSize} / 25088). Not carried over: the
models, the data, the schedule and length of training (MMRazor's ImageNet recipe), the teacher
checkpoint. It needs MMRazor installed and is not run here.
`;
}

export function buildPytorchProject(o: { config: ExperimentConfig; url: string; state: InitialState; sources: PySources }): ProjectFile[] {
  const { config, url, state, sources } = o;
  checkExportable(config);
  for (const f of PY_SOURCES) if (typeof sources[f] !== 'string') throw new Error(`PyTorch project: source ${f} missing`);
  const r = resolvedSettings(config);
  const files: ProjectFile[] = [{ path: 'README.md', bytes: text(projectReadme(config, url, r)) }];
  for (const f of PY_SOURCES) {
    const body = f === 'mmrazor_config.py' ? mmrazorConfig(sources[f], mmrazorMapping(config, r.teacherFeatureSize), url) : sources[f];
    files.push({ path: f, bytes: text(body) });
  }
  files.push({ path: 'config.json', bytes: text(JSON.stringify({ config, url, resolved: r }, null, 2) + '\n') });
  files.push({ path: 'weights/teacher.safetensors', bytes: weights(state.teacher, `teacher ${r.teacher}`, config) });
  files.push({ path: 'weights/student_init.safetensors', bytes: weights(state.student, `student ${r.student} at init`, config) });
  files.push({ path: 'weights/heads_init.safetensors', bytes: weights(state.heads, 'align / generator heads at init', config) });
  const subset: NamedArray = { name: 'subset', shape: [state.subset.length], data: state.subset };
  files.push({ path: 'weights/replay.safetensors', bytes: encodeSafetensors([subset], { what: 'train indices the engine samples from' }) });
  return files;
}
