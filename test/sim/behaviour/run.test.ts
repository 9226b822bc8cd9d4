import { describe, expect, it } from 'vitest';
import { createInvariantChecker, InvariantViolation } from '../../../sim/invariants.ts';
import type { InvariantChecker } from '../../../sim/invariants.ts';
import { resolveScenario } from '../../../sim/scenario/resolve.ts';
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
  // The checker reads the world reduced from the events (sim/world), so a violation is
  // injected as the trace would show it: a CONNECT, its session and CONNACK, then the wrong step.
  const resolved = resolveScenario(scenario({
    links: [{ between: ['c', 'broker'], latencyMs: 10 }],
    clients: [{ id: 'c', clientId: 'x', will: { topic: 'status/c', payload: 'offline' } }],
  }));
  let seq = 0;
  const ev = (tMs: number, fields: Record<string, unknown>) => ({ seq: seq++, tMs, ...fields }) as unknown as TraceEvent;
  const checker = (s = 3) => createInvariantChecker(s, resolved);
  /** The broker accepts ClientId x on `conn` (with a Will on status/c). */
  const accept = (k: InvariantChecker, tMs: number, conn: string, fresh = true) => {
    k.onEvent(ev(tMs, { kind: 'mqtt.recv', node: 'broker', peer: 'c', conn, packet: 'CONNECT', clientId: 'x', keepAliveSeconds: 60, willTopic: 'status/c', bytes: 30 }));
    if (fresh) k.onEvent(ev(tMs, { kind: 'session.created', node: 'broker', clientId: 'x' }));
    k.onEvent(ev(tMs, { kind: 'mqtt.send', node: 'broker', peer: 'c', conn, packet: 'CONNACK', clientId: 'x', reasonCode: 0, sessionPresent: false, bytes: 4 }));
  };

  it('one live connection per ClientId', () => {
    const k = checker(3);
    accept(k, 1, 'c/1');
    let err: unknown;
    try {
      accept(k, 2, 'c/2', false);
    } catch (e) { err = e; }
    expect(err).toBeInstanceOf(InvariantViolation);
    const v = err as InvariantViolation;
    expect(v.info).toMatchObject({ invariant: 'one-live-connection-per-clientid', seed: 3, tMs: 2 });
    expect(v.message).toContain('c/1 was still live');
    expect(v.message).toContain('seed 3');
    expect(v.message).toContain(`#${v.info.eventIndex}`);
    expect(v.message).toContain('--seed 3');
    // after a takeover the second connection is fine
    const ok = checker(3);
    accept(ok, 1, 'c/1');
    ok.onEvent(ev(2, { kind: 'mqtt.recv', node: 'broker', peer: 'c', conn: 'c/2', packet: 'CONNECT', clientId: 'x', keepAliveSeconds: 60, bytes: 20 }));
    ok.onEvent(ev(2, { kind: 'broker.takeover', node: 'broker', clientId: 'x', oldConn: 'c/1', newConn: 'c/2' }));
    ok.onEvent(ev(2, { kind: 'mqtt.send', node: 'broker', peer: 'c', conn: 'c/2', packet: 'CONNACK', clientId: 'x', reasonCode: 0, sessionPresent: true, bytes: 4 }));
    // and so is one after the broker closed the first
    const closed = checker(3);
    accept(closed, 1, 'c/1');
    closed.onEvent(ev(2, { kind: 'conn.closed', node: 'broker', peer: 'c', conn: 'c/1', cause: 'fin' }));
    accept(closed, 3, 'c/2');
  });

  it('segments never beat the link latency', () => {
    const k = checker(1);
    const seg = (id: number) => ({ id, node: 'c', peer: 'broker', conn: 'c/1' });
    k.onEvent(ev(100, { kind: 'seg.send', ...seg(1), flags: 'ACK', tcpSeq: 0, ack: 0, len: 0 }));
    k.onEvent(ev(110, { kind: 'seg.deliver', ...seg(1) }));
    k.onEvent(ev(200, { kind: 'seg.send', ...seg(2), flags: 'ACK', tcpSeq: 0, ack: 0, len: 0 }));
    expect(() => k.onEvent(ev(209.999, { kind: 'seg.deliver', ...seg(2) })))
      .toThrow(/segment-latency.*segment 2 from c to broker arrived at 209.999 ms, before its link latency allows \(210 ms\)/);
    // The latency in force when the segment left counts (a set-link while it flies does not).
    const s = checker(1);
    s.onEvent(ev(100, { kind: 'seg.send', ...seg(3), flags: 'ACK', tcpSeq: 0, ack: 0, len: 0 }));
    s.onEvent(ev(101, { kind: 'action', do: 'set-link', link: ['c', 'broker'], latencyMs: 50 }));
    s.onEvent(ev(110, { kind: 'seg.deliver', ...seg(3) }));
    s.onEvent(ev(120, { kind: 'seg.send', ...seg(4), flags: 'ACK', tcpSeq: 0, ack: 0, len: 0 }));
    expect(() => s.onEvent(ev(160, { kind: 'seg.deliver', ...seg(4) }))).toThrow(/segment-latency/);
  });

  it('a Will at most once per connection; time never goes back', () => {
    const k = checker(1);
    accept(k, 1, 'c/1');
    const published = { kind: 'will.published', node: 'broker', clientId: 'x', topic: 'status/c', cause: 'keepalive', conn: 'c/1' };
    k.onEvent(ev(5, published));
    expect(() => k.onEvent(ev(6, published))).toThrow(/will-once-per-connection.*Will of x on c\/1 was published a second time/);
    // The next connection's Will is its own.
    const next = checker(1);
    accept(next, 1, 'c/1');
    next.onEvent(ev(5, published));
    next.onEvent(ev(6, { kind: 'conn.closed', node: 'broker', peer: 'c', conn: 'c/1', cause: 'fin' }));
    accept(next, 7, 'c/2', false);
    next.onEvent(ev(9, { ...published, conn: 'c/2' }));
    // ...and the old connection's Will, published again after the client came back on c/2, is caught:
    // the session's Will is c/2's by then, so only the world's record of every published Will knows.
    expect(() => next.onEvent(ev(10, published))).toThrow(/will-once-per-connection.*Will of x on c\/1 was published a second time/);
    const back = checker(1);
    accept(back, 1, 'c/1');
    back.onEvent(ev(5, published));
    back.onEvent(ev(6, { kind: 'conn.closed', node: 'broker', peer: 'c', conn: 'c/1', cause: 'fin' }));
    accept(back, 7, 'c/2', false);
    expect(() => back.onEvent(ev(8, published))).toThrow(/will-once-per-connection.*Will of x on c\/1/);
    const t = checker(1);
    t.onEvent(ev(5, { kind: 'action', do: 'connect', node: 'c' }));
    expect(() => t.onEvent(ev(4, { kind: 'action', do: 'connect', node: 'c' }))).toThrow(/time-monotonic/);
  });

  it('no keep-alive deadline for a closed connection', () => {
    const deadline = { kind: 'timer.set', node: 'broker', timer: 'broker.keepalive', conn: 'c/1', clientId: 'x', dueMs: 20 };
    const closed = { kind: 'conn.closed', node: 'broker', peer: 'c', conn: 'c/1', cause: 'fin' };
    const k = checker(1);
    k.onEvent(ev(5, deadline));
    k.onEvent(ev(6, closed));
    expect(() => k.afterEach(6000, 1)).toThrow(/no-keepalive-deadline-after-close.*deadline for c\/1, which it has closed/);
    const ok = checker(1);
    ok.onEvent(ev(5, deadline));
    ok.onEvent(ev(6, closed));
    ok.onEvent(ev(6, { kind: 'timer.clear', node: 'broker', timer: 'broker.keepalive', conn: 'c/1', clientId: 'x' }));
    ok.afterEach(6000, 2);
    // A deadline that went off is gone too (timer.fire).
    const fired = checker(1);
    fired.onEvent(ev(5, deadline));
    fired.onEvent(ev(20, { kind: 'timer.fire', node: 'broker', timer: 'broker.keepalive', conn: 'c/1', clientId: 'x' }));
    fired.onEvent(ev(20, closed));
    fired.afterEach(20_000, 2);
    // Other timers naming the connection are not keep-alive deadlines: the checker's world
    // holds only the timers it reads, whoever hands it the events.
    const tcp = checker(1);
    tcp.onEvent(ev(5, { kind: 'timer.set', node: 'broker', timer: 'tcp.rto', conn: 'c/1', dueMs: 205 }));
    tcp.onEvent(ev(6, closed));
    tcp.afterEach(6000, 1);
  });

  it('still catches what it catches about a connection its world has forgotten (both ends CLOSED and closed)', () => {
    // The checker's world drops a finished connection's entries (sim/world/apply.ts forgetEnd).
    const finish = (k: InvariantChecker, tMs: number, conn: string) => {
      for (const [node, peer] of [['broker', 'c'], ['c', 'broker']]) {
        k.onEvent(ev(tMs, { kind: 'tcp.state', node, peer, conn, from: 'ESTABLISHED', to: 'CLOSED' }));
        k.onEvent(ev(tMs, { kind: 'conn.closed', node, peer, conn, cause: 'rst' }));
      }
    };
    const published = { kind: 'will.published', node: 'broker', clientId: 'x', topic: 'status/c', cause: 'keepalive', conn: 'c/1' };
    const k = checker(1);
    for (const [node, peer] of [['broker', 'c'], ['c', 'broker']]) k.onEvent(ev(1, { kind: 'conn.open', node, peer, conn: 'c/1' }));
    accept(k, 1, 'c/1');
    k.onEvent(ev(5, published));
    finish(k, 6, 'c/1');
    accept(k, 7, 'c/2', false);
    expect(() => k.onEvent(ev(10, published))).toThrow(/will-once-per-connection.*Will of x on c\/1 was published a second time/);
    // A keep-alive deadline still armed when the broker's end is finished and forgotten.
    const d = checker(1);
    d.onEvent(ev(5, { kind: 'timer.set', node: 'broker', timer: 'broker.keepalive', conn: 'c/1', clientId: 'x', dueMs: 20 }));
    finish(d, 6, 'c/1');
    expect(() => d.afterEach(6000, 4)).toThrow(/no-keepalive-deadline-after-close.*deadline for c\/1/);
    // ...and cleared right after, in the same engine event: its timer.clear still finds it.
    const ok = checker(1);
    ok.onEvent(ev(5, { kind: 'timer.set', node: 'broker', timer: 'broker.keepalive', conn: 'c/1', clientId: 'x', dueMs: 20 }));
    finish(ok, 6, 'c/1');
    ok.onEvent(ev(6, { kind: 'timer.clear', node: 'broker', timer: 'broker.keepalive', conn: 'c/1', clientId: 'x' }));
    ok.afterEach(6000, 5);
    // Segments of a forgotten connection still meet their link's latency.
    const s = checker(1);
    finish(s, 6, 'c/1');
    s.onEvent(ev(100, { kind: 'seg.send', id: 9, node: 'broker', peer: 'c', conn: 'c/1', flags: 'RST', tcpSeq: 0, ack: 0, len: 0 }));
    expect(() => s.onEvent(ev(105, { kind: 'seg.deliver', id: 9, node: 'broker', peer: 'c', conn: 'c/1' }))).toThrow(/segment-latency/);
  });

  it('a real run with a crash, a takeover and a Will keeps every invariant, in both sink modes', () => {
    const s = scenario({
      durationMs: 40_000, seed: 4,
      clients: [
        { id: 'c', clientId: 'x', keepAliveSeconds: 5, will: { topic: 'status/c', payload: 'offline' } },
        { id: 'twin', clientId: 'x', connectAtMs: 8_000 },
      ],
      actions: [{ atMs: 15_000, do: 'crash', node: 'twin' }, { atMs: 16_000, do: 'restart', node: 'twin' }],
    });
    const full = run(s, { checkInvariants: true });
    expect(full.events('broker.takeover').length).toBeGreaterThan(0);
    const lite = run(s, { keepTrace: false, checkInvariants: true });
    expect(lite.summary).toEqual(full.summary);
  });
});
