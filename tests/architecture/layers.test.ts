/**
 * The shape of the code: read → normalise → analysis → render, commands on top. Each layer
 * imports only from itself and the layers before it, and no module imports itself round a cycle.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

function modules(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? modules(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/**
 * Module (path relative to src, without .ts) → the src modules it imports (type imports
 * included; with `valuesOnly`, only the imports that load a module when it is loaded).
 */
function graph(valuesOnly = false): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const pattern = valuesOnly ? /(?:import|export)\s(?!type\s)[^'";]*?from\s+'(\.{1,2}\/[^']+)'/g : /(?:import|export)\s[^'";]*?from\s+'(\.{1,2}\/[^']+)'/g;
  for (const file of modules(SRC)) {
    const text = readFileSync(file, 'utf8');
    const imports = [...text.matchAll(pattern)].map((m) => {
      const target = resolve(dirname(file), (m[1] ?? '').replace(/\.js$/, '.ts'));
      return relative(SRC, target).replace(/\.ts$/, '');
    });
    out.set(relative(SRC, file).replace(/\.ts$/, ''), [...new Set(imports)]);
  }
  return out;
}

const LAYERS = ['read', 'normalise', 'analysis', 'render', 'commands'] as const;
/** Folders a layer may not import from. */
const FORBIDDEN: Readonly<Record<(typeof LAYERS)[number], readonly string[]>> = {
  read: ['normalise', 'analysis', 'render', 'commands', 'demo'],
  normalise: ['analysis', 'render', 'commands', 'demo'],
  analysis: ['render', 'commands', 'demo'],
  render: ['commands', 'demo'],
  commands: ['demo'],
};

describe('layers', () => {
  const modulesGraph = graph();

  it('finds the modules and their imports (the check is not vacuous)', () => {
    expect(modulesGraph.size).toBeGreaterThan(50);
    expect(modulesGraph.get('normalise/ingest')).toContain('read/records');
  });

  it.each(LAYERS)('%s/ imports nothing from the layers above it', (layer) => {
    const bad: string[] = [];
    for (const [module, imports] of modulesGraph) {
      if (!module.startsWith(`${layer}/`)) continue;
      for (const target of imports) {
        const folder = target.split('/')[0] ?? '';
        if (FORBIDDEN[layer].includes(folder)) bad.push(`${module} → ${target}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('read/ imports only read/ and the shared errors, messages and types', () => {
    const bad = [...modulesGraph].filter(([m]) => m.startsWith('read/')).flatMap(([m, imports]) => imports.filter((t) => !t.startsWith('read/') && t !== 'errors' && t !== 'messages' && t !== 'types').map((t) => `${m} → ${t}`));
    expect(bad).toEqual([]);
  });

  it('loads the workbook reader (xlsx.ts, its zip and XML libraries) only when a workbook is read', () => {
    const values = graph(true);
    const loaded = new Set<string>();
    const visit = (module: string): void => {
      if (loaded.has(module)) return;
      loaded.add(module);
      for (const target of values.get(module) ?? []) visit(target);
    };
    visit('cli');
    expect(loaded.has('normalise/ingest')).toBe(true);
    expect(loaded.has('read/xlsx')).toBe(false);
  });

  it('has no import cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (module: string): void => {
      state.set(module, 'open');
      stack.push(module);
      for (const target of modulesGraph.get(module) ?? []) {
        if (state.get(target) === 'open') cycles.push([...stack.slice(stack.indexOf(target)), target].join(' → '));
        else if (!state.has(target)) visit(target);
      }
      stack.pop();
      state.set(module, 'done');
    };
    for (const module of [...modulesGraph.keys()].sort()) if (!state.has(module)) visit(module);
    expect(cycles).toEqual([]);
  });
});
