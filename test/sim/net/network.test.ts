import { describe, expect, it } from 'vitest';
import { makeWorld, text } from '../tcp/world.ts';
import type { TraceEvent } from '../../../sim/trace/types.ts';

describe('network', () => {
  it('addresses nodes from 198.18.0.1 upward, broker first', () => {
    const w = makeWorld({ clients: ['a', 'b'] });
    expect(w.net.address('broker')).toEqual([198, 18, 0, 1]);
    expect(w.net.address('a')).toEqual([198, 18, 0, 2]);
    expect(w.net.address('b')).toEqual([198, 18, 0, 3]);
  });

  it('cut in one direction drops only that direction; after heal the data gets through once', () => {
    const w = makeWorld();
    w.echoServer();
    const c = w.client();
    w.at(1000, () => { w.net.cut('broker', 'sensor', 'a->b'); c.socket.write(text('hello')); });
    w.at(3000, () => w.net.heal('broker', 'sensor', 'a->b'));
    w.runS(10);
    const drops = w.of('seg.drop');
    expect(drops.length).toBeGreaterThan(2);
    for (const d of drops) expect([d.node, d.peer, d.reason]).toEqual(['broker', 'sensor', 'cut']);
    expect(w.server.bytes).toBe(5); // the duplicate was recognised as old
    expect(c.received()).toBe('hello');
    expect(c.socket.state).toBe('ESTABLISHED');
    // Both directions healthy again: nothing left unacknowledged.
    expect(w.engine.pending).toBe(0);
  });

  it('NAT forgets an idle flow and then drops its segments silently; a new SYN opens a new flow', () => {
    const w = makeWorld({ link: { natIdleTimeoutMs: 30000 } });
    w.echoServer();
    const c = w.client();
    let d: ReturnType<typeof w.client> | null = null;
    w.at(40000, () => c.socket.write(text('PING')));
    w.at(50000, () => { d = w.client(); });
    w.runS(60);
    // The last segment through the middlebox was the handshake ACK at 20 ms.
    expect(w.of('nat.expired').map((e) => [e.tMs, e.conn, e.link])).toEqual([[30020, 'sensor/1', ['sensor', 'broker']]]);
    const drops = w.of('seg.drop');
    expect(drops.length).toBeGreaterThan(3);
    for (const x of drops) expect([x.conn, x.reason]).toEqual(['sensor/1', 'nat']);
    expect(w.server.bytes).toBe(0);
    expect(c.socket.state).toBe('ESTABLISHED');
    expect(d!.opened).toEqual([50020]);
  });

  it('loss is deterministic for a seed, and TCP still delivers everything in order', () => {
    const run = (seed: number): { trace: string; got: string; drops: number } => {
      const w = makeWorld({ seed, link: { loss: 0.3 } });
      w.echoServer();
      const c = w.client();
      for (let i = 0; i < 20; i++) w.at(1000 + i * 500, () => c.socket.write(text(`m${i};`)));
      w.runS(600);
      return { trace: JSON.stringify(w.events), got: c.received(), drops: w.of('seg.drop').length };
    };
    const a = run(5);
    const b = run(5);
    const other = run(6);
    expect(a.trace).toBe(b.trace);
    expect(other.trace).not.toBe(a.trace);
    const want = Array.from({ length: 20 }, (_, i) => `m${i};`).join('');
    expect(a.got).toBe(want);
    expect(other.got).toBe(want);
    expect(a.drops).toBeGreaterThan(5);
  });

  it('jitter reorders segments; the receiver restores the order; no segment beats the latency', () => {
    const w = makeWorld({ link: { latencyMs: 10, jitterMs: 30 } });
    w.echoServer();
    let all = '';
    const c = w.client('sensor', null, {
      onOpen: () => { for (let i = 0; i < 40; i++) { const s = `<${i}>`; all += s; c.socket.write(text(s)); } },
    });
    w.runS(30);
    expect(c.received()).toBe(all);
    const sentAt = new Map<number, number>();
    for (const e of w.of('seg.send')) sentAt.set(e.id, e.tMs);
    const delivered = w.of('seg.deliver');
    for (const e of delivered) {
      const dt = e.tMs - sentAt.get(e.id)!;
      expect(dt).toBeGreaterThanOrEqual(10);
      expect(dt).toBeLessThanOrEqual(40);
    }
    const ids = delivered.filter((e) => e.node === 'sensor').map((e) => e.id);
    expect(ids).not.toEqual([...ids].sort((x, y) => x - y)); // reordering happened
  });

  it('records every segment on the wire with its fate', () => {
    const w = makeWorld({ trace: false });
    const wire: import('../../../sim/net/api.ts').WireSegment[] = [];
    w.net.onWire((s) => wire.push(s));
    w.echoServer();
    const c = w.client('sensor', null, { onOpen: () => c.socket.write(text('hi')) });
    w.runS(1);
    expect(wire.map((s) => [s.tUs, s.src, s.dst, s.flags, s.payload.length, s.fate])).toEqual([
      [0, 'sensor', 'broker', 0x02, 0, 'delivered'],
      [10000, 'broker', 'sensor', 0x12, 0, 'delivered'],
      [20000, 'sensor', 'broker', 0x10, 0, 'delivered'],
      [20000, 'sensor', 'broker', 0x18, 2, 'delivered'],
      [30000, 'broker', 'sensor', 0x10, 0, 'delivered'], // quick ACK of the first data
      [30000, 'broker', 'sensor', 0x18, 2, 'delivered'],
      [40000, 'sensor', 'broker', 0x10, 0, 'delivered'],
    ]);
    expect(wire[0]!.dstPort).toBe(1883);
    expect(wire[0]!.srcPort).toBe(wire[1]!.dstPort);
    expect(new TextDecoder().decode(wire[3]!.payload)).toBe('hi');
  });

  it('traces nothing and builds no events without a sink', () => {
    const seen: TraceEvent[] = [];
    const w = makeWorld({ trace: false });
    w.echoServer();
    w.client();
    w.runS(1);
    expect(seen).toEqual([]);
    expect(w.engine.traceCount).toBe(0);
    expect(w.engine.eventsProcessed).toBeGreaterThan(0);
  });
});
