/**
 * Golden runs: a short run per method, its metrics at every step recorded once in
 * tests/golden/runs.json. Refactors of the loop, the methods or the kernels must reproduce them
 * (same config → same numbers), so a behaviour change shows here before it reaches a user.
 *
 * Re-record only for an intended change of behaviour, and say why in the commit:
 *   GOLDEN_UPDATE=1 npx vitest run tests/golden.test.ts
 * The `legacy:` runs are links of before the training recipe (no `v`: constant lr, Adam). They were
 * recorded before the recipe rows existed and are never re-recorded: they must come out exactly
 * the same, which is what makes an old link reproduce its run.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeConfig } from '../src/core/config';
import { runExperiment } from '../src/core/train/experiment';
import { nodeExperimentDeps } from '../src/node/experimentDeps';

const FILE = path.join(__dirname, 'golden', 'runs.json');
const UPDATE = process.env.GOLDEN_UPDATE === '1';

// Tiny but real: shipped teachers, real MNIST, every step's metrics.
const BASE = 'student=resnet-xs&batch=16&subset=128&steps=5&eval=2&testSize=100&seed=3';
const CASES: Record<string, string> = {
  none: `${BASE}&method=none`,
  kd: `${BASE}&method=kd`,
  mimic: `${BASE}&method=mimic&alpha=1e-3`,
  'mgd-pixel': `${BASE}&method=mgd&lambda=0.5`,
  'mgd-channel': `${BASE}&method=mgd&mask=channel&lambda=0.4`,
  'mgd+kd': `${BASE}&method=mgd%2Bkd`,
  at: `${BASE}&method=at`,
  rkd: `${BASE}&method=rkd`,
  wsld: `${BASE}&method=wsld`,
  srrl: `${BASE}&method=srrl`,
  crd: `${BASE}&method=crd`,
  ofd: `${BASE}&method=ofd`,
  hgkd: `method=hgkd&student=resnet:8-16x1&batch=8&subset=64&steps=3&ftSteps=2&eval=2&testSize=100&seed=3&queue=64`,
};
const RUNS: Record<string, { backend: 'wasm' | 'cpu'; query: string }> = {
  // Today's links (the default recipe: cosine Adam) …
  ...Object.fromEntries(Object.entries(CASES).map(([name, q]) => [name, { backend: 'wasm', query: `v=2&${q}` }])),
  'mgd-sgd-step-warmup': { backend: 'wasm', query: `v=2&${CASES['mgd-pixel']}&optimizer=sgd&momentum=0.9&wd=5e-4&lrSchedule=step&lrEvery=2&lrGamma=0.5&warmup=1&lr=0.05` },
  'mimic-adamw-floor': { backend: 'wasm', query: `v=2&${CASES.mimic}&wd=0.01&lrFloor=0.1` },
  // … and the same links as written before the recipe.
  ...Object.fromEntries(Object.entries(CASES).map(([name, q]) => [`legacy:${name}`, { backend: 'wasm', query: q }])),
};

/** The per-step numbers of a run (timings dropped: they are the only thing allowed to differ). */
type Trace = Record<string, number>[];

function trace(rows: object[]): Trace {
  return rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k, v]) => typeof v === 'number' && !/Ms$|PerSec$/.test(k))));
}

function readGolden(): Record<string, Trace> {
  return existsSync(FILE) ? JSON.parse(readFileSync(FILE, 'utf8')) : {};
}

const golden = readGolden();
const recorded: Record<string, Trace> = {};

describe('golden runs reproduce their recorded metrics at every step', () => {
  for (const [name, { backend, query }] of Object.entries(RUNS)) {
    it(name, async () => {
      const { config, issues } = decodeConfig(query);
      expect(issues).toEqual([]);
      const r = await runExperiment(config, await nodeExperimentDeps(backend));
      const got = r.hgkd
        ? trace([...r.hgkd.distill.history, ...r.hgkd.finetune.history, ...r.hgkd.scratch.history])
        : trace(r.history);
      expect(got.length).toBeGreaterThan(0);
      const legacy = name.startsWith('legacy:');
      // A legacy record is recorded once (a new method's old-style link), never re-recorded.
      if (UPDATE && (!legacy || !(name in golden))) {
        recorded[name] = got;
        mkdirSync(path.dirname(FILE), { recursive: true });
        writeFileSync(FILE, JSON.stringify({ ...readGolden(), ...recorded }, null, 1) + '\n');
        return;
      }
      const want = golden[name];
      expect(want, `no golden record for ${name}: run with GOLDEN_UPDATE=1`).toBeDefined();
      expect(got.map((row) => Object.keys(row).sort())).toEqual(want.map((row) => Object.keys(row).sort()));
      if (legacy) {
        expect(got, `${name}: an old link no longer reproduces its run`).toEqual(want);
        return;
      }
      // Relative 1e-5: identical code gives identical numbers; this leaves room for nothing but
      // float32 reassociation inside a kernel.
      got.forEach((row, i) => {
        for (const [k, v] of Object.entries(row)) {
          const w = want[i][k];
          expect(Math.abs(v - w), `${name} step row ${i} ${k}: ${v} vs ${w}`).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(w)));
        }
      });
    }, 300_000);
  }
});
