/**
 * H-GKD's evaluation phase: a student backbone, now dense (ordinary conv, no mask), gets a
 * fresh classifier head (global average pooling → linear) and is trained with labels, either
 * whole ('finetune') or head only on frozen features ('linear'); then test accuracy. The same
 * class trains the scratch baseline (a freshly initialised backbone, same steps).
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random';
import { ParamStore } from '../models/params';
import { accuracy, crossEntropy } from '../distill/losses';
import { evaluateClassifier } from '../loop/evaluate';
import { NonFiniteLossError } from '../loop/nonFiniteLoss';
import type { TestSource, TrainSource } from '../loop/sources';
import { type Recipe, RecipeOptimizer } from '../optim/optimizer';
import type { SparseEncoder } from './student';

export type FinetuneMode = 'finetune' | 'linear';

export interface FinetuneSettings {
  mode: FinetuneMode;
  recipe: Recipe; // over the phase's own steps (ftSteps)
  batch: number;
  seed: number;
  classes: number;
  inputSize: number;
  inChannels: number;
}

export interface FinetuneStepMetrics {
  step: number;
  loss: number; // cross-entropy
  batchAcc: number;
  stepMs: number;
  testAcc?: number;
}

export class FinetuneTrainer {
  private readonly head: ParamStore;
  private readonly w: tf.Variable; // [C_last, classes]
  private readonly b: tf.Variable; // [classes]
  private readonly optimizer: RecipeOptimizer;
  private steps = 0;

  constructor(
    readonly encoder: SparseEncoder,
    readonly settings: FinetuneSettings,
    private readonly train: TrainSource,
    private readonly test: TestSource,
    scope: string,
  ) {
    const c = encoder.spec.widths[encoder.scales - 1];
    const rng = Rng.derive(settings.seed, 13); // same head init for the distilled and scratch backbones
    this.head = new ParamStore(`${scope}-head`);
    this.w = this.head.uniform('w', rng, [c, settings.classes], c);
    this.b = this.head.uniform('b', rng, [settings.classes], c);
    this.optimizer = new RecipeOptimizer(settings.recipe, settings.mode === 'finetune' ? [...encoder.trainableVariables(), this.w, this.b] : [this.w, this.b]);
  }

  get stepCount(): number {
    return this.steps;
  }

  /** x [N, H, W, C] → logits [N, classes]; the backbone trains (BN batch statistics) only when fine-tuning. */
  logits(x: tf.Tensor4D, training: boolean): tf.Tensor2D {
    const features = this.encoder.apply(x, null, training && this.settings.mode === 'finetune');
    const pooled = tf.mean(features[features.length - 1], [1, 2]) as tf.Tensor2D; // [N, C_last]
    return tf.add(tf.matMul(pooled, this.w as tf.Tensor2D), this.b) as tf.Tensor2D;
  }

  async step(): Promise<FinetuneStepMetrics> {
    const t0 = performance.now();
    const { inputSize: s, inChannels: c } = this.settings;
    const batch = this.train.nextBatch(this.settings.batch);
    const x = tf.tensor4d(batch.x, [batch.y.length, s, s, c]);
    const y = tf.tensor1d(batch.y, 'int32');
    let aux: tf.Tensor | null = null;
    this.optimizer.minimize(
      this.steps + 1,
      () => {
        const logits = this.logits(x, true);
        const loss = crossEntropy(logits, y);
        aux = tf.keep(tf.stack([loss, accuracy(logits, y)]));
        return loss;
      },
      false,
    );
    tf.dispose([x, y]);
    const [loss, batchAcc] = Array.from(await aux!.data());
    (aux as tf.Tensor | null)?.dispose();
    this.steps++;
    if (!Number.isFinite(loss)) throw new NonFiniteLossError(this.steps, loss);
    return { step: this.steps, loss, batchAcc, stepMs: performance.now() - t0 };
  }

  evaluate(limit = this.test.count): Promise<number> {
    const { inputSize: s, inChannels: c } = this.settings;
    return evaluateClassifier((x) => this.logits(x, false), [s, s, c], this.test, limit);
  }

  dispose(): void {
    this.head.dispose();
    this.optimizer.dispose();
  }
}
