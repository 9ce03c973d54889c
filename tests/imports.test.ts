/**
 * The import structure the README states, checked on the source: no import cycles inside
 * src/core between files or between its folders (type-only imports included: a type cycle is
 * a design cycle too), nothing depends upward (core → nothing outside core; the worker → no UI;
 * node → no worker or UI), and no shipped code imports from tests/. Imports are read with a
 * regular expression over `import … from '…'` / `export … from '…'` (the only forms used here);
 * a dynamic `import('…')` counts too.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');
const SRC = path.join(ROOT, 'src');
const CORE = path.join(SRC, 'core');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(name) && !/\.(test|typetest)\.tsx?$/.test(name) ? [p] : [];
  });
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The repository files `file` imports (relative specifiers only; packages are not ours). */
function importsOf(file: string): string[] {
  const out: string[] = [];
  for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
    const spec = (m[1] ?? m[2]).replace(/\?.*$/, '');
    if (!spec.startsWith('.')) continue;
    const base = path.resolve(path.dirname(file), spec);
    const hit = [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')].find((c) => {
      try {
        return statSync(c).isFile();
      } catch {
        return false;
      }
    });
    if (!hit) throw new Error(`${path.relative(ROOT, file)}: cannot resolve '${spec}'`);
    out.push(hit);
  }
  return out;
}

/** The edges `node(file) → node(import)` between core files (self-edges dropped). */
function coreEdges(files: string[], node: (file: string) => string): [string, string][] {
  return files.flatMap((f) => importsOf(f).filter((t) => t.startsWith(CORE)).map((t): [string, string] => [node(f), node(t)])).filter(([a, b]) => a !== b);
}

/** Every cycle a depth-first walk of the graph meets, as readable paths. */
function cycles(edges: [string, string][]): string[] {
  const graph = new Map<string, Set<string>>();
  for (const [a, b] of edges) graph.set(a, (graph.get(a) ?? new Set()).add(b));
  const found: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string) => {
    state.set(n, 'open');
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      if (state.get(m) === 'open') found.push([...stack.slice(stack.indexOf(m)), m].join(' → '));
      else if (!state.has(m)) visit(m);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of graph.keys()) if (!state.has(n)) visit(n);
  return found;
}

const coreFiles = sourceFiles(CORE);
const relCore = (f: string) => path.relative(CORE, f);
const folderOf = (f: string) => relCore(f).split(path.sep).slice(0, -1)[0] ?? '(core)';

describe('import structure', () => {
  it('finds the imports it checks (the checker reads this codebase)', () => {
    expect(coreFiles.length).toBeGreaterThan(100);
    expect(importsOf(path.join(CORE, 'train', 'experiment.ts')).map(relCore)).toContain(path.join('loop', 'phase.ts'));
  });

  it('the cycle finder sees a cycle (so an empty answer means none)', () => {
    expect(cycles([['a', 'b'], ['b', 'c'], ['c', 'a'], ['c', 'd']])).toEqual(['a → b → c → a']);
    expect(cycles([['a', 'b'], ['a', 'c'], ['b', 'c']])).toEqual([]);
  });

  it('no cycles between files of src/core', () => {
    expect(cycles(coreEdges(coreFiles, relCore))).toEqual([]);
  });

  it('no cycles between folders of src/core', () => {
    expect(cycles(coreEdges(coreFiles, folderOf))).toEqual([]);
  });

  it('nothing depends upward, and shipped code imports nothing from tests/', () => {
    const layers: [string, string[]][] = [
      ['core', ['worker', 'ui', 'node', 'bench']],
      ['worker', ['ui', 'node', 'bench']],
      ['node', ['worker', 'ui']],
      ['bench', ['ui']],
      ['storage', ['core', 'worker', 'ui', 'node', 'bench']],
    ];
    const wrong: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const layer = path.relative(SRC, file).split(path.sep)[0];
      const banned = layers.find(([l]) => l === layer)?.[1] ?? [];
      for (const t of importsOf(file)) {
        const target = path.relative(ROOT, t);
        const into = path.relative(SRC, t).split(path.sep)[0];
        if (target.startsWith(`tests${path.sep}`) || banned.includes(into)) wrong.push(`${path.relative(ROOT, file)} → ${target}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
