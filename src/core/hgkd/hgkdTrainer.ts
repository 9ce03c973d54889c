/**
 * H-GKD's distillation phase as a plain class, driven like the MGD Trainer (one `step()` = one
 * batch, one GPU→CPU read, NonFiniteLossError on NaN/Inf): the image is masked patch-wise, the
 * (sparse) student encoder and its light decoder predict the frozen MIM teacher's patch
 * embeddings (MSE), and the pooled embeddings' similarity distributions over the memory queue
 * are matched (1 − Pearson r). The teacher's embeddings are enqueued before similarities.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random';
import type { ArchSpec } from '../models/spec';
import { NonFiniteLossError } from '../loop/nonFiniteLoss';
import type { TrainSource } from '../loop/sources';
import { type Recipe, RecipeOptimizer } from '../optim/optimizer';
import { Decoder } from './decoder';
import { pearsonLoss, similarityDistribution, tokenMse } from './losses';
import { drawVisible, patchImageMask, scaleMasks } from './patchMask';
import { EmbeddingQueue } from './queue';
import { SparseEncoder } from './student';
import type { Vit } from './vit';

export interface HgkdSettings {
  student: ArchSpec;
  recipe: Recipe; // optimiser, weight decay and the lr of each step (over the distillation steps)
  batch: number;
  seed: number;
  maskRatio: number; // fraction of the teacher-grid patches hidden from the student
  queueSize: number;
  tau: number; // similarity temperature
  mseW: number;
  simW: number;
  sparse: boolean; // ablation: sparse conv (true) or dense conv on the masked image
  unet: boolean; // ablation: UNet decoder (true) or plain same-depth head
  sim: boolean; // ablation: similarity-distribution loss on/off
}

/** Decoder width: light, as SparK's; fixed so that URLs stay short. */
export const DECODER_WIDTH = 32;

export interface HgkdStepMetrics {
  step: number; // 1-based
  loss: number; // mseW·mse (+ simW·simLoss when sim is on)
  mse: number;
  simLoss: number; // 1 − mean Pearson r (measured even when not trained on)
  pearson: number;
  queueFill: number;
  stepMs: number;
}

/** One masked batch: images, the image mask and its per-scale versions. */
export interface MaskedBatch {
  x: tf.Tensor4D; // [N, H, W, C] full images (teacher input)
  masks: tf.Tensor4D[]; // per scale [N, H_s, W_s, 1]; masks[0] is the image mask
}

/** Student seeds: the encoder's init depends on the seed only, shared with the scratch baseline. */
export const studentSeed = (seed: number) => Rng.derive(seed, 1).nextUint32();

export class HgkdTrainer {
  readonly encoder: SparseEncoder;
  readonly decoder: Decoder;
  readonly queue: EmbeddingQueue;
  private readonly optimizer: RecipeOptimizer;
  private readonly maskRng: Rng;
  private steps = 0;
  /** The first sample's similarity distributions at the last step (queue inspector). */
  lastSimilarity: { teacher: Float32Array; student: Float32Array } | null = null;

  constructor(
    readonly settings: HgkdSettings,
    readonly teacher: Vit,
    private readonly train: TrainSource,
  ) {
    const { student, seed } = settings;
    const { inputSize, inChannels, dim } = teacher.options;
    this.encoder = new SparseEncoder(student, studentSeed(seed), 'hgkd-student', inChannels);
    this.decoder = new Decoder(
      { widths: student.widths, inputSize, width: DECODER_WIDTH, tokenGrid: teacher.grid, teacherDim: dim, unet: settings.unet },
      Rng.derive(seed, 11).nextUint32(),
      'hgkd-decoder',
    );
    this.queue = new EmbeddingQueue(settings.queueSize);
    this.optimizer = new RecipeOptimizer(settings.recipe, [...this.encoder.trainableVariables(), ...this.decoder.trainableVariables()]);
    this.maskRng = Rng.derive(seed, 12);
  }

  get stepCount(): number {
    return this.steps;
  }

  /** Draws a patch mask (teacher-grid patches, seeded) for `pixels` [N, H, W, C]. */
  maskBatch(pixels: Float32Array, n: number): MaskedBatch {
    const { inputSize: s, inChannels: c, patch } = this.teacher.options;
    const g = this.teacher.grid;
    const visible = drawVisible(n, g * g, this.settings.maskRatio, this.maskRng);
    return tf.tidy(() => {
      const imageMask = patchImageMask(visible, n, g, patch);
      return { x: tf.tensor4d(pixels, [n, s, s, c]), masks: scaleMasks(imageMask, this.encoder.scales) };
    });
  }

  /** The student encoder's features of a masked batch: sparse, or dense on the masked image (ablation). */
  studentFeatures(b: MaskedBatch, training: boolean): tf.Tensor4D[] {
    const input = tf.mul(b.x, b.masks[0]) as tf.Tensor4D;
    return this.encoder.apply(input, this.settings.sparse ? b.masks : null, training);
  }

  async step(): Promise<HgkdStepMetrics> {
    const t0 = performance.now();
    const { tau, mseW, simW, sim } = this.settings;
    const raw = this.train.nextBatch(this.settings.batch);
    const b = this.maskBatch(raw.x, raw.y.length);
    const target = this.teacher.encode(b.x); // frozen: not among the optimised variables
    this.queue.enqueue(target.pooled); // before any similarity is computed
    const queue = this.queue.view();
    const teacherDist = similarityDistribution(target.pooled, queue, tau); // [N, K]
    let aux: tf.Tensor | null = null;
    this.optimizer.minimize(
      this.steps + 1,
      () => {
        const out = this.decoder.apply(this.studentFeatures(b, true), b.masks, true);
        const mse = tokenMse(out.tokens, target.tokens);
        const studentDist = similarityDistribution(out.pooled, queue, tau);
        const simLoss = pearsonLoss(studentDist, teacherDist);
        const total = sim ? tf.add(tf.mul(mse, mseW), tf.mul(simLoss, simW)) : tf.mul(mse, mseW);
        aux = tf.keep(tf.concat([tf.stack([total, mse, simLoss]), studentDist.slice([0, 0], [1, -1]).reshape([-1]), teacherDist.slice([0, 0], [1, -1]).reshape([-1])]));
        return total as tf.Scalar;
      },
      false,
    );
    tf.dispose([b.x, ...b.masks, target.tokens, target.pooled, teacherDist]);
    const values = (await aux!.data()) as Float32Array;
    (aux as tf.Tensor | null)?.dispose();
    this.steps++;
    const [loss, mse, simLoss] = values;
    if (!Number.isFinite(loss)) throw new NonFiniteLossError(this.steps, loss);
    const k = this.queue.fill;
    this.lastSimilarity = { student: values.slice(3, 3 + k), teacher: values.slice(3 + k, 3 + 2 * k) };
    return { step: this.steps, loss, mse, simLoss, pearson: 1 - simLoss, queueFill: k, stepMs: performance.now() - t0 };
  }

  dispose(): void {
    this.encoder.dispose();
    this.decoder.dispose();
    this.queue.dispose();
    this.optimizer.dispose();
  }
}
