/**
 * The experiment's settings: ONE table of fields (after tensorflow/playground's `State.PROPS`)
 * that drives the URL format, the UI form, the headless runner's validation, presets and docs.
 *
 * A row says everything about a setting: its URL key (= config property), kind, default,
 * range or choices, label and tooltip, how its text form reads, and a zod schema that decides
 * validity (and normalises, e.g. spec strings). Adding a setting means adding a row here; the
 * URL codec, validation and the form pick it up without changes. A constraint that spans
 * several fields goes in CROSS_CHECKS (./schema.ts). Row kinds and builders: ./fieldKinds.ts.
 */
import { SPEC_LIMITS, formatSpec, parseSpec } from '../models/spec';
import { MIM_TEACHER_IDS, REGISTRY, STUDENT_IDS, TEACHER_IDS } from '../models/registry';
import { METHOD_IDS, methodsReading } from '../methods/registry';
import { type FieldDef, type Meta, type TextField, choice, flag, num, parsed, text } from './fieldKinds';
import { type ScheduleEntry, formatSchedule, parseSchedule } from './schedule';
import { DATASET_IDS } from '../data/datasets';
import { IMPORT_GRAMMAR, parseDatasetRef } from '../data/datasetRef';

// ---------------------------------------------------------------------------------------------
// Grammars of the text fields
// ---------------------------------------------------------------------------------------------

export interface GenShape {
  convs: number; // conv layers in the MGD generation block
  kernel: number; // their kernel size
}

/** `<convs>x<kernel>`, convs 1…3, kernel 3 or 5 (paper Table 7 ablates 1/2/3 convs and 2×5×5). */
export function parseGen(t: string): GenShape {
  const m = /^([1-3])x([35])$/.exec(t);
  if (!m) throw new Error(`"${t}" is not a generator like 2x3 (convs 1…3, kernel 3 or 5)`);
  return { convs: Number(m[1]), kernel: Number(m[2]) };
}

export function formatGen(g: GenShape): string {
  return `${g.convs}x${g.kernel}`;
}

/** `last` or 1-based stage indices `2,3` (unique; written back sorted). */
export function parseStage(t: string): 'last' | number[] {
  if (t === 'last') return 'last';
  const max = SPEC_LIMITS.maxStages;
  if (!/^\d(?:,\d)*$/.test(t)) throw new Error(`"${t}" is not "last" or stage numbers like 2,3`);
  const idx = t.split(',').map(Number);
  if (idx.some((i) => i < 1 || i > max)) throw new Error(`stage numbers must be 1…${max}`);
  if (new Set(idx).size !== idx.length) throw new Error(`stage numbers must not repeat`);
  return idx.sort((a, b) => a - b);
}

/**
 * A registry id of the role, or a spec string (normalised). A teacher spec equal to a shipped
 * teacher's is that teacher (`teacher=resnet:16-32-64x2` is ResNet-T, trained weights and all);
 * a student spec stays a spec (trained from scratch either way).
 */
function normaliseModel(role: 'teacher' | 'student', ids: readonly string[]) {
  return (t: string): string => {
    if (ids.includes(t)) return t;
    if (!t.includes(':')) throw new Error(`unknown ${role} "${t}" (one of ${ids.join(', ')}, or a spec like resnet:16-32-64x1)`);
    const spec = formatSpec(parseSpec(t));
    const shipped = role === 'teacher' ? REGISTRY.find((e) => ids.includes(e.id) && formatSpec(e.spec) === spec) : undefined;
    return shipped?.id ?? spec;
  };
}

/** A live setting's change schedule (schedule.ts), each value checked by the setting's own row. */
function schedule<const K extends string>(key: K, range: { min: number; max: number }, o: Meta & { examples: readonly string[] }): TextField<K, ScheduleEntry[]> {
  const check = (v: number) => (v < range.min ? `must be ≥ ${range.min}` : v > range.max ? `must be ≤ ${range.max}` : null);
  return parsed(key, { ...o, default: [], grammar: '<step>:<value>,… (steps 2…100000)', parse: (t) => parseSchedule(t, check), format: formatSchedule });
}

const ALPHA_RANGE = { min: 0, max: 1 };
const LAMBDA_RANGE = { min: 0, max: 0.95 };

// ---------------------------------------------------------------------------------------------
// The table. Order is the form's order and the URL's order.
// ---------------------------------------------------------------------------------------------

const PIXELS_PAPER = 25088; // 512×7×7: ResNet-18/34's last stage, where the paper tuned α = 7e-5

/** Each row with the methods that read it, from the method registry (core/methods). */
function withReaders<const R extends readonly FieldDef[]>(rows: R): R {
  return rows.map((r) => ({ ...r, methods: methodsReading(r.key) })) as unknown as R;
}

export const FIELDS = withReaders([
  text('dataset', {
    group: 'data', label: 'Dataset', default: 'mnist', grammar: `mnist | fashion | ${IMPORT_GRAMMAR}`,
    examples: [...DATASET_IDS, 'import-0123456789ab:my-photos:32x3:10:800:200'],
    tooltip: 'MNIST digits or Fashion-MNIST clothes (28×28 grey, 10 classes), or a dataset loaded into this browser, named by its content hash',
    parse: (t) => (parseDatasetRef(t), t),
  }),
  text('teacher', {
    group: 'models', label: 'Teacher', default: 'resnet-t', grammar: '<id> or <family>:<w1-w2-…>x<blocks>',
    examples: [...TEACHER_IDS, 'resnet:32-64-128x2', 'mobilenet:16-32-64x1'],
    tooltip: 'Trained network whose features and logits the student learns from (frozen): a shipped teacher, or any spec, trained first with the shipped teacher recipe and cached (the page: Train teacher; the runner: on first use)',
    parse: normaliseModel('teacher', TEACHER_IDS),
  }),
  text('student', {
    group: 'models', label: 'Student', default: 'resnet-s', grammar: '<id> or <family>:<w1-w2-…>x<blocks>',
    examples: [...STUDENT_IDS, 'resnet:16-32-64x1', 'mobilenet:8-16-32x1', 'resnet:16-32-64-128x1'],
    tooltip: 'Network trained from scratch: a registry id or a spec (stage widths × blocks per stage)',
    parse: normaliseModel('student', STUDENT_IDS),
  }),
  choice('method', METHOD_IDS, 'mgd', {
    group: 'method', label: 'Method',
    tooltip: 'none: CE only · kd: CE + Hinton KD · mimic: CE + ‖align(S) − T‖² · mgd: CE + α·MGD · mgd+kd: both · at: attention maps · rkd: distances and angles of embeddings · wsld: weighted soft labels · srrl: teacher\'s classifier on the student feature · crd: contrastive embeddings against memory banks · ofd: pre-ReLU features above a margin (partial L2) · hgkd: masked sparse-CNN student learns a MIM ViT\'s embeddings, then fine-tunes',
  }),
  num('alpha', {
    group: 'method', label: 'MGD weight α', default: 5.6e-4, ...ALPHA_RANGE, log: true, slider: { min: 1e-7, max: 1e-1 },
    tooltip: `L = CE + α·Σ_{c,h,w}(G(align(S)·M) − T)²/N; a sum, so α ∝ 1/(C·H·W): paper 7e-5 at ${PIXELS_PAPER} = 512×7×7`,
  }),
  num('lambda', {
    group: 'method', label: 'Mask ratio λ', default: 0.5, ...LAMBDA_RANGE,
    tooltip: 'Fraction of student feature positions (pixel) or channels (channel) zeroed before generation',
  }),
  schedule('alphaAt', ALPHA_RANGE, {
    group: 'method', label: 'α changes', examples: ['101:0.002', '51:0.0001,151:0.001'],
    tooltip: 'α from a step on: 101:0.002 = α becomes 0.002 at step 101 (live changes of a run are written here, so its link replays them)',
  }),
  schedule('lambdaAt', LAMBDA_RANGE, {
    group: 'method', label: 'λ changes', examples: ['101:0.75', '51:0.25,151:0.75'],
    tooltip: 'λ from a step on: 101:0.75 = λ becomes 0.75 at step 101 (live changes of a run are written here, so its link replays them)',
  }),
  choice('mask', ['pixel', 'channel'], 'pixel', {
    group: 'method', label: 'Mask', tooltip: 'pixel: one H×W mask per sample shared by channels (paper) · channel: drop whole channels (official code)',
  }),
  parsed('gen', {
    group: 'method', label: 'Generator', default: { convs: 2, kernel: 3 }, grammar: '<convs>x<kernel>',
    examples: ['1x3', '2x3', '3x3', '1x5', '2x5', '3x5'],
    tooltip: 'MGD generation block: convs (1…3) k×k convs at teacher width with ReLU between (paper: 2x3)',
    parse: parseGen, format: formatGen,
  }),
  text('stage', {
    group: 'method', label: 'Stages', default: 'last', grammar: 'last | <i>,<j>,… (1-based)',
    examples: ['last', '1', '2', '3', '2,3', '1,2,3'],
    tooltip: 'Backbone stages whose features are distilled; "last" = the last stage both networks have (paper: last)',
    parse: (t) => { const s = parseStage(t); return s === 'last' ? s : s.join(','); },
  }),
  num('kdT', {
    group: 'method', label: 'KD temperature T', default: 4, min: 1, max: 20,
    tooltip: 'KD = T²·KL(softmax(t/T) ‖ softmax(s/T)); higher T softens the teacher\'s distribution',
  }),
  num('kdW', {
    group: 'method', label: 'KD weight', default: 1, min: 0, max: 10,
    tooltip: 'Weight of the KD term: L = CE + kdW·KD (kd and mgd+kd)',
  }),
  num('atBeta', {
    group: 'method', label: 'AT weight β', default: 1000, min: 0, max: 1e6,
    tooltip: 'at: L = CE + β·Σ mean(a(S) − a(T))² over the hooked stages (authors\' code, RepDistiller and mdistiller: 1000)',
  }),
  num('rkdDist', {
    group: 'method', label: 'RKD distance weight', default: 25, min: 0, max: 1000,
    tooltip: 'rkd: weight of the smooth-L1 between the mean-normalised pairwise distances of student and teacher embeddings (paper and code: 25)',
  }),
  num('rkdAngle', {
    group: 'method', label: 'RKD angle weight', default: 50, min: 0, max: 1000,
    tooltip: 'rkd: weight of the smooth-L1 between the cosines of every triplet\'s angle (paper and code: 50)',
  }),
  num('wsldT', {
    group: 'method', label: 'WSLD temperature T', default: 2, min: 1, max: 20,
    tooltip: 'wsld: temperature of the soft labels (paper and code, ImageNet: 2)',
  }),
  num('wsldW', {
    group: 'method', label: 'WSLD weight', default: 2.25, min: 0, max: 100,
    tooltip: 'wsld: L = CE + weight·WSL; the paper\'s ImageNet setting is 2.25, the authors\' released code uses 2.5',
  }),
  num('srrlW', {
    group: 'method', label: 'SRRL logit weight', default: 1, min: 0, max: 100,
    tooltip: 'srrl: weight of mean(head_T(pool(c(S))) − z_T)², the teacher\'s classifier on the connected student feature (authors\' code --weight: 1)',
  }),
  num('crdW', {
    group: 'method', label: 'CRD weight β', default: 0.8, min: 0, max: 100,
    tooltip: 'crd: L = CE + β·(NCE student→teacher bank + NCE teacher→student bank); RepDistiller\'s CRD runs use β = 0.8',
  }),
  num('crdK', {
    group: 'method', label: 'CRD negatives K', default: 1024, min: 1, max: 16384, integer: true, log: true,
    tooltip: 'crd: memory-bank rows drawn per image as negatives (RepDistiller: 16384 for CIFAR\'s 50,000 images; here 1024 for a 2,000-image subset)',
  }),
  num('ofdW', {
    group: 'method', label: 'OFD weight', default: 1e-3, min: 0, max: 100, log: true, slider: { min: 1e-5, max: 1e-1 },
    tooltip: 'ofd: L = CE + w·Σ partial L2 / N over the hooked stages (authors\' code: 1/1000 for CIFAR, 1/10000 for ImageNet)',
  }),
  choice('mimTeacher', MIM_TEACHER_IDS, 'vit-mim', {
    group: 'method', label: 'H-GKD teacher',
    tooltip: 'hgkd: the ViT pre-trained by masked image modelling whose patch and pooled embeddings the student learns',
  }),
  num('maskRatio', {
    group: 'method', label: 'H-GKD mask ratio', default: 0.6, min: 0, max: 0.95,
    tooltip: 'hgkd: fraction of the 7×7 grid of 4×4 image patches hidden from the student (paper and SparK: 0.6)',
  }),
  num('queue', {
    group: 'method', label: 'Queue size', default: 1024, min: 1, max: 65536, integer: true, log: true,
    tooltip: 'hgkd: FIFO memory of teacher pooled embeddings the similarity distributions are taken over (paper: 50,000 on ImageNet)',
  }),
  num('tau', {
    group: 'method', label: 'Temperature τ', default: 0.05, min: 1e-4, max: 10, log: true, slider: { min: 1e-3, max: 1 },
    tooltip: 'hgkd: p = softmax(cos(e, queue)/τ); smaller τ sharpens the distributions (paper: 0.009 on ImageNet)',
  }),
  num('mseW', {
    group: 'method', label: 'MSE weight', default: 1, min: 0, max: 100,
    tooltip: 'hgkd: L = mseW·mean(student tokens − teacher patch embeddings)² + simW·(1 − Pearson r)',
  }),
  num('simW', {
    group: 'method', label: 'Similarity weight', default: 1, min: 0, max: 100,
    tooltip: 'hgkd: weight of 1 − Pearson r between student and teacher similarity distributions over the queue',
  }),
  flag('sparse', {
    group: 'method', label: 'Sparse conv', default: true,
    tooltip: 'hgkd ablation: 1 = submanifold conv and BN over visible positions only (holes stay 0); 0 = ordinary conv on the masked image',
  }),
  flag('unet', {
    group: 'method', label: 'UNet decoder', default: true,
    tooltip: 'hgkd ablation: 1 = multi-scale decoder (mask tokens, ×2 upsampling, skips); 0 = same-depth plain CNN head on the last stage',
  }),
  flag('sim', {
    group: 'method', label: 'Similarity loss', default: true,
    tooltip: 'hgkd ablation: 1 = add the similarity-distribution loss; 0 = MSE only (still measured)',
  }),
  num('ftSteps', {
    group: 'training', label: 'Fine-tune steps', default: 300, min: 1, max: 100000, integer: true, log: true,
    tooltip: 'hgkd: labelled steps after distillation (dense conv, no mask, fresh head); the scratch baseline gets as many',
  }),
  choice('ftMode', ['finetune', 'linear'], 'finetune', {
    group: 'training', label: 'Evaluation',
    tooltip: 'hgkd: finetune = train backbone and new head with labels · linear = frozen backbone, train the linear head only',
  }),
  num('lr', {
    group: 'training', label: 'Learning rate', default: 1e-3, min: 1e-5, max: 1, log: true,
    tooltip: 'Optimiser step size for the student (and MGD align/generator); the peak of the schedule',
  }),
  choice('lrSchedule', ['constant', 'cosine', 'step'], 'cosine', {
    group: 'training', label: 'LR schedule',
    tooltip: 'constant: lr throughout · cosine: ½(1 + cos πt) from lr down to the floor at the last step (the reference recipe) · step: lr·γ^⌊steps done / every⌋; after the warm-up',
  }),
  num('lrFloor', {
    group: 'training', label: 'Cosine floor', default: 0, min: 0, max: 1, readWhen: { key: 'lrSchedule', values: ['cosine'] },
    tooltip: 'cosine: the final learning rate as a fraction of lr (0 = decay to 0)',
  }),
  num('lrEvery', {
    group: 'training', label: 'Decay every', default: 100, min: 1, max: 100000, integer: true, log: true, readWhen: { key: 'lrSchedule', values: ['step'] },
    tooltip: 'step: steps between decays (counted after the warm-up)',
  }),
  num('lrGamma', {
    group: 'training', label: 'Decay factor γ', default: 0.1, min: 0, max: 1, readWhen: { key: 'lrSchedule', values: ['step'] },
    tooltip: 'step: each decay multiplies the learning rate by γ',
  }),
  num('warmup', {
    group: 'training', label: 'Warm-up steps', default: 0, min: 0, max: 100000, integer: true,
    tooltip: 'Linear warm-up: lr·s/W at step s ≤ W, then the schedule over the remaining steps (0 = none)',
  }),
  choice('optimizer', ['adam', 'sgd'], 'adam', {
    group: 'training', label: 'Optimiser',
    tooltip: 'adam: Adam (β 0.9, 0.999, ε 1e-7), AdamW with weight decay · sgd: SGD with momentum (dampening 0, not Nesterov), as the papers train',
  }),
  num('momentum', {
    group: 'training', label: 'SGD momentum', default: 0.9, min: 0, max: 0.999, readWhen: { key: 'optimizer', values: ['sgd'] },
    tooltip: 'sgd: v ← μ·v + g, w ← w − lr·v (torch.optim.SGD)',
  }),
  num('wd', {
    group: 'training', label: 'Weight decay', default: 0, min: 0, max: 1, log: true, slider: { min: 1e-6, max: 1e-1 },
    tooltip: 'On every trainable weight: adam decoupled, w ← w·(1 − lr·wd) (torch AdamW) · sgd L2, g ← g + wd·w (torch SGD)',
  }),
  num('batch', {
    group: 'training', label: 'Batch size', default: 64, min: 1, max: 512, integer: true,
    tooltip: 'Images per training step (N in the MGD loss\'s /N)',
  }),
  num('steps', {
    group: 'training', label: 'Steps', default: 300, min: 1, max: 100000, integer: true, log: true,
    tooltip: 'Training steps; epochs = steps·batch / train-set size',
  }),
  num('subset', {
    group: 'data', label: 'Train subset', default: 2000, min: 0, max: 60000, integer: true,
    refine: { check: (x) => x === 0 || x >= 10, message: 'must be 0 (full train set) or 10…60000' },
    tooltip: 'Training images used (0 = the full train set); small subsets show distillation\'s benefit most',
  }),
  num('eval', {
    group: 'training', label: 'Eval every', default: 50, min: 1, max: 100000, integer: true, log: true,
    tooltip: 'Measure test accuracy every K steps',
  }),
  num('testSize', {
    group: 'training', label: 'Test images', default: 2000, min: 100, max: 10000, integer: true,
    tooltip: 'Test images for the periodic accuracy (and the final one when the final evaluation is quick)',
  }),
  choice('finalTest', ['auto', 'quick', 'full'], 'auto', {
    group: 'training', label: 'Final evaluation',
    tooltip: 'Test images of the final accuracy: quick = "Test images", full = all 10,000; auto = full only when the run trains on ≥ 3× as many images as the test set holds (steps·batch, H-GKD: + 2·ftSteps·batch)',
  }),
  num('seed', {
    group: 'runtime', label: 'Seed', default: 1, min: 0, max: 2147483647, integer: true,
    tooltip: 'Seeds init, masks and shuffling: the same URL reproduces the same run',
  }),
  choice('backend', ['auto', 'webgpu', 'wasm', 'webgl', 'cpu'], 'auto', {
    group: 'runtime', label: 'Backend', tooltip: 'tfjs backend; auto picks webgpu when an adapter exists, else wasm, else webgl, else cpu',
  }),
] as const);

type Row = (typeof FIELDS)[number];
export type FieldKey = Row['key'];
