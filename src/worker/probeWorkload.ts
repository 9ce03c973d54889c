/**
 * The workload `auto` times on each backend: one Adam step of the config's student on a small
 * batch of seeded random images of the dataset's shape (cross-entropy only: no teacher or data
 * download is needed, and the student's convolutions are most of a real step's cost).
 */
import * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig } from '../core/config';
import { datasetShape } from '../core/data/datasetRef';
import { crossEntropy } from '../core/distill/losses';
import { Net, netOptionsFor } from '../core/models/net';
import { resolveArch } from '../core/models/registry';
import { Rng } from '../core/random';
import type { Workload } from './backendProbe';

/** Small enough for a fraction of a second per step on a real GPU, big enough to fill one. */
const PROBE_BATCH = 16;
const PROBE_STREAM = 0x9b0be; // Rng stream of the probe's images and labels

export type ProbeShape = Pick<ExperimentConfig, 'student' | 'dataset' | 'batch' | 'seed'>;

/** The cache key: probes of equal keys time the same work. */
export function probeKey(c: ProbeShape): string {
  return `${c.student}|${c.dataset}|${Math.min(c.batch, PROBE_BATCH)}`;
}

export function studentWorkload(c: ProbeShape): Workload {
  const info = datasetShape(c.dataset);
  const n = Math.min(c.batch, PROBE_BATCH);
  const rng = Rng.derive(c.seed, PROBE_STREAM);
  const net = new Net(resolveArch(c.student), c.seed, 'probe', netOptionsFor(info));
  const pixels = Float32Array.from({ length: n * info.imageSize * info.imageSize * info.channels }, () => rng.normal());
  const x = tf.tensor4d(pixels, [n, info.imageSize, info.imageSize, info.channels]); // [N, H, W, C]
  const y = tf.tensor1d(Int32Array.from({ length: n }, () => rng.int(info.numClasses)), 'int32'); // [N]
  const optimizer = tf.train.adam(1e-3);
  const vars = net.trainableVariables();
  return {
    async step() {
      const loss = optimizer.minimize(() => crossEntropy(net.apply(x, true).logits, y), true, vars);
      try {
        await loss!.data(); // the GPU has finished the step once its result is back
      } finally {
        loss!.dispose();
      }
    },
    dispose() {
      optimizer.dispose();
      tf.dispose([x, y]);
      net.dispose();
    },
  };
}
