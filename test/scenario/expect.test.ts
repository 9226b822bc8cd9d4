// `expect` semantics (CONTRACT.md section 2): where-equality, count/atLeast/none, default atLeast 1, betweenMs.
import { describe, expect, it } from 'vitest';
import { checkExpectations } from '../../sim/scenario/expect.ts';
import type { Expectation } from '../../sim/scenario/types.ts';
import type { TraceEvent } from '../../sim/trace/types.ts';
import { traceToNdjson } from '../../sim/trace/ndjson.ts';

const will = (seq: number, tMs: number, clientId: string, cause = 'keepalive'): TraceEvent =>
  ({ seq, tMs, kind: 'will.published', node: 'broker', clientId, topic: `status/${clientId}`, cause }) as TraceEvent;

const trace: TraceEvent[] = [
  { seq: 0, tMs: 0, kind: 'action', do: 'power-off', node: 'sensor' } as TraceEvent,
  will(1, 35000.25, 'sensor-1'),
  will(2, 50000, 'other', 'takeover'),
  { seq: 3, tMs: 51000, kind: 'client.connected', node: 'sensor', conn: 'sensor/1', sessionPresent: false },
];

function run(...entries: Expectation[]) {
  return checkExpectations(entries, trace);
}

describe('checkExpectations', () => {
  it('matches where fields by equality and counts exactly', () => {
    expect(run({ kind: 'will.published', where: { clientId: 'sensor-1' }, count: 1 })).toEqual([
      { index: 0, ok: true, message: 'expect[0]: will.published where {"clientId":"sensor-1"}: count 1 held (saw 1)' },
    ]);
  });

  it('says what was seen when a count fails', () => {
    expect(run({ kind: 'will.published', where: { clientId: 'sensor-9' }, count: 1 })[0]).toEqual({
      index: 0, ok: false, message: 'expect[0]: will.published where {"clientId":"sensor-9"}: expected count 1, saw 0',
    });
    expect(run({ kind: 'will.published', count: 1 })[0]!.message)
      .toBe('expect[0]: will.published: expected count 1, saw 2 at 35000.25 ms (seq 1), 50000 ms (seq 2)');
  });

  it('requires every where field to match, including booleans; a missing field never matches', () => {
    const r = run(
      { kind: 'will.published', where: { clientId: 'other', cause: 'takeover' }, count: 1 },
      { kind: 'will.published', where: { clientId: 'other', cause: 'keepalive' }, count: 1 },
      { kind: 'client.connected', where: { sessionPresent: false }, count: 1 },
      { kind: 'client.connected', where: { sessionPresent: 'false' }, none: true },
      { kind: 'action', where: { reasonCode: null }, none: true },
    );
    expect(r.map((x) => x.ok)).toEqual([true, false, true, true, true]);
  });

  it('without count, atLeast or none means atLeast 1', () => {
    const r = run({ kind: 'client.connected' }, { kind: 'session.expired' });
    expect(r.map((x) => x.ok)).toEqual([true, false]);
    expect(r[1]!.message).toBe('expect[1]: session.expired: expected at least 1, saw 0');
  });

  it('checks atLeast and none', () => {
    const r = run({ kind: 'will.published', atLeast: 2 }, { kind: 'will.published', atLeast: 3 }, { kind: 'will.published', none: true });
    expect(r.map((x) => x.ok)).toEqual([true, false, false]);
    expect(r[2]!.message).toBe('expect[2]: will.published: expected none, saw 2 at 35000.25 ms (seq 1), 50000 ms (seq 2)');
  });

  it('betweenMs requires every selected event inside [lo, hi], inclusive', () => {
    const r = run(
      { kind: 'will.published', where: { clientId: 'sensor-1' }, count: 1, betweenMs: [30000, 40000] },
      { kind: 'will.published', atLeast: 1, betweenMs: [30000, 40000] },
      { kind: 'will.published', where: { clientId: 'other' }, betweenMs: [50000, 50000] },
      { kind: 'will.published', where: { clientId: 'sensor-1' }, betweenMs: [35001, 40000] },
    );
    expect(r.map((x) => x.ok)).toEqual([true, false, true, false]);
    expect(r[1]!.message).toBe('expect[1]: will.published between 30000 and 40000 ms: 1 of 2 selected events outside [30000, 40000]: at 50000 ms (seq 2)');
  });

  it('none with betweenMs and no events holds', () => {
    expect(run({ kind: 'session.expired', none: true, betweenMs: [0, 10] })[0]!.ok).toBe(true);
  });

  it('reports one result per entry, in order', () => {
    expect(run({ kind: 'action' }, { kind: 'action', count: 0 }, { kind: 'action' }).map((r) => r.index)).toEqual([0, 1, 2]);
  });
});

describe('traceToNdjson', () => {
  it('writes one JSON.stringify per event, each line ended by a newline', () => {
    const text = traceToNdjson(trace.slice(0, 2));
    expect(text).toBe('{"seq":0,"tMs":0,"kind":"action","do":"power-off","node":"sensor"}\n'
      + '{"seq":1,"tMs":35000.25,"kind":"will.published","node":"broker","clientId":"sensor-1","topic":"status/sensor-1","cause":"keepalive"}\n');
    expect(traceToNdjson([])).toBe('');
  });
});
