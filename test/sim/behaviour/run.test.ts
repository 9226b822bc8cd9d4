import { describe, expect, it } from 'vitest';
import { createInvariantChecker, InvariantViolation } from '../../../sim/invariants.ts';
import type { ResolvedLink } from '../../../sim/scenario/types.ts';
import type { TraceEvent } from '../../../sim/trace/types.ts';
import { run, scenario } from './helpers.ts';

const busy = () => scenario({
  durationMs: 30_000, seed: 7,
  links: [{ between: ['sensor', 'broker'], latencyMs: 15, jitterMs: 5, loss: 0.1 }],
  clients: [
    { id: 'sensor', keepAliveSeconds: 5, will: { topic: 'status/sensor', payload: 'offline' },
      publish: [{ topic: 't/temp', payload: '21.5', qos: 1, everyMs: 1000 }] },
    { id: 'watcher', subscriptions: [{ topic: '#', qos: 1 }] },
  ],
  actions: [
    { atMs: 10_000, do: 'cut', link: ['sensor', 'broker'], direction: 'a->b' },
    { atMs: 20_000, do: 'heal', link: ['sensor', 'broker'] },
    { atMs: 22_000, do: 'set-link', link: ['sensor', 'broker'], latencyMs: 50 },
  ],
});

describe('runScenario', () => {
  it('is deterministic: same scenario and seed give an identical trace', () => {
    const a = JSON.stringify(run(busy()).trace);
    const b = JSON.stringify(run(busy()).trace);
    expect(a).toBe(b);
    expect(JSON.stringify(run(busy(), { seed: 8 }).trace)).not.toBe(a);
  });

  it('emits action events before their effects and ends with run.end', () => {
    const r = run(busy());
    const actions = r.events('action');
    expect(actions.map((e) => [e.tMs, e.do])).toEqual([[10_000, 'cut'], [20_000, 'heal'], [22_000, 'set-link']]);
    expect(actions[0]).toMatchObject({ link: ['sensor', 'broker'], direction: 'a->b' });
    expect(actions[2]).toMatchObject({ latencyMs: 50 });
    const last = r.trace[r.trace.length - 1]!;
    expect(last.kind).toBe('run.end');
    expect(last.tMs).toBe(30_000);
    expect(r.trace.map((e) => e.seq)).toEqual(r.trace.map((_, i) => i));
  });

  it('mqtt events carry real wire sizes and numeric fields', () => {
    const r = run(busy());
    const pub = r.events('mqtt.send', { node: 'sensor', packet: 'PUBLISH' })[0]!;
    // 2-byte fixed header + topic (2 + 6) + packet id 2 + payload 4
    expect(pub).toMatchObject({ topic: 't/temp', payload: '21.5', qos: 1, messageId: 1, bytes: 16, peer: 'broker' });
    expect(r.events('mqtt.send', { packet: 'PINGREQ' })[0]!.bytes).toBe(2);
  });

  it('honours untilMs, brokerProfile, keepTrace and onEvent', () => {
    const seen: TraceEvent[] = [];
    const r = run(busy(), { untilMs: 5_000, brokerProfile: 'aedes', keepTrace: false, onEvent: (e) => seen.push(e) });
    expect(r.trace).toEqual([]);
    expect(seen[seen.length - 1]).toMatchObject({ kind: 'run.end', tMs: 5_000 });
    expect(r.summary).toMatchObject({ brokerProfile: 'aedes', endMs: 5_000, seed: 7, traceEvents: seen.length });
  });

  it('records the wire when asked', () => {
    const r = run(busy(), { recordWire: true, untilMs: 2_000 });
    expect(r.wire.length).toBeGreaterThan(5);
    expect(r.addresses.broker).toHaveLength(4);
  });
});

describe('invariants', () => {
  const links: ResolvedLink[] = [{ between: ['c', 'broker'], latencyMs: 10, jitterMs: 0, loss: 0, natIdleTimeoutMs: null }];
  let seq = 0;
  const ev = (tMs: number, fields: Record<string, unknown>) => ({ seq: seq++, tMs, ...fields }) as unknown as TraceEvent;

  it('one live connection per ClientId', () => {
    const k = createInvariantChecker(3, 'broker', links);
    k.onEvent(ev(1, { kind: 'mqtt.send', node: 'broker', packet: 'CONNACK', reasonCode: 0, clientId: 'x', conn: 'c/1' }));
    let err: unknown;
    try {
      k.onEvent(ev(2, { kind: 'mqtt.send', node: 'broker', packet: 'CONNACK', reasonCode: 0, clientId: 'x', conn: 'c/2' }));
    } catch (e) { err = e; }
    expect(err).toBeInstanceOf(InvariantViolation);
    const v = err as InvariantViolation;
    expect(v.info).toMatchObject({ invariant: 'one-live-connection-per-clientid', seed: 3, tMs: 2 });
    expect(v.message).toContain('seed 3');
    expect(v.message).toContain(`#${v.info.eventIndex}`);
    expect(v.message).toContain('--seed 3');
    // after a takeover the second connection is fine
    const ok = createInvariantChecker(3, 'broker', links);
    ok.onEvent(ev(1, { kind: 'mqtt.send', node: 'broker', packet: 'CONNACK', reasonCode: 0, clientId: 'x', conn: 'c/1' }));
    ok.onEvent(ev(2, { kind: 'broker.takeover', oldConn: 'c/1', newConn: 'c/2' }));
    ok.onEvent(ev(2, { kind: 'mqtt.send', node: 'broker', packet: 'CONNACK', reasonCode: 0, clientId: 'x', conn: 'c/2' }));
  });

  it('segments never beat the link latency', () => {
    const k = createInvariantChecker(1, 'broker', links);
    k.onEvent(ev(100, { kind: 'seg.send', id: 1, node: 'c', peer: 'broker' }));
    k.onEvent(ev(110, { kind: 'seg.deliver', id: 1, node: 'c', peer: 'broker' }));
    k.onEvent(ev(200, { kind: 'seg.send', id: 2, node: 'c', peer: 'broker' }));
    expect(() => k.onEvent(ev(209.999, { kind: 'seg.deliver', id: 2, node: 'c', peer: 'broker' })))
      .toThrow(/segment-latency/);
  });

  it('a Will at most once per connection; time never goes back', () => {
    const k = createInvariantChecker(1, 'broker', links);
    k.onEvent(ev(5, { kind: 'will.published', clientId: 'x', conn: 'c/1' }));
    expect(() => k.onEvent(ev(6, { kind: 'will.published', clientId: 'x', conn: 'c/1' }))).toThrow(/will-once/);
    const t = createInvariantChecker(1, 'broker', links);
    t.onEvent(ev(5, { kind: 'action' }));
    expect(() => t.onEvent(ev(4, { kind: 'action' }))).toThrow(/time-monotonic/);
  });

  it('no keep-alive deadline for a closed connection', () => {
    const k = createInvariantChecker(1, 'broker', links);
    k.onEvent(ev(5, { kind: 'timer.set', node: 'broker', timer: 'broker.keepalive', conn: 'c/1', dueMs: 20 }));
    k.onEvent(ev(6, { kind: 'conn.closed', node: 'broker', conn: 'c/1' }));
    expect(() => k.afterEach(6000, 1)).toThrow(/no-keepalive-deadline-after-close/);
    const ok = createInvariantChecker(1, 'broker', links);
    ok.onEvent(ev(5, { kind: 'timer.set', node: 'broker', timer: 'broker.keepalive', conn: 'c/1', dueMs: 20 }));
    ok.onEvent(ev(6, { kind: 'conn.closed', node: 'broker', conn: 'c/1' }));
    ok.onEvent(ev(6, { kind: 'timer.clear', node: 'broker', timer: 'broker.keepalive', conn: 'c/1' }));
    ok.afterEach(6000, 2);
  });
});
