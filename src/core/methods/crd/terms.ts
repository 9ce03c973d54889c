/**
 * CRD's loss, as RepDistiller's crd/ (criterion.py, memory.py) with its defaults: embeddings
 * e = L2-normalise(Linear(pool)) of width 128 for student and teacher (the teacher's Linear is
 * trained, its backbone frozen); two memory banks with a row per training image, initialised
 * uniform in ±1/√(128/3) and updated after each step to normalise(0.5·old + 0.5·e) (momentum 0.5);
 * for each sample, its own bank row (the positive) and K rows drawn uniformly (the negatives, as
 * the code's AliasMethod over uniform weights, the positive's row not excluded);
 * scores P = exp(⟨e, row⟩/τ)/Z, τ = 0.07; NCE loss with noise m·Pn = K/n:
 *   −(Σ_i log(P_i0/(P_i0 + K/n)) + Σ_i Σ_{j≥1} log((K/n)/(P_ij + K/n))) / N,
 * once with the student embedding against the teacher bank and once the other way, summed, × β.
 * One departure, stated: Z (the code's normalising constant, fixed at the first forward pass
 * from that batch's mean score × n) is fixed from the freshly initialised banks instead — the
 * same expectation, since the banks are random then — so Z does not depend on the first batch
 * and a loss evaluation has no hidden side effect (the finite-difference check needs that).
 */
import * as tf from '@tensorflow/tfjs';
import type { ParamStore } from '../../models/params';
import type { Rng } from '../../random';
import type { MethodTerm } from '../term';

export const CRD_DIM = 128;
export const CRD_T = 0.07;
export const CRD_MOMENTUM = 0.5;
const EPS = 1e-7; // the code's eps in ContrastLoss
const Z_PAIRS = 4096;

/** L2-normalise rows (the code's Normalize(2): x / ‖x‖, no floor). */
const normalise = (x: tf.Tensor2D): tf.Tensor2D => tf.div(x, tf.norm(x, 'euclidean', 1, true)) as tf.Tensor2D;

/**
 * NCE loss of scores x [N, K+1] (column 0 the positive), noise K/n: the code's ContrastLoss.
 */
export function nceLoss(x: tf.Tensor2D, n: number): tf.Scalar {
  return tf.tidy(() => {
    const [batch, k1] = x.shape;
    const mPn = (k1 - 1) / n;
    const pos = x.slice([0, 0], [batch, 1]);
    const neg = x.slice([0, 1], [batch, k1 - 1]);
    const logD1 = tf.log(tf.div(pos, tf.add(pos, mPn + EPS)));
    const logD0 = tf.log(tf.div(mPn, tf.add(neg, mPn + EPS)));
    return tf.div(tf.neg(tf.add(tf.sum(logD1), tf.sum(logD0))), batch) as tf.Scalar;
  });
}

/** exp(⟨e_i, bank[idx_ij]⟩/τ)/Z for embeddings e [N, D] and row indices idx [N, K+1] → [N, K+1]. */
export function contrastScores(e: tf.Tensor2D, bank: tf.Tensor2D, idx: tf.Tensor2D, z: number, t = CRD_T): tf.Tensor2D {
  return tf.tidy(() => {
    const [n, k1] = idx.shape;
    const rows = tf.reshape(tf.gather(bank, tf.reshape(idx, [-1])), [n, k1, bank.shape[1]]) as tf.Tensor3D; // [N, K+1, D]
    const dots = tf.reshape(tf.matMul(rows, tf.reshape(e, [n, bank.shape[1], 1])), [n, k1]); // [N, K+1]
    return tf.div(tf.exp(tf.div(dots, t)), z) as tf.Tensor2D;
  });
}

/** A memory bank [n, D], uniform in ±1/√(D/3), and its Z: n × the mean score of random row pairs. */
function initBank(params: ParamStore, rng: Rng, name: string, n: number): { bank: tf.Variable; z: number } {
  const stdv = 1 / Math.sqrt(CRD_DIM / 3);
  const data = new Float32Array(n * CRD_DIM);
  for (let i = 0; i < data.length; i++) data[i] = (rng.uniform() * 2 - 1) * stdv;
  let sum = 0;
  for (let p = 0; p < Z_PAIRS; p++) {
    const [a, b] = [rng.int(n), rng.int(n)];
    let dot = 0;
    for (let d = 0; d < CRD_DIM; d++) dot += data[a * CRD_DIM + d] * data[b * CRD_DIM + d];
    sum += Math.exp(dot / CRD_T);
  }
  return { bank: params.buffer(name, tf.tensor2d(data, [n, CRD_DIM])), z: (sum / Z_PAIRS) * n };
}

/** The bank rows of this step's images, moved towards their new embeddings: normalise(m·old + (1 − m)·e). */
function updateBank(bank: tf.Variable, rows: tf.Tensor1D, e: tf.Tensor2D): void {
  const next = tf.tidy(() => {
    const moved = normalise(tf.add(tf.mul(tf.gather(bank, rows), CRD_MOMENTUM), tf.mul(e, 1 - CRD_MOMENTUM)) as tf.Tensor2D);
    return tf.tensorScatterUpdate(bank, tf.reshape(rows, [-1, 1]), moved);
  });
  bank.assign(next);
  next.dispose();
}

export const CRD_TERM: MethodTerm<{ crdW: number; crdK: number }> = {
  alignsStudent: false, // its own embedding heads on the penultimate features
  build: ({ params, rng, maskRng, settings, pooled: widths, trainSize }) => {
    const linear = (name: string, cin: number) => {
      const w = params.uniform(`${name}.w`, rng, [cin, CRD_DIM], cin);
      const b = params.uniform(`${name}.b`, rng, [CRD_DIM], cin);
      return (x: tf.Tensor2D) => normalise(tf.add(tf.matMul(x, w), b) as tf.Tensor2D);
    };
    const embedS = linear('crd.embedS', widths.student);
    const embedT = linear('crd.embedT', widths.teacher);
    const banks = { student: initBank(params, rng, 'crd.bankS', trainSize), teacher: initBank(params, rng, 'crd.bankT', trainSize) };
    let pending: { rows: tf.Tensor1D; s: tf.Tensor2D; t: tf.Tensor2D } | null = null;
    const drop = () => {
      if (pending) tf.dispose([pending.rows, pending.s, pending.t]);
      pending = null;
    };
    return {
      loss: (x) => {
        if (!x.rows) throw new Error('crd needs the batch images’ rows in the train set (its memory banks are per image)');
        const rows = x.rows;
        const n = rows.length;
        const k = settings.crdK;
        // Column 0: the image's own row; then K uniform draws over the train set.
        const idxData = new Int32Array(n * (k + 1));
        for (let i = 0; i < n; i++) {
          idxData[i * (k + 1)] = rows[i];
          for (let j = 1; j <= k; j++) idxData[i * (k + 1) + j] = maskRng.int(trainSize);
        }
        const idx = tf.tensor2d(idxData, [n, k + 1], 'int32');
        const eS = embedS(x.studentPooled);
        const eT = embedT(x.teacherPooled);
        const crd = tf.add(
          nceLoss(contrastScores(eS, banks.teacher.bank as tf.Tensor2D, idx, banks.teacher.z), trainSize),
          nceLoss(contrastScores(eT, banks.student.bank as tf.Tensor2D, idx, banks.student.z), trainSize),
        ) as tf.Scalar;
        idx.dispose();
        drop();
        // The banks move after the optimiser's step (afterStep), so a loss evaluation changes nothing.
        pending = { rows: tf.keep(tf.tensor1d(rows, 'int32')), s: tf.keep(eS.clone()), t: tf.keep(eT.clone()) };
        return { distill: tf.mul(crd, settings.crdW) as tf.Scalar, feature: crd };
      },
      afterStep: () => {
        if (!pending) return;
        updateBank(banks.student.bank, pending.rows, pending.s);
        updateBank(banks.teacher.bank, pending.rows, pending.t);
        drop();
      },
      dispose: drop,
    };
  },
};
