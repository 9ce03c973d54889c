/**
 * tf.customGrad with the inputs as an array (its own typing cannot express the trailing `save`).
 * Tensors the gradient needs must go through `save`: anything else made in the forward body is
 * disposed when it returns.
 */
import * as tf from '@tensorflow/tfjs';

export type GradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[];
export type CustomBody = (inputs: tf.Tensor[], save: tf.GradSaveFunc) => { value: tf.Tensor; gradFunc: GradFunc };

export function customOp(body: CustomBody): (...inputs: tf.Tensor[]) => tf.Tensor {
  const f = (...args: unknown[]) => body(args.slice(0, -1) as tf.Tensor[], args[args.length - 1] as tf.GradSaveFunc);
  return tf.customGrad(f as Parameters<typeof tf.customGrad>[0]);
}
