/**
 * House rules, checked mechanically (like TigerBeetle's tidy.zig):
 * - sim/ is pure: no wall clock, no ambient randomness, no engine-dependent Math, no DOM,
 *   no Node, no UI libraries, nothing from app/. Only sim/cli/ (the command line) may use Node.
 * - app/ reaches the simulator only through sim/index.ts.
 * - No import circles among the modules of sim/ and app/, counting `import type` too: files
 *   that need each other share a lower module (a state or types file) or pass a callback.
 * - app/model/ (pure functions over a trace) imports nothing from app/store/ nor React.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (/\.(ts|tsx)$/.test(name)) out.push(p);
  }
  return out;
}

/** Strip comments and string contents so that prose like "never uses Date.now" is not flagged. */
function codeOnly(src: string): string {
  return src
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:])\/\/.*$/gm, '$1');
}

const simFiles = walk(join(root, 'sim')).filter((f) => !relative(root, f).startsWith('sim/cli'));

const bans: [RegExp, string][] = [
  [/\bMath\.random\b/, 'Math.random (use the engine Rng)'],
  [/\bDate\.now\b|\bnew Date\b|\bDate\(/, 'the wall clock (Date)'],
  [/\bperformance\.now\b/, 'the wall clock (performance.now)'],
  [/\bsetTimeout\b|\bsetInterval\b|\brequestAnimationFrame\b|\bsetImmediate\b/, 'host timers'],
  [/\bMath\.(log|log2|log10|log1p|exp|expm1|pow|sin|cos|tan|asin|acos|atan|atan2|sinh|cosh|tanh|cbrt|hypot)\b/,
    'an engine-dependent Math function'],
  [/[\w)\]]\s*\*\*\s*[\w(]/, 'the ** operator (engine-dependent for non-integers)'],
  [/\bwindow\.|\bdocument\.|\blocalStorage\b|\bnavigator\./, 'the DOM'],
  [/\bprocess\.(env|argv|exit|stdout|stderr|hrtime)\b/, 'Node process'],
  [/\brequire\(/, 'require()'],
  [/from\s+['"](node:|fs|path|os|child_process|net|crypto|util)['"/]/, 'a Node module'],
  [/from\s+['"](react|react-dom|zustand|d3)[/'"]/, 'a UI library'],
  [/from\s+['"][./]*\/app\//, 'app/'],
];

describe('sim/ is pure', () => {
  it('has source files to check', () => {
    expect(simFiles.length).toBeGreaterThan(5);
  });
  for (const [re, what] of bans) {
    it(`never uses ${what}`, () => {
      const hits: string[] = [];
      for (const f of simFiles) {
        const lines = codeOnly(readFileSync(f, 'utf8')).split('\n');
        lines.forEach((line, i) => {
          if (re.test(line) && !line.includes('// allowed:')) hits.push(`${relative(root, f)}:${i + 1}: ${line.trim()}`);
        });
      }
      expect(hits).toEqual([]);
    });
  }
});

describe('app/ uses the simulator only through sim/index.ts', () => {
  it('imports nothing else from sim/', () => {
    const hits: string[] = [];
    let appFiles: string[] = [];
    try { appFiles = walk(join(root, 'app')); } catch { appFiles = []; }
    for (const f of appFiles) {
      for (const m of readFileSync(f, 'utf8').matchAll(/from\s+['"]([^'"]*\/sim\/[^'"]*)['"]/g)) {
        if (!/\/sim\/index(\.ts)?$/.test(m[1]!)) hits.push(`${relative(root, f)}: ${m[1]}`);
      }
    }
    expect(hits).toEqual([]);
  });
});

/** The project files a file imports: static imports and re-exports (type-only ones too) and import(). */
function importsOf(file: string): string[] {
  const code = codeOnly(readFileSync(file, 'utf8'));
  const out: string[] = [];
  const re = /\b(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]*?\s+from\s+)?['"](\.[^'"]*)['"]|\bimport\(\s*['"](\.[^'"]*)['"]\s*\)/g;
  for (const m of code.matchAll(re)) {
    const base = resolve(dirname(file), (m[1] ?? m[2])!);
    const hit = [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]
      .find((p) => existsSync(p) && statSync(p).isFile());
    if (hit !== undefined) out.push(hit);
  }
  return out;
}

/** Strongly connected components with more than one file (or a file importing itself): Tarjan. */
function importCircles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next); low.set(v, next); next++;
    stack.push(v); onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc: string[] = [];
    let w: string;
    do { w = stack.pop()!; onStack.delete(w); scc.push(w); } while (w !== v);
    if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) circles.push(scc.sort());
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return circles;
}

describe('imports form no circles', () => {
  it('finds a circle where there is one', () => {
    const g = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]);
    expect(importCircles(g)).toEqual([['a', 'b', 'c']]);
  });

  it('sim/ and app/ have none, type-only imports counted', () => {
    let appFiles: string[] = [];
    try { appFiles = walk(join(root, 'app')); } catch { appFiles = []; }
    const files = [...walk(join(root, 'sim')), ...appFiles];
    expect(files.length).toBeGreaterThan(50);
    const graph = new Map<string, string[]>();
    for (const f of files) graph.set(relative(root, f), importsOf(f).map((t) => relative(root, t)));
    // Each circle as its files, each with the files of the same circle that it imports.
    const circles = importCircles(graph)
      .map((scc) => scc.map((f) => `${f} -> ${graph.get(f)!.filter((t) => scc.includes(t)).join(', ')}`));
    expect(circles).toEqual([]);
  });

  it('app/model/ imports neither the store nor React', () => {
    let modelFiles: string[] = [];
    try { modelFiles = walk(join(root, 'app/model')); } catch { modelFiles = []; }
    const hits: string[] = [];
    for (const f of modelFiles) {
      for (const m of codeOnly(readFileSync(f, 'utf8')).matchAll(/from\s+['"]([^'"]+)['"]/g)) {
        if (/\/store\/|^(react|react-dom|zustand)(\/|$)/.test(m[1]!)) hits.push(`${relative(root, f)}: ${m[1]}`);
      }
    }
    expect(hits).toEqual([]);
  });
});
