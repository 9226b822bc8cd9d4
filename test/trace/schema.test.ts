// The trace schema (sim/trace/schema.ts) is the one list of kinds and fields: the docs are
// generated from it, the runtime check follows it, and the compiler holds emit sites to it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eventProblems } from '../../sim/trace/check.ts';
import { renderTraceDoc } from '../../sim/trace/doc.ts';
import { EVENT_FIELDS, fieldsOfKind, LIST_FIELDS } from '../../sim/trace/fields.ts';
import { TRACE_SCHEMA } from '../../sim/trace/schema.ts';
import type { EventOf, TraceEvent, TraceFields } from '../../sim/trace/types.ts';

const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const KINDS = Object.keys(TRACE_SCHEMA);

describe('documentation generated from the schema', () => {
  it('sim/trace/README.md is up to date (else run `npx tsx test/trace/write-doc.ts`)', () => {
    expect(read('sim/trace/README.md')).toBe(renderTraceDoc());
  });

  it('the "Traces" table of README.md names exactly the schema\'s kinds', () => {
    const section = read('README.md').split(/^## /m).find((s) => s.startsWith('Traces\n'));
    expect(section).toBeDefined();
    const named = section!.split('\n').filter((l) => l.startsWith('| `'))
      .flatMap((l) => [...l.split('|')[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
    expect(new Set(named).size, 'a kind named twice').toBe(named.length);
    expect([...named].sort()).toEqual([...KINDS].sort());
  });
});

describe('tables derived from the schema', () => {
  it('lists each kind\'s fields in schema order, plus why, rule and profile', () => {
    expect(EVENT_FIELDS['conn.closed']).toEqual(['node', 'peer', 'conn', 'cause', 'host']);
    expect(fieldsOfKind('session.expired')).toEqual(['node', 'clientId', 'why', 'rule', 'profile']);
    expect([...LIST_FIELDS].sort()).toEqual(['granted', 'link', 'packets', 'subscriptions', 'topics']);
  });
});

describe('eventProblems', () => {
  const closed = { seq: 3, tMs: 1.5, kind: 'conn.closed', node: 'a', peer: 'b', conn: 'c1', cause: 'rst' };

  it('accepts a valid event, with common fields anywhere after kind', () => {
    expect(eventProblems(closed)).toEqual([]);
    expect(eventProblems({ seq: 0, tMs: 0, kind: 'conn.closed', why: 'x', node: 'a', peer: 'b', conn: 'c1', cause: 'fin' })).toEqual([]);
    expect(eventProblems({ seq: 0, tMs: 0, kind: 'broker.protocol-error', node: 'b', conn: 'c1', clientId: null })).toEqual([]);
  });

  it('names unknown kinds and fields, missing required fields, wrong types and order', () => {
    expect(eventProblems({ seq: 0, tMs: 0, kind: 'conn.close' })).toEqual(['kind "conn.close" is not a trace event kind']);
    expect(eventProblems({ ...closed, cause: 'reset', extra: 1 })).toEqual([
      'conn.closed.cause is not one of "fin", "rst", "timeout", "local": "reset"',
      'conn.closed has no field extra',
    ]);
    expect(eventProblems({ seq: 0, tMs: 0, kind: 'conn.closed', peer: 'b', node: 'a', conn: 'c1' })).toEqual([
      'conn.closed.node comes after peer, against the schema\'s order',
      'conn.closed lacks its required field cause',
    ]);
    expect(eventProblems({ kind: 'run.end', seq: 0, tMs: 0, events: '1' })).toEqual([
      'does not start with seq, tMs, kind', 'run.end.events is not a finite number: "1"',
    ]);
    expect(eventProblems({ seq: 0, tMs: 0, kind: 'nat.expired', link: ['a'], conn: 'c1' })).toEqual([
      'nat.expired.link is not a pair of strings: ["a"]',
    ]);
  });
});

describe('types derived from the schema (checked by tsc, not run)', () => {
  it('narrow by kind and refuse fields a kind does not declare', () => {
    const ok: TraceFields[] = [
      { kind: 'conn.closed', node: 'a', peer: 'b', conn: 'c1', cause: 'timeout', why: 'x' },
      { kind: 'timer.set', node: 'a', timer: 'tcp.rto', dueMs: 1, conn: 'c1' },
      { kind: 'action', do: 'cut', link: ['a', 'b'], direction: 'a->b' },
    ];
    const bad: TraceFields[] = [
      // @ts-expect-error cause is one of fin, rst, timeout, local
      { kind: 'conn.closed', node: 'a', peer: 'b', conn: 'c1', cause: 'reset' },
      // @ts-expect-error conn.closed has no field reason
      { kind: 'conn.closed', node: 'a', peer: 'b', conn: 'c1', cause: 'rst', reason: 'x' },
      // @ts-expect-error the required field dueMs is missing
      { kind: 'timer.set', node: 'a', timer: 'tcp.rto' },
      // @ts-expect-error not a timer name
      { kind: 'timer.clear', node: 'a', timer: 'tcp.rtx' },
      // @ts-expect-error not a kind
      { kind: 'conn.close', node: 'a' },
    ];
    const describe = (e: TraceEvent): string => (e.kind === 'will.published' ? `${e.clientId} ${e.cause}` : e.kind);
    const will: EventOf<'will.published'> = { seq: 0, tMs: 0, kind: 'will.published', node: 'b', clientId: 'c', topic: 't', cause: 'keepalive' };
    expect(describe(will)).toBe('c keepalive');
    expect(ok.length + bad.length).toBe(8);
  });
});
