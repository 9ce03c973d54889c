/**
 * The final evaluation: the rule that picks quick (the run's test size) or full (the whole test
 * set), its URL field, and the runner measuring the final accuracy on exactly that many images.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ExperimentConfig, decodeConfig, encodeConfig, validateConfig } from '../src/core/config';
import { Net } from '../src/core/models/net';
import { resolveArch } from '../src/core/models/registry';
import { runExperiment } from '../src/core/train/experiment';
import { FULL_EVAL_RATIO, describeFinalEval, finalEvaluation } from '../src/core/loop/finalEvalPolicy';
import type { TestSource } from '../src/core/loop/sources';
import { initNodeBackend } from '../src/node/backend';
import { nodeDataSources } from '../src/node/dataSource';
import { MNIST_NET } from './helpers';

const config = (o: Partial<ExperimentConfig>): ExperimentConfig => validateConfig({ ...DEFAULT_CONFIG, ...o }).config;

describe('finalEvaluation', () => {
  it('auto: quick for a short run, full once it trains on 3× the test set', () => {
    expect(finalEvaluation(config({}), 10000)).toEqual({ kind: 'quick', images: 2000 }); // 300 × 64 = 19,200 images
    expect(FULL_EVAL_RATIO).toBe(3);
    expect(finalEvaluation(config({ steps: 469, batch: 64 }), 10000)).toEqual({ kind: 'full', images: 10000 }); // 30,016 ≥ 30,000
    expect(finalEvaluation(config({ steps: 468, batch: 64 }), 10000)).toEqual({ kind: 'quick', images: 2000 }); // 29,952
  });

  it('auto: the boundary is steps·batch = 3 × testCount', () => {
    expect(finalEvaluation(config({ steps: 3000, batch: 10 }), 10000)).toEqual({ kind: 'full', images: 10000 });
    expect(finalEvaluation(config({ steps: 2999, batch: 10 }), 10000)).toEqual({ kind: 'quick', images: 2000 });
  });

  it('H-GKD counts its fine-tune and scratch-baseline steps', () => {
    // 300 + 2 × 300 steps × 64 = 57,600 images: full; the same distillation alone would be quick.
    expect(finalEvaluation(config({ method: 'hgkd', student: 'resnet-s' }), 10000).kind).toBe('full');
    expect(finalEvaluation(config({ method: 'hgkd', student: 'resnet-s', ftSteps: 1 }), 10000).kind).toBe('quick');
  });

  it('quick and full are forced; a test size covering the whole set is full', () => {
    expect(finalEvaluation(config({ finalTest: 'full', steps: 3 }), 10000)).toEqual({ kind: 'full', images: 10000 });
    expect(finalEvaluation(config({ finalTest: 'quick', steps: 100000, testSize: 500 }), 10000)).toEqual({ kind: 'quick', images: 500 });
    expect(finalEvaluation(config({ finalTest: 'quick', testSize: 10000 }), 10000)).toEqual({ kind: 'full', images: 10000 });
    expect(finalEvaluation(config({ testSize: 800 }), 600)).toEqual({ kind: 'full', images: 600 });
  });

  it('describes itself for outcome lines', () => {
    expect(describeFinalEval({ kind: 'quick', images: 2000 })).toBe('quick: 2,000 test images');
    expect(describeFinalEval({ kind: 'full', images: 10000 })).toBe('full test set, 10,000 images');
  });
});

describe('the finalTest field', () => {
  it('old links open unchanged: no key means auto, and auto is not written', () => {
    const old = 'method=kd&steps=40&seed=3';
    const { config: c, issues } = decodeConfig(old);
    expect(issues).toEqual([]);
    expect(c.finalTest).toBe('auto');
    expect(encodeConfig(c)).toBe('v=2&method=kd&lrSchedule=constant&steps=40&seed=3'); // no finalTest; the recipe of before written out
  });

  it('quick and full round-trip; anything else is rejected naming the field', () => {
    for (const v of ['quick', 'full'] as const) expect(decodeConfig(encodeConfig(config({ finalTest: v }))).config.finalTest).toBe(v);
    const bad = decodeConfig('finalTest=all');
    expect(bad.config.finalTest).toBe('auto');
    expect(bad.issues[0]).toMatchObject({ field: 'finalTest', level: 'error' });
  });
});

describe('runExperiment', () => {
  beforeAll(async () => {
    await initNodeBackend('wasm');
  });

  /** Runs a tiny config; returns the result and the highest test image index the run evaluated. */
  async function run(o: Partial<ExperimentConfig>) {
    const c = config({ teacher: 'resnet-s', student: 'resnet-xs', batch: 8, subset: 64, steps: 2, eval: 1000, testSize: 100, backend: 'wasm', ...o });
    let seen = 0;
    const result = await runExperiment(c, {
      backend: 'wasm',
      teacher: async () => new Net(resolveArch('resnet-s'), 99, 'teacher', MNIST_NET),
      data: async (cfg) => {
        const data = await nodeDataSources(cfg.dataset, cfg.subset, cfg.seed);
        const { test } = data;
        // A 600-image test set keeps `full` fast; `seen` records how far the evaluation read.
        const small: TestSource = {
          count: 600,
          batch: (start, size) => {
            seen = Math.max(seen, start + size);
            return test.batch(start, size);
          },
        };
        return { ...data, test: small };
      },
    });
    return { result, seen };
  }

  it('a quick final evaluation reads testSize images and says so', async () => {
    const { result, seen } = await run({});
    expect(result.finalEval).toEqual({ kind: 'quick', images: 100 });
    expect(seen).toBe(100);
    expect(result.history.at(-1)!.testAcc).toBe(result.final.testAcc);
    expect(Math.round(result.final.testAcc * 100)).toBeCloseTo(result.final.testAcc * 100, 9); // a multiple of 1/100
  }, 120_000);

  it('a full final evaluation reads the whole test set', async () => {
    const { result, seen } = await run({ finalTest: 'full' });
    expect(result.finalEval).toEqual({ kind: 'full', images: 600 });
    expect(seen).toBe(600);
  }, 120_000);
});
