import { describe, expect, it } from 'vitest';
import { makeWorld, text } from './world.ts';

describe('TCP handshake and data', () => {
  it('opens, echoes, and acknowledges the first data at once (Linux quick-ACK mode)', () => {
    const w = makeWorld();
    w.echoServer();
    const c = w.client('sensor', null, { onOpen: () => c.socket.write(text('hello')) });
    w.runMs(1000);
    expect(c.opened).toEqual([20]); // SYN 10 ms out, SYN-ACK 10 ms back
    expect(w.of('conn.open').map((e) => [e.node, e.tMs, e.conn])).toEqual([['sensor', 20, 'sensor/1'], ['broker', 30, 'sensor/1']]);
    expect(c.received()).toBe('hello');
    expect(c.data[0]!.tMs).toBe(40);
    const sends = w.of('seg.send').map((e) => [e.tMs, e.node, e.flags, e.len]);
    expect(sends).toEqual([
      [0, 'sensor', 'SYN', 0],
      [10, 'broker', 'SYN,ACK', 0],
      [20, 'sensor', 'ACK', 0], // the handshake ACK goes out at once
      [20, 'sensor', 'PSH,ACK', 5],
      [30, 'broker', 'ACK', 0], // first data: quick ACK, sent before the app can answer
      [30, 'broker', 'PSH,ACK', 5], // the echo
      [40, 'sensor', 'ACK', 0], // first data on this side too: quick ACK
    ]);
    // Real 32-bit sequence numbers: the SYN-ACK acknowledges ISN + 1, data starts there.
    const s = w.of('seg.send');
    expect(s[1]!.ack).toBe((s[0]!.tcpSeq + 1) >>> 0);
    expect(s[3]!.tcpSeq).toBe((s[0]!.tcpSeq + 1) >>> 0);
    expect(s[6]!.ack).toBe((s[1]!.tcpSeq + 1 + 5) >>> 0);
    expect(s[4]!.ack).toBe((s[0]!.tcpSeq + 1 + 5) >>> 0);
    for (const e of w.of('tcp.state')) expect(e.conn).toBe('sensor/1');
  });

  it('names connections <initiator>/<n> on both ends and uses ephemeral ports', () => {
    const w = makeWorld();
    w.echoServer();
    const a = w.client();
    const b = w.client();
    w.runMs(100);
    expect([a.socket.conn, b.socket.conn]).toEqual(['sensor/1', 'sensor/2']);
    expect(w.server.accepted.map((s) => s.conn)).toEqual(['sensor/1', 'sensor/2']);
    expect(w.server.accepted.map((s) => [s.node, s.peer])).toEqual([['broker', 'sensor'], ['broker', 'sensor']]);
    const ports = (w.net as unknown as { stack(n: string): { conns: Map<number, { localPort: number }> } })
      .stack('sensor').conns;
    for (const c of ports.values()) expect(c.localPort).toBeGreaterThanOrEqual(49152);
    expect(a.socket.state).toBe('ESTABLISHED');
  });

  it('retransmits SYN at 0, 1, 3, 7, 15, 31, 63 s and fails at exactly 127 s to a powered-off peer', () => {
    const w = makeWorld();
    w.echoServer();
    w.net.powerOff('broker');
    const c = w.client();
    w.runS(200);
    const syns = w.of('seg.send').filter((e) => e.flags === 'SYN');
    expect(syns.map((e) => e.tMs)).toEqual([0, 1000, 3000, 7000, 15000, 31000, 63000]);
    expect(syns.map((e) => e.retransmit ?? false)).toEqual([false, true, true, true, true, true, true]);
    expect(w.of('seg.drop').map((e) => e.reason)).toEqual(Array(7).fill('host-down'));
    expect(c.closed).toEqual([{ tMs: 127000, cause: 'timeout' }]);
    const closed = w.of('conn.closed');
    expect(closed.map((e) => [e.node, e.cause, e.tMs])).toEqual([['sensor', 'timeout', 127000]]);
    expect(c.opened).toEqual([]);
  });

  it('a SYN to a port without listener is refused with RST', () => {
    const w = makeWorld();
    const c = w.client(); // nobody listens on the broker
    w.runMs(100);
    expect(w.of('seg.send').map((e) => [e.tMs, e.node, e.flags])).toEqual([[0, 'sensor', 'SYN'], [10, 'broker', 'RST,ACK']]);
    expect(c.closed).toEqual([{ tMs: 20, cause: 'rst' }]);
    expect(w.of('conn.closed').map((e) => e.cause)).toEqual(['rst']);
  });

  it('recovers a lost SYN-ACK: the retransmitted SYN gets the SYN-ACK again', () => {
    const w = makeWorld();
    w.echoServer();
    w.net.cut('broker', 'sensor', 'a->b');
    w.at(500, () => w.net.heal('broker', 'sensor', 'both'));
    const c = w.client();
    w.runS(5);
    expect(c.opened).toEqual([1020]); // SYN again at 1 s, SYN-ACK back at 1.02 s
    expect(w.server.accepted).toHaveLength(1);
  });
});
