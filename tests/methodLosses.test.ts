/**
 * The losses of the methods from MGD's Table 1 against examples worked out by hand (tiny
 * tensors; the arithmetic is in the comments). Gradients: tests/gradcheck.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { atLoss, attentionMap } from '../src/core/methods/at/terms';
import { srrlTerms } from '../src/core/methods/srrl/terms';
import { OFD_TERM, ofdMargin, partialL2 } from '../src/core/methods/ofd/terms';
import { CRD_DIM, CRD_TERM, contrastScores, nceLoss } from '../src/core/methods/crd/terms';
import { ParamStore } from '../src/core/models/params';
import { Rng } from '../src/core/random';
import { weightedSoftLoss, wsldLoss, wsldWeights } from '../src/core/methods/wsld/terms';
import { RKD_TERM, normalisedDistances, rkdAngleLoss, rkdDistanceLoss, smoothL1, tripletCosines } from '../src/core/methods/rkd/terms';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const scalar = async (t: tf.Tensor) => (await t.data())[0];

describe('AT', () => {
  // One sample, H = 1, W = 2. Student (C = 2): pixel 0 = (1, 1), pixel 1 = (2, 0); teacher
  // (C = 3, widths may differ): pixel 0 = (0, 0, 0), pixel 1 = (3, 3, 3).
  const s = () => tf.tensor4d([1, 1, 2, 0], [1, 1, 2, 2]);
  const t = () => tf.tensor4d([0, 0, 0, 3, 3, 3], [1, 1, 2, 3]);

  it('a(F) = mean_c F², L2-normalised per sample', async () => {
    // Student: mean_c F² = (1, 2) → /√5. Teacher: (0, 9) → (0, 1).
    expect(Array.from(await attentionMap(s()).data())).toEqual([1 / Math.sqrt(5), 2 / Math.sqrt(5)].map(Math.fround));
    expect(Array.from(await attentionMap(t()).data())).toEqual([0, 1]);
  });

  it('loss = mean over N·H·W of (a(S) − a(T))²', async () => {
    // ((1/√5)² + (2/√5 − 1)²) / 2 = (1/5 + 4/5 − 4/√5 + 1) / 2 = 1 − 2/√5 ≈ 0.105573
    expect(await scalar(atLoss(s(), t()))).toBeCloseTo(1 - 2 / Math.sqrt(5), 6);
  });

  it('an all-zero map stays zero (the norm is floored, not NaN)', async () => {
    expect(Array.from(await attentionMap(tf.zeros([1, 1, 2, 2]) as tf.Tensor4D).data())).toEqual([0, 0]);
  });
});

describe('RKD', () => {
  // Student embeddings: the corners (0,0), (1,0), (0,1); teacher: three points on a line, (0,0), (1,0), (2,0).
  const s = () => tf.tensor2d([[0, 0], [1, 0], [0, 1]]);
  const t = () => tf.tensor2d([[0, 0], [1, 0], [2, 0]]);

  it('smooth-L1 (β = 1): 0.5·d² below 1, |d| − 0.5 from 1 on, averaged', async () => {
    // gaps 0.5, 2, −3 → 0.125, 1.5, 2.5 → mean 4.125 / 3
    expect(await scalar(smoothL1(tf.tensor1d([0.5, 2, -3]), tf.zeros([3])))).toBeCloseTo(4.125 / 3, 6);
  });

  it('distances are divided by the mean of the off-diagonal ones', async () => {
    // Teacher: d01 = 1, d02 = 2, d12 = 1; mean over the 6 off-diagonal entries 8/6 = 4/3.
    const want = [0, 0.75, 1.5, 0.75, 0, 0.75, 1.5, 0.75, 0];
    Array.from(await normalisedDistances(t()).data()).forEach((v, i) => expect(v).toBeCloseTo(want[i], 6));
  });

  it('distance loss = smooth-L1 over all N² normalised distances', async () => {
    // Student: d01 = d02 = 1, d12 = √2, mean (2 + √2)/3 → 0.878680, 0.878680, 1.242641.
    // Gaps to the teacher's 0.75, 1.5, 0.75: 0.128680, −0.621320, 0.492641 (all < 1: 0.5·gap²),
    // each pair twice, the diagonal 0: (0.128680² + 0.621320² + 0.492641²) / 9 = 0.0716991.
    expect(await scalar(rkdDistanceLoss(s(), t()))).toBeCloseTo(0.0716991, 6);
  });

  it('triplet cosines: cos∠(e_j − e_i, e_k − e_i), 0 where j or k is the anchor', async () => {
    // Student, anchor 1 = (1,0): to 0 is (−1,0), to 2 is (−1,1)/√2 → cos 1/√2.
    const c = await tripletCosines(s()).array();
    expect(c[1][0][2]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(c[1][0][0]).toBeCloseTo(1, 6);
    expect(c[1][1][2]).toBe(0);
  });

  it('refuses a batch of one (no pairs), by name', () => {
    const one = tf.zeros([1, 2]) as tf.Tensor2D;
    const term = RKD_TERM.build({ settings: { rkdDist: 25, rkdAngle: 50 } } as never);
    expect(() => term.loss({ studentPooled: one, teacherPooled: one } as never)).toThrow(/rkd .* needs batch ≥ 2/);
  });

  it('angle loss = smooth-L1 over all N³ triplet cosines', async () => {
    // Non-zero gaps (student − teacher), each for (j,k) and (k,j):
    //   anchor 0: cos 0 vs 1 → −1 → 0.5; anchor 1: 1/√2 vs −1 → 1.707107 → 1.207107;
    //   anchor 2: 1/√2 vs 1 → −0.292893 → 0.042893. Sum 2·(0.5 + 1.207107 + 0.042893) = 3.5, over 27.
    expect(await scalar(rkdAngleLoss(s(), t()))).toBeCloseTo(3.5 / 27, 6);
  });
});

describe('WSLD', () => {
  // Two samples, K = 2, label 1 for both, T = 2.
  //   sample 0: student [0, 0], teacher [0, 2 ln 3]: p_t^T = [1/4, 3/4], p_s^T = [1/2, 1/2] → H = ln 2;
  //     CE_S = ln 2, CE_T = ln(10/9) (p_t = [1/10, 9/10]) → ratio 6.578807 → w = 1 − e^−6.578807 = 0.998610.
  //   sample 1: student [0, 2], teacher [0, 0]: p_t^T = [1/2, 1/2], log p_s^T = [−ln(1+e), 1 − ln(1+e)]
  //     → H = 0.813262; CE_S = ln(1 + e^−2) = 0.126928, CE_T = ln 2 → ratio 0.183118 → w = 0.167330.
  //   loss = T² · (0.998610 · 0.693147 + 0.167330 · 0.813262) / 2 = 1.656535
  const s = () => tf.tensor2d([[0, 0], [0, 2]]);
  const t = () => tf.tensor2d([[0, 2 * Math.log(3)], [0, 0]]);
  const y = () => tf.tensor1d([1, 1], 'int32');

  it('weights each sample\'s soft-label cross-entropy by 1 − exp(−CE_S / CE_T)', async () => {
    expect(await scalar(wsldLoss(s(), t(), y(), 2))).toBeCloseTo(1.656535, 5);
  });

  it('its gradient is central differences of the soft loss with the weights held at their value', async () => {
    const rng = [0.3, -1.2, 0.8, 2.1, -0.4, 0.5, 1.7, -0.9, 0.1, -2.2, 1.1, 0.6]; // [4, 3]
    const z0 = tf.tensor2d(rng, [4, 3]);
    const zt = tf.tensor2d([1, 0, -1, 0.5, 2, 0, -1, 1, 0.3, 0, 0, 3], [4, 3]);
    const labels = tf.tensor1d([0, 1, 2, 2], 'int32');
    const w0 = wsldWeights(z0, zt, labels);
    const g = await tf.grad((z: tf.Tensor) => wsldLoss(z as tf.Tensor2D, zt, labels, 2))(z0).data();
    const eps = 1e-2;
    for (let i = 0; i < rng.length; i++) {
      const at = async (d: number) => {
        const z = Float32Array.from(rng);
        z[i] += d;
        return scalar(weightedSoftLoss(tf.tensor2d(z, [4, 3]), zt, w0, 2));
      };
      const fd = ((await at(eps)) - (await at(-eps))) / (2 * eps);
      expect(Math.abs(fd - g[i]), `logit ${i}`).toBeLessThan(1e-3 + 1e-2 * Math.abs(fd));
    }
  });

  it('the weight carries no gradient: d/dz_s is T² · w_i · (p_s^T − p_t^T) / T / N', async () => {
    // sample 0: w = 0.998610, p_s^T − p_t^T = [1/4, −1/4] → 4 · 0.998610 · 0.25 / 2 / 2 = 0.249653
    const g = await tf.grad((z: tf.Tensor) => wsldLoss(z as tf.Tensor2D, t(), y(), 2))(s()).array();
    expect((g as number[][])[0][0]).toBeCloseTo(0.249653, 5);
  });
});

describe('SRRL', () => {
  it('feature term = mean over N·C of the pooled gap; logit term = mean over N·K of the teacher head\'s gap', async () => {
    // Connected student map, one sample, 1×2 pixels, Ct = 2: (1, 2) and (3, 0) → pooled (2, 1).
    // Teacher pooled (1, 1) → feature ((2 − 1)² + (1 − 1)²) / 2 = 0.5.
    // Teacher head p ↦ (p0 + p1, p0 − p1): (3, 1) against the teacher's logits (3, 3) → (0² + 2²) / 2 = 2.
    const connected = tf.tensor4d([1, 2, 3, 0], [1, 1, 2, 2]);
    const head = (p: tf.Tensor2D) => tf.matMul(p, tf.tensor2d([[1, 1], [1, -1]])) as tf.Tensor2D;
    const { feature, logits } = srrlTerms(connected, tf.tensor2d([[1, 1]]), tf.tensor2d([[3, 3]]), head);
    expect(await scalar(feature)).toBeCloseTo(0.5, 6);
    expect(await scalar(logits)).toBeCloseTo(2, 6);
  });
});

describe('CRD', () => {
  it('scores = exp(⟨e, bank row⟩/τ)/Z for the rows of each sample', async () => {
    // e = (1, 0); rows (1, 0), (0, 1), (−1, 0): dots 1, 0, −1; τ = 0.5, Z = 2 → e², e⁰, e⁻² over 2.
    const bank = tf.tensor2d([[1, 0], [0, 1], [-1, 0]]);
    const x = contrastScores(tf.tensor2d([[1, 0]]), bank, tf.tensor2d([[0, 1, 2]], [1, 3], 'int32'), 2, 0.5);
    expect(Array.from(await x.data()).map((v) => Number(v.toFixed(5)))).toEqual([Math.exp(2) / 2, 0.5, Math.exp(-2) / 2].map((v) => Number(v.toFixed(5))));
  });

  it('NCE loss = −(log P₀/(P₀ + K/n) + Σ_j log (K/n)/(P_j + K/n)) / N', async () => {
    // K = 2 negatives, n = 4 images: K/n = 0.5. P = (0.5 | 0.25, 1):
    // log(0.5/1) + log(0.5/0.75) + log(0.5/1.5) = log(1/2 · 2/3 · 1/3) = −log 9.
    expect(await scalar(nceLoss(tf.tensor2d([[0.5, 0.25, 1]]), 4))).toBeCloseTo(Math.log(9), 5);
  });

  it('the banks move after the step only, and only at the batch’s rows: normalise(½·old + ½·e)', async () => {
    const params = new ParamStore('crd-test');
    const term = CRD_TERM.build({ params, rng: new Rng(1), maskRng: new Rng(2), settings: { crdW: 0.8, crdK: 3 }, stages: [], pooled: { student: 2, teacher: 3 }, trainSize: 4 });
    const bank = () => params.get('crd.bankS').array() as Promise<number[][]>;
    const before = await bank();
    const inputs = { studentPooled: tf.tensor2d([[1, 2], [3, -1]]), teacherPooled: tf.tensor2d([[1, 0, 1], [0, 1, 0]]), rows: Int32Array.from([1, 3]) };
    const { distill, feature } = term.loss(inputs as never);
    expect(await scalar(distill)).toBeCloseTo(0.8 * (await scalar(feature)), 5);
    expect(await bank()).toEqual(before); // a loss evaluation changes nothing
    // The student embeddings e = normalise(W·p + b), from the term's own head.
    const [w, b] = [params.get('crd.embedS.w'), params.get('crd.embedS.b')];
    const e = (await tf.add(tf.matMul(inputs.studentPooled, w), b).array()) as number[][];
    const unit = (v: number[]) => v.map((x) => x / Math.hypot(...v));
    term.afterStep!();
    const after = await bank();
    expect(after[0]).toEqual(before[0]);
    expect(after[2]).toEqual(before[2]);
    for (const [k, row] of [[0, 1], [1, 3]]) {
      const want = unit(before[row].map((old, d) => 0.5 * old + 0.5 * unit(e[k])[d]));
      after[row].forEach((v, d) => expect(v).toBeCloseTo(want[d], 5));
    }
    expect(after[1]).toHaveLength(CRD_DIM);
    expect(() => term.loss({ ...inputs, rows: null } as never)).toThrow(/crd needs the batch images’ rows/);
    term.dispose!();
    params.dispose();
  });
});

describe('OFD', () => {
  it('margin = E[x | x < 0] of N(β, γ²) where Φ(−β/|γ|) > 0.001, else −3|γ| (values from Python\'s math.erfc in float64)', async () => {
    // (γ, β): the symmetric case −√(2/π); a negative γ (|γ| is used); a tail of 1e-9 (−3|γ|); just above
    // the threshold (Φ(−3) = 0.00135); just below it (Φ(−3.2) = 0.00069); a mostly negative channel.
    const gamma = tf.tensor1d([1, -2, 0.5, 1, 1, 0.7]);
    const beta = tf.tensor1d([0, 1, 3, 3, 3.2, -1.5]);
    const want = [-0.7978845608028654, -1.2821555407361296, -1.5, -0.2830986549304342, -3, -1.5285716828385671];
    const got = await ofdMargin({ gamma, beta }).data();
    want.forEach((v, c) => expect(got[c], `channel ${c}`).toBeCloseTo(v, 5));
  });

  it('a zero γ gives the limit margin (β below 0, else 0), not NaN', async () => {
    const got = Array.from(await ofdMargin({ gamma: tf.tensor1d([0, 0]), beta: tf.tensor1d([-1, 2]) }).data());
    expect(got[0]).toBeCloseTo(-1, 6);
    expect(got[1]).toBeCloseTo(0, 6);
  });

  it('partial L2 = Σ (s − t)² where s > t or t > 0, t = max(teacher, margin)', async () => {
    // Two pixels × two channels, margins (−1, −0.5). Targets: (2, −1) and (−0.2, −0.5).
    // Counted: (1 − 2)² (t > 0), (0.3 + 0.2)² (s > t); not: −2 below −1 and −0.7 below −0.5.
    const teacher = tf.tensor4d([2, -3, -0.2, -1], [1, 1, 2, 2]);
    const student = tf.tensor4d([1, -2, 0.3, -0.7], [1, 1, 2, 2]);
    expect(await scalar(partialL2(student, teacher, tf.tensor1d([-1, -0.5])))).toBeCloseTo(1.25, 6);
  });

  it('weighs stage i of n by 2^(i+1−n), divides by the batch and by nothing else, times w', async () => {
    const params = new ParamStore('ofd-test');
    const bn = { gamma: tf.tensor1d([1]), beta: tf.tensor1d([0]) }; // margin −√(2/π)
    const stage = { student: [1, 2, 1] as [number, number, number], teacher: [1, 2, 1] as [number, number, number], teacherBn: bn };
    const term = OFD_TERM.build({ params, rng: new Rng(1), maskRng: new Rng(2), settings: { ofdW: 0.01 }, stages: [stage, stage], pooled: { student: 1, teacher: 1 }, trainSize: 1 });
    for (const i of [0, 1]) params.get(`ofd.${i}.conv.w`).assign(tf.ones([1, 1, 1, 1])); // identity conv: BN then maps (−1, 1) to itself
    const s = tf.tensor4d([-1, 1], [1, 1, 2, 1]);
    // Stage 1 (weight ½): targets (0.5, 0.5), both counted: (1.5² + 0.5²)/2 = 1.25. Stage 2 (weight 1): targets
    // max(−3, m) = m for both; only s = 1 > m is counted: (1 + √(2/π))².
    const preRelu = { student: [s, s], teacher: [tf.tensor4d([0.5, 0.5], [1, 1, 2, 1]), tf.tensor4d([-3, -3], [1, 1, 2, 1])] };
    const { distill, feature } = term.loss({ preRelu } as never);
    const want = 1.25 + (1 + Math.sqrt(2 / Math.PI)) ** 2;
    expect(await scalar(feature)).toBeCloseTo(want, 3);
    expect(await scalar(distill)).toBeCloseTo(0.01 * want, 5);
    expect(() => term.loss({ preRelu: null } as never)).toThrow(/ofd: the pre-ReLU features were not passed/);
    term.dispose!();
    params.dispose();
  });
});
