/**
 * The page's main thread never loads tfjs: only the worker does. Walks the static and dynamic
 * imports reachable from the page entry (type-only imports are erased and skipped) and fails
 * naming the chain that reaches a tfjs package. (Resource timing in the browser cannot tell:
 * Chromium lists a dedicated worker's module fetches in the page's timeline too.)
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..');
const ENTRY = join(ROOT, 'src/ui/main.tsx');

/** Runtime imports of a file: specifiers of imports that are not `import type` / `export type`. */
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly && ts.isStringLiteral(node.moduleSpecifier)) {
      const named = node.importClause?.namedBindings;
      const allTypes = !node.importClause?.name && named && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
      if (!allTypes) out.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && !node.isTypeOnly && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      out.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && ts.isStringLiteral(node.arguments[0])) {
      out.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

function resolveLocal(from: string, spec: string): string | null {
  const base = resolve(dirname(from), spec.split('?')[0]);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')]) {
    if (existsSync(candidate) && /\.tsx?$/.test(candidate)) return candidate;
  }
  return null;
}

/** Chains from the entry to each package import matching `pattern`. */
function chainsTo(pattern: RegExp): string[] {
  const parent = new Map<string, string | null>([[ENTRY, null]]);
  const queue = [ENTRY];
  const found: string[] = [];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const spec of runtimeImports(file)) {
      if (spec.startsWith('.')) {
        const next = resolveLocal(file, spec);
        if (next && !parent.has(next)) {
          parent.set(next, file);
          queue.push(next);
        }
      } else if (pattern.test(spec)) {
        const chain = [spec];
        for (let f: string | null | undefined = file; f; f = parent.get(f)) chain.push(relative(ROOT, f));
        found.push(chain.join(' ← '));
      }
    }
  }
  return found;
}

describe('main thread', () => {
  it('imports no tfjs (the worker owns it)', () => {
    expect(chainsTo(/^@tensorflow\//)).toEqual([]);
  });

  it('the walk does see the page and its packages', () => {
    expect(chainsTo(/^(react|zustand|recharts)$/).length).toBeGreaterThan(0);
  });
});
