/**
 * House rules, checked mechanically (like TigerBeetle's tidy.zig):
 * - sim/ is pure: no wall clock, no ambient randomness, no engine-dependent Math, no DOM,
 *   no Node, no UI libraries, nothing from app/. Only sim/cli/ (the command line) may use Node.
 * - app/ reaches the simulator only through sim/index.ts.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

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
