/**
 * Golden runs: a short run per method, its metrics at every step recorded once in
 * tests/golden/runs.json. Refactors of the loop, the methods or the kernels must reproduce them
 * (same config → same numbers), so a behaviour change shows here before it reaches a user.
 *
 * Re-record only for an intended change of behaviour, and say why in the commit:
 *   GOLDEN_UPDATE=1 npx vitest run tests/golden.test.ts
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
const RUNS: Record<string, { backend: 'wasm' | 'cpu'; query: string }> = {
  none: { backend: 'wasm', query: `${BASE}&method=none` },
  kd: { backend: 'wasm', query: `${BASE}&method=kd` },
  mimic: { backend: 'wasm', query: `${BASE}&method=mimic&alpha=1e-3` },
  'mgd-pixel': { backend: 'wasm', query: `${BASE}&method=mgd&lambda=0.5` },
  'mgd-channel': { backend: 'wasm', query: `${BASE}&method=mgd&mask=channel&lambda=0.4` },
  'mgd+kd': { backend: 'wasm', query: `${BASE}&method=mgd%2Bkd` },
  at: { backend: 'wasm', query: `${BASE}&method=at` },
  rkd: { backend: 'wasm', query: `${BASE}&method=rkd` },
  wsld: { backend: 'wasm', query: `${BASE}&method=wsld` },
  srrl: { backend: 'wasm', query: `${BASE}&method=srrl` },
  hgkd: { backend: 'wasm', query: `method=hgkd&student=resnet:8-16x1&batch=8&subset=64&steps=3&ftSteps=2&eval=2&testSize=100&seed=3&queue=64` },
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
      if (UPDATE) {
        recorded[name] = got;
        mkdirSync(path.dirname(FILE), { recursive: true });
        writeFileSync(FILE, JSON.stringify({ ...readGolden(), ...recorded }, null, 1) + '\n');
        return;
      }
      const want = golden[name];
      expect(want, `no golden record for ${name}: run with GOLDEN_UPDATE=1`).toBeDefined();
      expect(got.map((row) => Object.keys(row).sort())).toEqual(want.map((row) => Object.keys(row).sort()));
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
