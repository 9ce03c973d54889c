/** The paper tables as data, their results files' schema, summary and reading, and the committed results. */
import { describe, expect, it } from 'vitest';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { decodeConfig, encodeConfig, paperScaledAlpha } from '../src/core/config';
import { PAPER_TABLES, TABLE_IDS, paperTable, rowConfig, tableRuns } from '../src/core/compare/tables';
import { type RunResult, formatTableMarkdown, parseTableResult, readTable, summariseRows } from '../src/core/compare/tableResult';
import { ROOT } from './cli';

const run = (seed: number, testAcc: number): RunResult => ({ seed, testAcc, stepsPerSec: 2, link: `v=2&seed=${seed}` });

describe('paper tables', () => {
  it.each(PAPER_TABLES.map((t) => [t.id, t] as const))('%s: unique rows, a run baseline, valid configs at link version 2, seeds outermost', (_id, t) => {
    expect(new Set(t.rows.map((r) => r.key)).size).toBe(t.rows.length);
    const base = t.rows.find((r) => r.key === t.baseline);
    expect(base).toBeDefined();
    const runs = tableRuns(t);
    expect(runs).toHaveLength(t.rows.length * t.seeds);
    expect(runs.map((r) => r.seed)).toEqual([...runs.map((r) => r.seed)].sort((a, b) => a - b));
    for (const r of runs) {
      expect(r.config.steps).toBe(t.steps);
      // The link a run is stored under decodes to the same config, warning-free.
      const { config, issues } = decodeConfig(encodeConfig(r.config));
      expect(issues).toEqual([]);
      expect(config).toEqual(r.config);
    }
  });

  it('rows override the base, and rows whose hooked size changes get the paper α scaled to it', () => {
    const t8 = paperTable('mgd-t8');
    const none = rowConfig(t8, t8.rows.find((r) => r.key === 'none')!, 1, 10);
    expect(none.method).toBe('none');
    const s1 = rowConfig(t8, t8.rows.find((r) => r.key === 'stage-1')!, 1, 10);
    expect(s1.method).toBe('mgd');
    expect(s1.alpha).toBe(paperScaledAlpha(s1));
    // Stage 1 of resnet-t is 16×28×28 = 12,544 values, 4× the last stage's 3,136: α is 4× smaller.
    expect(s1.alpha).toBeCloseTo(5.6e-4 / 4, 6);
    expect(() => paperTable('mgd-t99')).toThrow(/one of mgd-t1/);
  });

  it('tables share the runs that are one config: none and the default MGD', () => {
    const link = (id: string, key: string) => encodeConfig(rowConfig(paperTable(id), paperTable(id).rows.find((r) => r.key === key)!, 1, 300));
    expect(link('mgd-t7', 'gen-2x3')).toBe(link('mgd-t1', 'mgd'));
    expect(link('mgd-t8', 'stage-3')).toBe(link('mgd-t1', 'mgd'));
    expect(link('mgd-f5', 'l5')).toBe(link('mgd-t1', 'mgd'));
    expect(link('mgd-f5', 'none')).toBe(link('mgd-t1', 'none'));
  });
});

describe('table results', () => {
  const t5 = paperTable('mgd-t5');
  const runs: Record<string, RunResult[]> = {
    none: [run(1, 0.8), run(2, 0.81), run(3, 0.79)],
    mimic: [run(1, 0.9), run(2, 0.91), run(3, 0.89)],
    mgd: [run(1, 0.7), run(2, 0.8), run(3, 0.9)],
  };
  const rows = summariseRows(t5, (k) => runs[k] ?? []);

  it('mean ± sd per row and Welch against the baseline', () => {
    const [none, mimic, mgd] = rows;
    expect(none.mean).toBeCloseTo(0.8, 12);
    expect(none.sd).toBeCloseTo(0.01, 12);
    expect(none.vsBaseline).toBeNull();
    expect(mimic.vsBaseline).toMatchObject({ testable: true, exceeds: true });
    expect(mimic.vsBaseline!.diff).toBeCloseTo(0.1, 12);
    expect(mgd.vsBaseline).toMatchObject({ testable: true, exceeds: false });
  });

  it('reads where the paper’s order holds: above, within, best, pairs kept and reversed', () => {
    const lines = readTable(t5, rows);
    expect(lines).toContain('Beyond the seed noise above none: feature mimicking.');
    expect(lines.join('\n')).toMatch(/Within the seed noise of none .*: MGD\./);
    expect(lines.join('\n')).toMatch(/Best here: feature mimicking \(90\.00 %\); the paper’s best: MGD \(70\.91 %\)/);
    // Paper: MGD > mimic > none. Here mimic > MGD = none (0.80 each): none ≥ MGD and mimic ≥ MGD are reversed.
    expect(lines.join('\n')).toMatch(/1 of 3 pairs .* keep the paper’s order\. Reversed here: none ≥ MGD; feature mimicking ≥ MGD\./);
    expect(readTable(t5, summariseRows(t5, () => []))).toEqual(['No runs yet.']);
  });

  it('prints markdown with the paper beside each row, and rows without runs as such', () => {
    const t1 = paperTable('mgd-t1');
    const md = formatTableMarkdown(t1, { rows: summariseRows(t1, (k) => (k === 'none' || k === 'kd' ? [run(1, 0.5)] : [])), steps: 300, seeds: [1], backend: 'wasm', stepsPerSec: 2 });
    expect(md).toMatch(/\| KD \| 70\.68 \| 50\.00 \(1 run\) \| \+0\.00 pp \(noise not measured\) \|/);
    expect(md).toMatch(/\| OFD \(all stages, as its code\) \| 71\.08 \| no runs \|/);
  });

  it('the schema rejects what a results file must not hold, naming the field', () => {
    const good = {
      version: 1, table: 'mgd-t5', title: 't', source: 's', steps: 3, seeds: [1], backend: 'wasm', date: 'd', commit: 'c', command: 'x',
      seconds: 1, stepsPerSec: 1, rows: rows.map((r) => ({ ...r, runs: r.runs.slice(0, 1) })),
    };
    expect(parseTableResult(JSON.parse(JSON.stringify(good))).table).toBe('mgd-t5');
    expect(() => parseTableResult({ ...good, version: 2 })).toThrow(/version/);
    expect(() => parseTableResult({ ...good, table: 'mgd-t99' })).toThrow(/table/);
    const nan = structuredClone(good);
    nan.rows[0].runs[0].testAcc = Number.NaN;
    expect(() => parseTableResult(nan)).toThrow(/rows\.0\.runs\.0\.testAcc/);
    expect(() => parseTableResult({ ...good, rows: Array.from({ length: 41 }, () => good.rows[0]) })).toThrow(/rows/);
    expect(() => parseTableResult(null)).toThrow(/results file/);
  });
});

describe('committed results (public/results)', async () => {
  const dir = path.join(ROOT, 'public', 'results');
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.json'));

  it('there are results for at least one table', () => expect(files.length).toBeGreaterThan(0));

  it.each(files)('%s: valid, its runs are its table’s configs, and its summary is its runs’', async (file) => {
    const result = parseTableResult(JSON.parse(await readFile(path.join(dir, file), 'utf8')));
    expect(`${result.table}.json`).toBe(file);
    expect(TABLE_IDS).toContain(result.table);
    const table = paperTable(result.table);
    const links = new Set(tableRuns(table, { steps: result.steps, seeds: result.seeds.length }).map((r) => encodeConfig(r.config)));
    for (const row of result.rows) for (const r of row.runs) expect(links.has(r.link), `${row.key}: ${r.link}`).toBe(true);
    const again = summariseRows(table, (k) => result.rows.find((r) => r.key === k)?.runs ?? []);
    expect(JSON.parse(JSON.stringify(again))).toEqual(result.rows);
  });
});
