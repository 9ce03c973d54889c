/**
 * The exported PyTorch project against the engine, from the same initial weights, batches and
 * masks (`train.py --replay`): step-1 task, distillation and total losses to 1e-4 relative, the
 * 20-step trajectories within the float32 drift measured here (TRAJECTORY_TOL), and torchrun with
 * 2 processes (gloo, CPU) giving the single-process step-1 loss. Two cases train with non-default
 * recipes (SGD + momentum + L2 + step decay + warm-up; AdamW + cosine to a floor): without the
 * SGD case's weight decay in recipe.py its gap was 3.9e-3, so the bar tells the recipes apart. Needs /usr/bin/python3 with torch
 * (CI installs python3-torch); tiny subsets and batch 32 keep it to seconds per config.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../src/node/backend';
import { config, engineSteps, exportProject, relErr, torchMissing, trainPy, type StepRow } from './pytorchHarness';

const missing = torchMissing();
const STEPS = 20;
/** Largest relative loss gap over 20 steps measured across these configs, with headroom (see README). */
const TRAJECTORY_TOL = 1e-3; // measured worst 2.4e-4 (mgd, pixel, resnet-s); others 1.8e-5 … 2.0e-4

/**
 * AT and RKD normalise by per-sample and per-batch statistics, which makes their 20-step
 * trajectories more sensitive to float32 rounding: the engine against itself (wasm vs cpu
 * backends, same config) drifts by as much as it does against torch — AT 1.40e-3 both ways,
 * RKD 1.51e-2 (wasm vs cpu) and 1.45e-2 (torch). Their step-1 losses still agree to 1e-4.
 */
const SENSITIVE_TOL: Record<string, number> = { at: 3e-3, rkd: 3e-2 };

/** Methods whose distillation term outweighs CE for the first 20 steps: their total falls, not CE. */
const TOTAL_FALLS = new Set(['at', 'rkd', 'srrl', 'ofd']);

const RUN = 'dataset=mnist&subset=200&batch=32&steps=20&seed=3';
const BASE = `${RUN}&lr=0.001`;
const CASES: [string, string][] = [
  ['mgd, pixel mask, align (resnet-xs)', `${BASE}&method=mgd&mask=pixel&lambda=0.5&student=resnet-xs&alpha=5.6e-4`],
  ['mgd, channel mask, no align (resnet-s)', `${BASE}&method=mgd&mask=channel&lambda=0.15&student=resnet-s&alpha=5.6e-4`],
  ['mgd, pixel mask, no align (resnet-s)', `${BASE}&method=mgd&mask=pixel&lambda=0.5&student=resnet-s&alpha=5.6e-4`],
  ['mgd, channel mask, align (resnet-xs)', `${BASE}&method=mgd&mask=channel&lambda=0.5&student=resnet-xs&alpha=5.6e-4`],
  ['mimic, align (resnet-xs)', `${BASE}&method=mimic&student=resnet-xs&alpha=5.6e-4`],
  ['kd, with the difference probe (resnet-xs)', `${BASE}&method=kd&student=resnet-xs&kdT=4&kdW=1`],
  // The cases above are links of before the recipe (constant lr, Adam); these two are today's, with non-default recipes.
  ['mgd, SGD + momentum + L2 + step decay + warm-up (resnet-xs)', `v=2&${RUN}&method=mgd&mask=pixel&lambda=0.5&student=resnet-xs&alpha=5.6e-4&optimizer=sgd&momentum=0.9&wd=0.01&lrSchedule=step&lrEvery=5&lrGamma=0.5&warmup=3&lr=0.02`],
  ['kd, AdamW + cosine to a floor (resnet-xs)', `v=2&${RUN}&method=kd&student=resnet-xs&wd=0.05&lrSchedule=cosine&lrFloor=0.1&lr=0.003`],
  ['at, stages 2 and 3 (resnet-xs)', `${BASE}&method=at&student=resnet-xs&stage=2,3`],
  ['rkd (resnet-xs)', `${BASE}&method=rkd&student=resnet-xs`],
  ['wsld (resnet-xs)', `${BASE}&method=wsld&student=resnet-xs`],
  ['srrl (resnet-xs)', `${BASE}&method=srrl&student=resnet-xs`],
  ['ofd, all stages (resnet-xs)', `${BASE}&method=ofd&student=resnet-xs&stage=1,2,3`],
];

function worstGap(a: StepRow[], b: StepRow[]): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) for (const k of ['loss', 'taskLoss', 'distillLoss'] as const) worst = Math.max(worst, relErr(a[i][k], b[i][k]));
  return worst;
}

describe.skipIf(missing !== null)(`train.py --replay against the engine${missing ? ` (skipped: ${missing})` : ''}`, () => {
  beforeAll(async () => {
    await initNodeBackend('wasm');
  });

  for (const [name, query] of CASES) {
    it(name, async () => {
      const c = config(query);
      const dir = await exportProject(c);
      const [torch, engine] = await Promise.all([trainPy(dir, ['--replay', '--steps', String(STEPS)]), engineSteps(c, STEPS)]);
      expect(torch.map((r) => r.step)).toEqual(engine.map((r) => r.step));
      for (const k of ['taskLoss', 'distillLoss', 'loss'] as const) expect(relErr(torch[0][k], engine[0][k]), k).toBeLessThanOrEqual(1e-4);
      if (c.method !== 'kd') expect(relErr(torch[0].difference, engine[0].difference)).toBeLessThanOrEqual(1e-4);
      const gap = worstGap(torch, engine);
      console.log(`${name}: worst relative loss gap over ${STEPS} steps ${gap.toExponential(2)}`);
      expect(gap).toBeLessThanOrEqual(SENSITIVE_TOL[c.method] ?? TRAJECTORY_TOL);
      // It trains: CE falls; for AT, RKD, SRRL and OFD, whose weighted terms outweigh CE over these
      // 20 steps (step-20 CE vs step-1 on its batch: AT 2.32 vs 2.28, SRRL 2.30 vs 2.28, OFD 2.29 vs
      // 2.28), the total they minimise falls instead. Means of the first and last five steps: one
      // batch's loss swings by ±2 for SRRL (its logit term is ~20).
      const trained = TOTAL_FALLS.has(c.method) ? 'loss' : 'taskLoss';
      const meanOf = (rows: StepRow[]) => rows.reduce((a, r) => a + r[trained], 0) / rows.length;
      expect(meanOf(torch.slice(-5))).toBeLessThan(meanOf(torch.slice(0, 5)));
    });
  }

  it('--device cuda --amp without CUDA: trains on the CPU in float32, saying so, with the cpu run\'s losses', async () => {
    const c = config(CASES[0][1]);
    const dir = await exportProject(c);
    let said = '';
    const [fallback, cpu] = [await trainPy(dir, ['--replay', '--steps', '2', '--device', 'cuda', '--amp'], 1, { stderr: (t) => (said = t) }), await trainPy(dir, ['--replay', '--steps', '2'])];
    expect(said).toContain('--device cuda but torch sees no CUDA device; training on cpu');
    expect(said).toContain('--amp needs --device cuda; training in float32');
    expect(fallback.map((r) => r.loss)).toEqual(cpu.map((r) => r.loss)); // the same float32 CPU run
  });

  // OFD too: its connectors' batch norms must take the global batch's statistics across processes.
  it.each([CASES[0], CASES.find(([name]) => name.startsWith('ofd'))!])('torchrun --nproc_per_node=2 (gloo) runs 10 steps with the single-process step-1 loss: %s', async (_, query) => {
    const c = config(query);
    const dir = await exportProject(c);
    const single = await trainPy(dir, ['--replay', '--steps', '1']);
    const ddp = await trainPy(dir, ['--replay', '--steps', '10'], 2);
    expect(ddp.map((r) => r.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const k of ['loss', 'taskLoss', 'distillLoss'] as const) expect(relErr(ddp[0][k], single[0][k]), k).toBeLessThanOrEqual(1e-5);
  });
});
