/**
 * The performance fast paths must not change behaviour: the checker-only trace mode counts
 * exactly the events a full trace has and still catches violations; the invariant checker's
 * in-flight rings (the full world's and the checker's) spill correctly; the 4-ary typed-array queue is a stable sort.
 */
import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../../sim/engine/queue.ts';
import { createEngine } from '../../../sim/engine/engine.ts';
import { createRng } from '../../../sim/engine/rng.ts';
import { createInvariantChecker } from '../../../sim/invariants.ts';
import { resolveScenario } from '../../../sim/scenario/resolve.ts';
import { FlightTable } from '../../../sim/world/flights.ts';
import { ArrivalTable } from '../../../sim/world/arrivals.ts';
import { Journal } from '../../../sim/world/journal.ts';
import type { FlightView } from '../../../sim/world/types.ts';
import type { TraceFieldsOf } from '../../../sim/trace/types.ts';
import { run, scenario } from '../behaviour/helpers.ts';

const busy = () => scenario({
  durationMs: 120_000, seed: 3,
  links: [
    { between: ['sensor', 'broker'], latencyMs: 15, jitterMs: 20, loss: 0.15 },
    { between: ['watcher', 'broker'], latencyMs: 5, natIdleTimeoutMs: 20_000 },
  ],
  clients: [
    { id: 'sensor', keepAliveSeconds: 5, will: { topic: 'status/sensor', payload: 'offline' },
      publish: [{ topic: 't/temp', payload: '21.5', qos: 1, everyMs: 700 }] },
    { id: 'watcher', keepAliveSeconds: 30, subscriptions: [{ topic: '#', qos: 2 }] },
  ],
  actions: [
    { atMs: 10_000, do: 'cut', link: ['sensor', 'broker'], direction: 'a->b' },
    { atMs: 30_000, do: 'heal', link: ['sensor', 'broker'] },
    { atMs: 40_000, do: 'crash', node: 'sensor' },
    { atMs: 45_000, do: 'restart', node: 'sensor' },
    { atMs: 60_000, do: 'power-off', node: 'broker' },
    { atMs: 61_000, do: 'power-on', node: 'broker' },
  ],
});

describe('checker-only trace mode', () => {
  it('counts the same engine and trace events as a full trace, and as no trace at all', () => {
    const full = run(busy());
    const lite = run(busy(), { keepTrace: false, checkInvariants: true });
    const none = run(busy(), { keepTrace: false, checkInvariants: false });
    expect(full.trace.length).toBeGreaterThan(500);
    expect(lite.trace).toHaveLength(0);
    expect(lite.summary).toEqual(full.summary);
    expect(none.summary.events).toBe(full.summary.events);
    expect(none.summary.traceEvents).toBe(0);
  });

  it('hands the checker fields, seq and time; kinds it does not read only take their seq', () => {
    const got: [string, number, number][] = [];
    const e = createEngine({
      seed: 1, onFields: (f, seq, nowUs) => got.push([f.kind, seq, nowUs]), kinds: ['action', 'run.end', 'timer.set'],
      timers: ['broker.keepalive'],
    });
    expect(e.wants('action')).toBe(true);
    expect(e.wants('mqtt.recv')).toBe(false);
    let built = 0;
    const t = e.timer(() => {}, { node: 'c', timer: 'client.ping' });
    const k = e.timer(() => {}, { node: 'b', timer: 'broker.keepalive', conn: 'c/1' });
    e.schedule(1500, () => {
      e.emit({ kind: 'action', do: 'connect', node: 'c' });
      e.emitWith('mqtt.recv', () => { built++; return { kind: 'mqtt.recv', node: 'b', peer: 'c', conn: 'c/1', packet: 'PINGREQ', bytes: 2 }; }, null);
      t.set(5000); // a timer the sink does not read: counted, not built
      k.set(6000);
      e.emit({ kind: 'run.end', events: 1 });
    });
    e.runUntil(2000);
    expect(built).toBe(0);
    expect(got).toEqual([['action', 0, 1500], ['timer.set', 3, 1500], ['run.end', 4, 1500]]);
    expect(e.traceCount).toBe(5);
  });
});

describe('segments in flight (world/flights.ts ring, read by segment-latency)', () => {
  const send = (id: number): TraceFieldsOf<'seg.send'> => ({
    kind: 'seg.send', id, node: 'c', peer: 'broker', conn: 'c1', flags: 'ACK', tcpSeq: 0, ack: 0, len: 0,
  });
  const deliver = (id: number): TraceFieldsOf<'seg.deliver'> => ({ kind: 'seg.deliver', id, node: 'c', peer: 'broker', conn: 'c1' });
  const resolved = resolveScenario(scenario({ links: [{ between: ['c', 'broker'], latencyMs: 10 }], clients: [{ id: 'c' }] }));

  it('keeps segments still in flight after 70,000 later sends (overflow) and checks them', () => {
    const k = createInvariantChecker(1, resolved);
    let seq = 0;
    // Segment 1 leaves at 0 ms; 70,000 more follow at 1 ms and are delivered on time.
    k.onFields(send(1), seq++, 0);
    for (let id = 2; id < 70_002; id++) k.onFields(send(id), seq++, 1000);
    for (let id = 2; id < 70_002; id++) k.onFields(deliver(id), seq++, 11_000);
    // Segment 1 was pushed out of the ring: still known, and 11 ms is on time for it.
    expect(() => k.onFields(deliver(1), seq++, 11_000)).not.toThrow();
    // An overflowed segment that arrives early is still caught.
    const k2 = createInvariantChecker(1, resolved);
    k2.onFields(send(5), 0, 20_000);
    for (let id = 6; id < 5 + 65_537; id++) k2.onFields(send(id), id, 20_000);
    expect(() => k2.onFields(deliver(5), 70_000, 25_000))
      .toThrow(/segment-latency/);
  });

  it('a table in id order through overflow, deletes and undo, as a Map would be', () => {
    const t = new FlightTable();
    const ref = new Map<number, FlightView>();
    const j = new Journal(() => {});
    const f = (id: number): FlightView => ({
      id, conn: 'c1', from: 'c', to: 'broker', flags: 'ACK', len: 0, sentMs: id, linkLatencyMs: 10, retransmit: false, packets: [],
    });
    const rng = createRng(9, 'flights');
    const marks = new Map<number, number>();
    const states = new Map<number, string>();
    const state = () => JSON.stringify([...t.values()].map((x) => x.id));
    let next = 0;
    for (let step = 0; step < 9_000; step++) {
      if (step % 97 === 0) { marks.set(step, j.length); states.set(step, state()); }
      // Mostly sends and prompt deliveries; now and then a segment stays out a while.
      if (rng.intBelow(3) !== 0 || ref.size === 0) {
        const x = f(next++);
        j.mapSet('#', t, x.id, x);
        ref.set(x.id, x);
      } else {
        const ids = [...ref.keys()];
        const id = rng.intBelow(10) === 0 ? ids[ids.length - 1]! : ids[rng.intBelow(Math.min(ids.length, 3))]!;
        // Segment 7 stays out for most of the run: it must move to the overflow and come back.
        const held = id === 7 && step < 8_000;
        if (!held && (rng.intBelow(50) !== 0 || ids.length > 40)) { j.mapDelete('#', t, id); ref.delete(id); }
      }
      expect(t.size).toBe(ref.size);
      if (step === 7_500) expect((t as unknown as { overflow: Map<number, FlightView> }).overflow.has(7)).toBe(true);
    }
    expect(state()).toBe(JSON.stringify([...ref.keys()].sort((a, b) => a - b)));
    for (const id of [0, 1, next - 1, next]) expect(t.get(id)).toBe(ref.get(id));
    // Undo every step: each earlier state comes back exactly.
    for (const step of [...marks.keys()].reverse()) {
      j.rewind(marks.get(step)!);
      expect(state()).toBe(states.get(step));
    }
  });
});

describe('the checker\'s arrival table (world/arrivals.ts)', () => {
  it('answers as a Map would through overflow and deletes', () => {
    const t = new ArrivalTable(12);
    const ref = new Map<number, number>();
    const rng = createRng(11, 'arrivals');
    let next = 0;
    for (let step = 0; step < 20_000; step++) {
      if (rng.intBelow(3) !== 0 || ref.size === 0) {
        // Now and then a segment over no link: no bound (-1).
        const noLink = rng.intBelow(20) === 0;
        t.sent(next, step * 10, noLink ? null : 25);
        ref.set(next, noLink ? -1 : step * 10 + 25);
        next++;
      } else {
        const ids = [...ref.keys()];
        const id = rng.intBelow(10) === 0 ? ids[ids.length - 1]! : ids[rng.intBelow(Math.min(ids.length, 3))]!;
        // Segment 7 stays out for most of the run: it must move to the overflow and still be found.
        if (id === 7 && step < 18_000) continue;
        if (rng.intBelow(50) !== 0 || ids.length > 40) { t.delete(id); ref.delete(id); }
      }
      expect(t.size).toBe(ref.size);
      if (step === 17_000) expect((t as unknown as { overflow: Map<number, number> }).overflow.has(7)).toBe(true);
    }
    expect(t.entries()).toEqual([...ref].sort((a, b) => a[0] - b[0]));
    for (const id of [0, 1, 7, next - 1, next]) expect(t.get(id)).toBe(ref.get(id));
  });
});

describe('typed-array queue', () => {
  it('is a stable sort over 20,000 entries with many ties, interleaving pushes and pops', () => {
    const r = createRng(5, 'q');
    const q = new EventQueue();
    const ref: { at: number; i: number }[] = [];
    const got: number[] = [];
    const want: number[] = [];
    let i = 0;
    let now = 0;
    for (let round = 0; round < 200; round++) {
      for (let k = 0; k < 100; k++) {
        const at = now + r.intBelow(50);
        q.push(at, null, i);
        ref.push({ at, i: i++ });
      }
      for (let k = 0; k < 60 && q.size > 0; k++) {
        const e = q.pop()!;
        got.push(e.arg as number);
        now = e.at;
      }
    }
    while (q.size > 0) got.push(q.pop()!.arg as number);
    // Reference: replay with a stable sort at each pop (min by (at, insertion)).
    const pending: { at: number; i: number }[] = [];
    let n = 0;
    for (let round = 0; round < 200; round++) {
      for (let k = 0; k < 100; k++) pending.push(ref[n++]!);
      for (let k = 0; k < 60 && pending.length > 0; k++) {
        let m = 0;
        for (let j = 1; j < pending.length; j++) if (pending[j]!.at < pending[m]!.at) m = j;
        want.push(pending[m]!.i);
        pending.splice(m, 1);
      }
    }
    pending.sort((a, b) => a.at - b.at || a.i - b.i);
    for (const p of pending) want.push(p.i);
    expect(got).toEqual(want);
  });
});
