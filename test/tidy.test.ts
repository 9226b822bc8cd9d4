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

/**
 * The app's layers: app/view-model/ builds what the views draw (pure: no React, no DOM, no
 * canvas, no painting code), app/timeline/ and the other view folders paint it, and the
 * worker (app/worker/) runs the simulator and the view-model builders, never view code.
 */
describe('the worker and the view-model import no view code', () => {
  const viewCode = /\/(timeline|topology|inspector|log|controls|scenarios|lessons|store|playback)\/|\.tsx$|^(react|react-dom|zustand|d3-[\w-]+)(\/|$)/;
  const domGlobals = /\b(window|document|navigator|localStorage|sessionStorage|requestAnimationFrame|getComputedStyle|HTMLElement|HTMLCanvasElement|CanvasRenderingContext2D|OffscreenCanvas|Path2D|ResizeObserver)\b/;
  const layerFiles = (): string[] => ['app/worker', 'app/view-model'].flatMap((d) => {
    try { return walk(join(root, d)); } catch { return []; }
  });

  it('has files in both folders', () => {
    const files = layerFiles().map((f) => relative(root, f));
    expect(files.some((f) => f.startsWith('app/worker/'))).toBe(true);
    expect(files.some((f) => f.startsWith('app/view-model/'))).toBe(true);
  });

  it('imports nothing from the view folders, React, zustand or d3', () => {
    const hits: string[] = [];
    for (const f of layerFiles()) {
      for (const m of codeOnly(readFileSync(f, 'utf8')).matchAll(/(?:from\s+|import\(\s*)['"]([^'"]+)['"]/g)) {
        if (viewCode.test(m[1]!)) hits.push(`${relative(root, f)}: ${m[1]}`);
      }
    }
    expect(hits).toEqual([]);
  });

  it('uses no DOM or canvas global', () => {
    const hits: string[] = [];
    for (const f of layerFiles()) {
      codeOnly(readFileSync(f, 'utf8')).split('\n').forEach((line, i) => {
        if (domGlobals.test(line)) hits.push(`${relative(root, f)}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(hits).toEqual([]);
  });

  it('would catch a painting import', () => {
    expect(viewCode.test('../timeline/drawScene.ts')).toBe(true);
    expect(viewCode.test('react')).toBe(true);
    expect(viewCode.test('../model/format.ts')).toBe(false);
    expect(domGlobals.test('const c = document.createElement("canvas")')).toBe(true);
  });
});

/**
 * Data derived from a run lives in the store (`derived`, `cursorWorld`: app/store/runSlice.ts),
 * replaced when the next run installs; a module-level Map or WeakMap would be a second home
 * for it, outliving the run. The ones below hold no run data. sim/world keeps none at all.
 */
describe('app/ keeps no module-level caches of run data', () => {
  const ALLOWED: Record<string, string> = {
    'app/timeline/canvasCache.ts widths': 'measured text widths per canvas font: painting, the same for every run',
    'app/timeline/drawScene.ts patterns': 'hatch patterns per canvas context: painting resources',
    'app/timeline/drawArrows.ts lastX1': 'scratch buffer reused by each paint, emptied every frame',
    'app/timeline/drawArrows.ts lastX2': 'scratch buffer reused by each paint, emptied every frame',
    'app/view-model/itemLookup.ts CODE': 'a constant table (item type -> code), never written',
    'app/lessons/lessonStore.ts lessonCache': 'lesson files fetched once per session: documents, not run data',
  };

  it('finds none but the listed ones', () => {
    const found: string[] = [];
    for (const f of walk(join(root, 'app'))) {
      for (const m of codeOnly(readFileSync(f, 'utf8')).matchAll(/^(?:export\s+)?(?:const|let|var)\s+([\w$]+)\b[^=\n]*=\s*new\s+(?:Weak)?Map\b/gm)) {
        found.push(`${relative(root, f)} ${m[1]}`);
      }
    }
    expect(found.filter((k) => !(k in ALLOWED))).toEqual([]);
    // An exception that no longer exists is taken off the list.
    expect(Object.keys(ALLOWED).filter((k) => !found.includes(k))).toEqual([]);
  });

  it('nor does sim/world: whoever moves a cursor holds its own World', () => {
    const found: string[] = [];
    for (const f of walk(join(root, 'sim/world'))) {
      for (const m of codeOnly(readFileSync(f, 'utf8')).matchAll(/^(?:export\s+)?(?:const|let|var)\s+([\w$]+)\b[^=\n]*=\s*new\s+(?:Weak)?(?:Map|Set)\b/gm)) {
        found.push(`${relative(root, f)} ${m[1]}`);
      }
    }
    expect(found).toEqual([]);
  });
});

/**
 * The app states no simulator rule in its own words: what a fault does, when the broker gives
 * up, what happens to a Will are the simulator's sentences (`why` in the trace) or sim/world's
 * state. A few phrases that such restatements used are searched for in app/ code (comments
 * aside). app/lessons/ (lesson texts) and defaultScenario.ts (a scenario's own description) are
 * documents written for a student, not the app deciding what happened.
 */
describe('app/ restates no simulator rule', () => {
  const phrases = /\d(\.\d+)?\s*[×x]\s*(the\s+)?keep-?alive|kernel\s+(closes|closed|sends)|(forgets?|forgotten|keeps)\s+(its\s+|the\s+)?(tcp\s+)?timers|publishes the will/i;
  const ALLOWED: Record<string, string> = {
    'app/controls/faultMenu.ts': 'the fault menu says what each fault is before it is injected (as sim/scenario/README.md\'s action table does)',
  };

  it('would catch the sentences it replaced', () => {
    expect(phrases.test('the broker heard nothing for 1.5 × keep-alive')).toBe(true);
    expect(phrases.test('its kernel closes the socket (FIN)')).toBe(true);
    expect(phrases.test('a crash keeps its TCP timers')).toBe(true);
  });

  it('finds none outside the listed files', () => {
    const hits: string[] = [];
    for (const f of walk(join(root, 'app'))) {
      const rel = relative(root, f);
      if (rel.startsWith('app/lessons/') || rel === 'app/defaultScenario.ts' || rel in ALLOWED) continue;
      codeOnly(readFileSync(f, 'utf8')).split('\n').forEach((line, i) => {
        if (phrases.test(line)) hits.push(`${rel}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(hits).toEqual([]);
  });
});
