import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../sim/engine/engine.ts';
import type { TraceEvent } from '../../../sim/trace/types.ts';

describe('engine', () => {
  it('runs events in (time, insertion) order and ends at untilUs', () => {
    const e = createEngine({ seed: 1 });
    const log: string[] = [];
    e.schedule(2000, () => log.push(`b@${e.now()}`));
    e.schedule(1000, () => {
      log.push(`a@${e.now()}`);
      e.schedule(2000, () => log.push(`c@${e.now()}`)); // same time as b, queued later
      e.schedule(1000, () => log.push(`a2@${e.now()}`));
    });
    e.schedule(5000, () => log.push('late'));
    e.runUntil(2000);
    expect(log).toEqual(['a@1000', 'a2@1000', 'b@2000', 'c@2000']);
    expect(e.now()).toBe(2000);
    expect(e.eventsProcessed).toBe(4);
    e.runUntil(4000);
    expect(e.now()).toBe(4000);
    expect(log).not.toContain('late');
    expect(() => e.schedule(3999, () => {})).toThrow();
  });

  it('emit builds {seq, tMs, kind, ...} in that key order, only with a sink', () => {
    const got: TraceEvent[] = [];
    const e = createEngine({ seed: 1, onEvent: (ev) => got.push(ev) });
    expect(e.wants('host.state')).toBe(true);
    e.schedule(1_234_567, () => e.emit({ kind: 'host.state', node: 'x', state: 'up' }));
    e.runUntil(2_000_000);
    e.emit({ kind: 'run.end', events: 1 });
    expect(got).toEqual([
      { seq: 0, tMs: 1234.567, kind: 'host.state', node: 'x', state: 'up' },
      { seq: 1, tMs: 2000, kind: 'run.end', events: 1 },
    ]);
    expect(Object.keys(got[0]!)).toEqual(['seq', 'tMs', 'kind', 'node', 'state']);
    expect(e.traceCount).toBe(2);
    expect(e.lastSeq).toBe(1);
    const silent = createEngine({ seed: 1 });
    expect(silent.wants('host.state')).toBe(false);
    silent.emit({ kind: 'run.end', events: 0 });
    expect(silent.traceCount).toBe(0);
  });

  it('timer slots: re-arming keeps one queue entry and fires at the last due time', () => {
    const e = createEngine({ seed: 1 });
    const fired: number[] = [];
    const t = e.timer(() => fired.push(e.now()));
    t.set(10_000);
    for (let i = 1; i <= 1000; i++) t.set(10_000 + i * 100);
    expect(e.pending).toBe(1);
    e.runUntil(50_000);
    expect(fired).toEqual([]);
    expect(e.eventsProcessed).toBe(0);
    e.runUntil(200_000);
    expect(fired).toEqual([110_000]);
    expect(t.due).toBe(null);
    expect(e.eventsProcessed).toBe(1);
  });

  it('timer slots: setting earlier supersedes the old entry; clear stops it', () => {
    const e = createEngine({ seed: 1 });
    const fired: number[] = [];
    const t = e.timer(() => fired.push(e.now()));
    t.set(50_000);
    t.set(20_000);
    e.runUntil(100_000);
    expect(fired).toEqual([20_000]);
    t.set(150_000);
    t.clear();
    e.runUntil(300_000);
    expect(fired).toEqual([20_000]);
    t.set(400_000);
    t.clear();
    t.set(500_000); // re-armed after a clear: fires once, at 500 ms
    e.runUntil(1_000_000);
    expect(fired).toEqual([20_000, 500_000]);
  });

  it('afterEach runs after every processed event', () => {
    const e = createEngine({ seed: 1 });
    const seen: number[] = [];
    e.afterEach(() => seen.push(e.now()));
    e.schedule(1, () => {});
    e.schedule(3, () => {});
    e.runUntil(10);
    expect(seen).toEqual([1, 3]);
  });

  it('throws when maxEvents is exceeded', () => {
    const e = createEngine({ seed: 1, maxEvents: 100 });
    const tick = (): void => e.schedule(e.now() + 1, tick);
    tick();
    expect(() => e.runUntil(1000)).toThrow(/event limit/);
  });
});

describe('traced timers', () => {
  const traced = () => {
    const got: TraceEvent[] = [];
    const e = createEngine({ seed: 1, onEvent: (ev) => got.push(ev) });
    return { e, got };
  };

  it('trace set, clear and fire with exactly the fields of the set, fire before the callback', () => {
    const { e, got } = traced();
    const order: string[] = [];
    const t = e.timer(() => order.push(`fn after ${got.at(-1)!.kind}`), { node: 'b', timer: 'broker.keepalive', conn: 'c/1', clientId: 'c' });
    t.set(1000);
    t.set(1000); // same due, same name: the queue entry moves, the trace says nothing
    t.set(2000);
    e.runUntil(3000);
    t.set(4000);
    t.clear('process crashed');
    t.clear(); // not armed: nothing
    expect(got.map((ev) => { const { seq: _s, ...rest } = ev; return rest; })).toEqual([
      { tMs: 0, kind: 'timer.set', node: 'b', timer: 'broker.keepalive', dueMs: 1, conn: 'c/1', clientId: 'c' },
      { tMs: 0, kind: 'timer.set', node: 'b', timer: 'broker.keepalive', dueMs: 2, conn: 'c/1', clientId: 'c' },
      { tMs: 2, kind: 'timer.fire', node: 'b', timer: 'broker.keepalive', conn: 'c/1', clientId: 'c' },
      { tMs: 3, kind: 'timer.set', node: 'b', timer: 'broker.keepalive', dueMs: 4, conn: 'c/1', clientId: 'c' },
      { tMs: 3, kind: 'timer.clear', node: 'b', timer: 'broker.keepalive', conn: 'c/1', clientId: 'c', why: 'process crashed' },
    ]);
    expect(order).toEqual(['fn after timer.fire']);
  });

  it('a set under another name moves the armed timer in one event naming what it replaces; another connection clears first', () => {
    const { e, got } = traced();
    const t = e.timer(() => {}, { node: 'c', timer: 'client.ping' });
    t.set(1000, undefined, 'c/1');
    t.set(2000, 'client.pingresp');
    t.set(3000, undefined, 'c/2');
    t.set(3000, undefined, null);
    t.clear();
    t.set(4000, 'client.ping'); // not armed: a plain set
    const row = (ev: (typeof got)[number]) =>
      [ev.kind, 'timer' in ev ? ev.timer : '', 'conn' in ev ? ev.conn : undefined, 'replaces' in ev ? ev.replaces : undefined];
    expect(got.map(row)).toEqual([
      ['timer.set', 'client.ping', 'c/1', undefined],
      ['timer.set', 'client.pingresp', 'c/1', 'client.ping'],
      ['timer.clear', 'client.pingresp', 'c/1', undefined],
      ['timer.set', 'client.pingresp', 'c/2', undefined],
      ['timer.clear', 'client.pingresp', 'c/2', undefined],
      ['timer.set', 'client.pingresp', undefined, undefined],
      ['timer.clear', 'client.pingresp', undefined, undefined],
      ['timer.set', 'client.ping', undefined, undefined],
    ]);
  });
});
