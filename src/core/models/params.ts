/**
 * Parameter bookkeeping for the functional models: every weight is a named tf.Variable created
 * in a fixed order from a seeded Rng, so the same seed gives the same initial network.
 * tfjs variable names are global, so each store prefixes its names with a unique scope.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random';

let nextScopeId = 0;

export class ParamStore {
  /** Trainable weights by local name (no scope prefix), in creation order. */
  readonly trainable = new Map<string, tf.Variable>();
  /** Non-trainable state (batch-norm running statistics). */
  readonly state = new Map<string, tf.Variable>();
  private readonly scope: string;

  constructor(scope: string) {
    this.scope = `${scope}#${nextScopeId++}`;
  }

  private add(name: string, values: tf.Tensor, trainable: boolean): tf.Variable {
    if (this.trainable.has(name) || this.state.has(name)) throw new Error(`duplicate parameter ${name}`);
    const v = tf.variable(values, trainable, `${this.scope}/${name}`);
    values.dispose();
    (trainable ? this.trainable : this.state).set(name, v);
    return v;
  }

  /** He-normal conv filter [kh, kw, cin, cout]: std = sqrt(2 / fanIn). */
  convFilter(name: string, rng: Rng, kh: number, kw: number, cin: number, cout: number, fanIn = kh * kw * cin): tf.Variable {
    const n = kh * kw * cin * cout;
    const std = Math.sqrt(2 / fanIn);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = rng.normal() * std;
    return this.add(name, tf.tensor4d(data, [kh, kw, cin, cout]), true);
  }

  /** Uniform(-1/sqrt(fanIn), 1/sqrt(fanIn)), PyTorch's default for linear layers and biases. */
  uniform(name: string, rng: Rng, shape: number[], fanIn: number): tf.Variable {
    const n = shape.reduce((a, b) => a * b, 1);
    const bound = 1 / Math.sqrt(fanIn);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = (rng.uniform() * 2 - 1) * bound;
    return this.add(name, tf.tensor(data, shape), true);
  }

  /** Non-trainable state with given values (takes ownership of `values`): running statistics, memory banks. */
  buffer(name: string, values: tf.Tensor): tf.Variable {
    return this.add(name, values, false);
  }

  constant(name: string, shape: number[], value: number, trainable: boolean): tf.Variable {
    return this.add(name, tf.fill(shape, value), trainable);
  }

  get(name: string): tf.Variable {
    const v = this.trainable.get(name) ?? this.state.get(name);
    if (!v) throw new Error(`no parameter ${name}`);
    return v;
  }

  /** All tensors by local name: trainable first, then state (the order weights are saved in). */
  named(): [string, tf.Variable][] {
    return [...this.trainable.entries(), ...this.state.entries()];
  }

  countTrainable(): number {
    let n = 0;
    for (const v of this.trainable.values()) n += v.size;
    return n;
  }

  dispose(): void {
    for (const [, v] of this.named()) v.dispose();
    this.trainable.clear();
    this.state.clear();
  }
}
