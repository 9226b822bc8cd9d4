// Property test (issue item 12): thousands of random and mutated scenario objects through
// parseScenario and, when accepted, runScenario. Nothing may throw; an accepted file must run to
// its end; a refused one must say where, with paths that point into the input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkExpectations } from '../../sim/scenario/expect.ts';
import { findJsonSyntaxError } from '../../sim/scenario/json-text.ts';
import { parseScenario, parseScenarioText } from '../../sim/scenario/parse.ts';
import type { ParseResult } from '../../sim/scenario/parse.ts';
import { resolveScenario } from '../../sim/scenario/resolve.ts';
import { runScenario } from '../../sim/run.ts';
import { contractExample, minimal, rich } from './fixtures.ts';

const BASES = [contractExample, minimal, rich];
type Key = string | number;

function allPaths(v: unknown, path: Key[] = [], out: Key[][] = []): Key[][] {
  out.push(path);
  if (Array.isArray(v)) v.forEach((x, i) => allPaths(x, [...path, i], out));
  else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) allPaths(x, [...path, k], out);
  return out;
}

function parentOf(root: unknown, path: Key[]): Record<Key, unknown> | null {
  let v: any = root;
  for (const k of path.slice(0, -1)) { v = v?.[k]; }
  return typeof v === 'object' && v !== null ? v : null;
}

const HOSTILE: unknown[] = [
  1e308, -1, 2 ** 53, 2 ** 32, 1.5, -0, NaN, Infinity, '', 'x'.repeat(70000), null, true, false, [], {},
  '10', 'broker', 'sensor', '#', 'a/+', '\u0000', '\uD800', [1, 2], ['sensor', 'broker'], ['broker', 'broker'], { delayMs: 1 }, 0, 1, 2, 3, 255, 256, 65535, 65536,
];
const KEYS = ['keepAlive', '__proto__', 'constructor', 'toString', 'qos', 'node', 'link', 'x', '', 'durationms', 'will'];

const op = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('delete', 'set', 'hostile', 'unknown-key', 'wrap', 'duplicate', 'stringify'),
  value: fc.jsonValue({ maxDepth: 2 }),
  hostile: fc.constantFrom(...HOSTILE),
  key: fc.constantFrom(...KEYS),
});

type Op = { at: number; kind: string; value: unknown; hostile: unknown; key: string };

function mutate(base: number, ops: Op[]): unknown {
  const root: any = { doc: BASES[base % BASES.length]!() };
  for (const o of ops) {
    const paths = allPaths(root.doc, ['doc']);
    const path = paths[o.at % paths.length]!;
    const parent = parentOf(root, path);
    const last = path[path.length - 1]!;
    if (parent === null) continue;
    const target = parent[last];
    switch (o.kind) {
      case 'delete':
        if (Array.isArray(parent)) parent.splice(Number(last), 1); else delete parent[last];
        break;
      case 'set': parent[last] = o.value; break;
      case 'hostile': parent[last] = o.hostile; break;
      case 'unknown-key':
        if (typeof target === 'object' && target !== null && !Array.isArray(target)) {
          Object.defineProperty(target, o.key, { value: o.value, enumerable: true, configurable: true, writable: true });
        }
        break;
      case 'wrap': parent[last] = [target]; break;
      case 'duplicate': if (Array.isArray(target) && target.length > 0) target.push(structuredClone(target[0])); break;
      case 'stringify': parent[last] = JSON.stringify(target) ?? 'undefined'; break;
    }
  }
  return root.doc;
}

const PATH = /^(\(root\)|[A-Za-z_$][\w$]*)((\.[A-Za-z_$][\w$]*)|(\[\d+\])|(\["(?:[^"\\]|\\.)*"\]))*$/;

/** Splits `clients[0].will["a b"]` into ['clients', 0, 'will', 'a b']. */
function pathKeys(path: string): Key[] {
  const keys: Key[] = [];
  const re = /^(\(root\)|[A-Za-z_$][\w$]*)|\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;
  for (const m of path.matchAll(re)) {
    if (m[1] !== undefined) { if (m[1] !== '(root)') keys.push(m[1]); }
    else if (m[2] !== undefined) keys.push(m[2]);
    else if (m[3] !== undefined) keys.push(Number(m[3]));
    else if (m[4] !== undefined) keys.push(JSON.parse(m[4]) as string);
  }
  return keys;
}

/** Every key but the last of a problem's path exists in the input (the last may be a missing one). */
function pointsInto(input: unknown, path: string): boolean {
  let v: unknown = input;
  const keys = pathKeys(path);
  for (const k of keys.slice(0, -1)) {
    if (typeof v !== 'object' || v === null) return false;
    const own = Object.getOwnPropertyDescriptor(v, k);
    if (own === undefined) return false;
    v = own.value;
  }
  return keys.length === 0 || (typeof v === 'object' && v !== null);
}

function checkRefusal(input: unknown, r: ParseResult): void {
  if (r.ok) return;
  expect(r.problems.length).toBeGreaterThan(0);
  for (const p of r.problems) {
    expect(p.path).toMatch(PATH);
    expect(p.message).not.toMatch(/internal error/);
    expect(p.message.length).toBeGreaterThan(0);
    expect(pointsInto(input, p.path), `${p.path} does not point into the input`).toBe(true);
  }
}

let accepted = 0;
let refused = 0;

describe('parseScenario + runScenario on random and mutated scenarios', () => {
  it('never throw; accepted files run to the end, refused ones name a path into the input', () => {
    fc.assert(fc.property(fc.nat(), fc.array(op, { minLength: 0, maxLength: 4 }), (base, ops) => {
      const input = mutate(base, ops);
      const r = parseScenario(input);
      if (!r.ok) { refused++; checkRefusal(input, r); return; }
      accepted++;
      const resolved = resolveScenario(r.scenario);
      const untilMs = Math.min(resolved.durationMs, 20_000);
      const result = runScenario(resolved, { untilMs, maxEvents: 2_000_000 });
      expect(result.summary.endMs).toBe(untilMs);
      expect(result.trace[result.trace.length - 1]?.kind).toBe('run.end');
      expect(checkExpectations(resolved.expect, result.trace)).toHaveLength(resolved.expect.length);
    }), { numRuns: 2500, seed: 20260101 });
    // Both branches were exercised in earnest.
    expect(accepted).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(1000);
  });

  it('never throw on arbitrary values', () => {
    fc.assert(fc.property(fc.anything({ maxDepth: 3, withNullPrototype: true, withBigInt: true }), (v) => {
      checkRefusal(v, parseScenario(v));
    }), { numRuns: 3000, seed: 7 });
  });
});

describe('parseScenarioText on broken text', () => {
  const valid = JSON.stringify(contractExample(), null, 2);
  it('reports invalid JSON with line and column exactly when JSON.parse refuses it', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ at: fc.nat(), cut: fc.nat({ max: 3 }), insert: fc.constantFrom('', '{', '}', '[', ']', ',', ':', '"', "'", '0', '-', 'a', '\n', '\\', '\u0001', ' ') }), { minLength: 1, maxLength: 3 }),
      (edits) => {
        let text = valid;
        for (const e of edits) { const i = e.at % (text.length + 1); text = text.slice(0, i) + e.insert + text.slice(i + e.cut); }
        let parses = true;
        try { JSON.parse(text); } catch { parses = false; }
        expect(findJsonSyntaxError(text) === null).toBe(parses);
        const r = parseScenarioText(text);
        if (!parses) {
          expect(r.ok).toBe(false);
          expect(r.ok ? '' : r.problems[0]!.message).toMatch(/^invalid JSON at line \d+, column \d+: /);
        } else checkRefusal(JSON.parse(text), r);
      },
    ), { numRuns: 2000, seed: 99 });
  });

  it('agrees with JSON.parse on random strings and on any valid JSON', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 40 }), fc.json({ maxDepth: 4 })), (text) => {
      let parses = true;
      try { JSON.parse(text); } catch { parses = false; }
      expect(findJsonSyntaxError(text) === null).toBe(parses);
      parseScenarioText(text);
    }), { numRuns: 3000, seed: 5 });
  });
});
