// The source layout's rules that a reader relies on: no import cycles, and the two streaming jobs
// (processor, realtime) independent of each other.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Each file's relative imports (type-only ones too: they are cycles for a reader as well). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^import\s+)'(\.{1,2}\/[^']+\.ts)'/gm)].map((m) =>
      normalize(join(dirname(file), m[1]!)),
    );
    graph.set(file, targets);
  }
  return graph;
}

function cycles(graph: Map<string, string[]>): string[] {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const found: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    path.push(file);
    for (const target of graph.get(file) ?? []) {
      if (state.get(target) === 'open') {
        found.push([...path.slice(path.indexOf(target)), target].map((f) => relative(SRC, f)).join(' -> '));
      } else if (!state.has(target)) {
        visit(target);
      }
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return found;
}

it('src has no import cycle', () => {
  const graph = importGraph();
  expect(graph.size).toBeGreaterThan(100);
  expect(cycles(graph)).toEqual([]);
});

it('keeps the processor and the realtime side independent of each other', () => {
  const crossing: string[] = [];
  for (const [file, targets] of importGraph()) {
    const from = relative(SRC, file);
    for (const target of targets.map((t) => relative(SRC, t))) {
      const a = from.startsWith('streaming/processor/') ? 'processor' : from.startsWith('streaming/realtime/') ? 'realtime' : null;
      const b = target.startsWith('streaming/processor/') ? 'processor' : target.startsWith('streaming/realtime/') ? 'realtime' : null;
      if (a && b && a !== b) crossing.push(`${from} -> ${target}`);
    }
  }
  expect(crossing).toEqual([]);
});
