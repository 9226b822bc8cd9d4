/**
 * When a receiver acknowledges (sim/tcp/ack.ts): Linux's quick ACKs, interactive (pingpong)
 * sockets that piggyback the ACK on the reply, and the delayed ACK that fires when the app
 * does not answer. Link latency 10 ms each way.
 */
import { describe, expect, it } from 'vitest';
import { makeWorld, text } from './world.ts';

type Send = [number, string, string, number];
const sends = (w: ReturnType<typeof makeWorld>, fromMs = 0): Send[] =>
  w.of('seg.send').filter((e) => e.tMs >= fromMs).map((e) => [e.tMs, e.node, e.flags, e.len] as Send);

describe('Linux delayed-ACK engine', () => {
  it('an echo server that answered once piggybacks later ACKs on its reply (pingpong)', () => {
    const w = makeWorld();
    w.echoServer();
    const c = w.client('sensor', null, { onOpen: () => c.socket.write(text('one')) });
    w.at(200, () => c.socket.write(text('two')));
    w.runMs(1000);
    expect(sends(w, 200)).toEqual([
      [200, 'sensor', 'PSH,ACK', 3],
      [210, 'broker', 'PSH,ACK', 3], // interactive: no separate ACK, the echo carries it
      [220, 'sensor', 'ACK', 0], // the sensor never answered quickly: it ACKs at once
    ]);
  });

  it('a pingpong receiver whose app stays silent ACKs after 40 ms and leaves pingpong mode', () => {
    const w = makeWorld();
    let silent = false;
    w.net.host('broker').listen(1883, (s) => {
      s.setHandlers({ onOpen() {}, onData(b) { if (!silent) s.write(b); }, onClose() {} });
    });
    const c = w.client('sensor', null, { onOpen: () => c.socket.write(text('a')) });
    w.at(200, () => { silent = true; c.socket.write(text('b')); });
    w.at(400, () => c.socket.write(text('c')));
    w.runMs(1000);
    expect(sends(w, 200)).toEqual([
      [200, 'sensor', 'PSH,ACK', 1],
      [250, 'broker', 'ACK', 0], // delayed ACK: arrived at 210, no reply, 40 ms later
      [400, 'sensor', 'PSH,ACK', 1],
      [410, 'broker', 'ACK', 0], // out of pingpong mode: ACK at once
    ]);
  });

  it('data after an idle gap longer than the RTO is ACKed at once (quick ACK after a long gap)', () => {
    const w = makeWorld();
    w.echoServer();
    const c = w.client('sensor', null, { onOpen: () => c.socket.write(text('x')) });
    w.at(60_000, () => c.socket.write(text('y')));
    w.runMs(61_000);
    // The sensor receives the echo 60 s after its last data: quick ACK, no 40 ms wait.
    expect(sends(w, 60_000)).toEqual([
      [60_000, 'sensor', 'PSH,ACK', 1],
      [60_010, 'broker', 'PSH,ACK', 1],
      [60_020, 'sensor', 'ACK', 0],
    ]);
  });

  it('more than one full-sized frame unacknowledged is ACKed at once', () => {
    const w = makeWorld();
    w.net.host('broker').listen(1883, (s) => s.setHandlers({ onOpen() {}, onData() {}, onClose() {} }));
    const big = new Uint8Array(20 * 1460);
    const c = w.client('sensor', null, { onOpen: () => c.socket.write(big) });
    w.runMs(1000);
    const acks = w.of('seg.send').filter((e) => e.node === 'broker' && e.flags === 'ACK');
    // The initial window (TCP_INIT_CWND = 10) arrives at 30 ms: ten quick ACKs; slow start
    // opens cwnd to 20 and the next ten arrive at 50 ms: six more quick ACKs (16 in all,
    // TCP_MAX_QUICKACKS), then an ACK for every second segment (more than rcv_mss unacknowledged).
    expect(acks.map((e) => e.tMs)).toEqual([...Array(10).fill(30), ...Array(8).fill(50)]);
    const isn = w.of('seg.send').find((e) => e.flags === 'SYN')!.tcpSeq;
    expect(acks.at(-1)!.ack).toBe((isn + 1 + 20 * 1460) >>> 0);
    expect(acks.at(-2)!.ack).toBe((isn + 1 + 18 * 1460) >>> 0);
  });

  it('a retransmission of data already received is ACKed at once and ends pingpong mode', () => {
    const w = makeWorld();
    w.echoServer();
    const c = w.client('sensor', null, { onOpen: () => c.socket.write(text('a')) });
    w.at(200, () => c.socket.write(text('b')));
    w.at(205, () => w.net.cut('broker', 'sensor', 'a->b')); // the echo of 'b' (with its ACK) is lost
    w.at(300, () => w.net.heal('broker', 'sensor', 'both'));
    w.at(2000, () => c.socket.write(text('c')));
    w.runMs(3000);
    const b = w.of('seg.send').filter((e) => e.node === 'sensor' && e.len === 1 && e.retransmit);
    expect(b).toHaveLength(1); // the sensor retransmits 'b' on its RTO
    const at = b[0]!.tMs + 10;
    // The broker answers the old data with a pure ACK at once (tcp_send_dupack), beside the
    // retransmission of its own echo that its RTO sent in the same millisecond.
    expect(sends(w, at).filter((x) => x[0] === at && x[1] === 'broker')).toEqual([
      [at, 'broker', 'PSH,ACK', 1], [at, 'broker', 'ACK', 0],
    ]);
    // Out of pingpong mode: the next request is ACKed before the echo.
    expect(sends(w, 2000)).toEqual([
      [2000, 'sensor', 'PSH,ACK', 1],
      [2010, 'broker', 'ACK', 0],
      [2010, 'broker', 'PSH,ACK', 1],
      [2020, 'sensor', 'ACK', 0],
    ]);
  });

  it('a delayed ACK never waits more than 200 ms, even for bulk data (icsk_delack_max)', () => {
    // 400 ms each way, a full-sized segment every 700 ms to a silent app: each delayed ACK
    // fires, doubling ato (tcp_delack_timer_handler). Bulk data's max_ato is HZ/2 = 500 ms and
    // the RTT (800 ms) does not bound it, but Linux 6.1 tcp_send_delayed_ack ends with
    // ato = min(ato, icsk_delack_max), TCP_DELACK_MAX = 200 ms.
    const w = makeWorld({ link: { latencyMs: 400 } });
    w.net.host('broker').listen(1883, (s) => s.setHandlers({ onOpen() {}, onData() {}, onClose() {} }));
    const c = w.client('sensor');
    for (let i = 0; i < 30; i++) w.at(1000 + i * 700, () => c.socket.write(new Uint8Array(1460)));
    w.runMs(30_000);
    const sent = new Map(w.of('seg.send').map((e) => [e.id, e]));
    const brokerSends = w.of('seg.send').filter((e) => e.node === 'broker');
    const waits = w.of('seg.deliver')
      .filter((d) => sent.get(d.id)!.node === 'sensor' && sent.get(d.id)!.len > 0)
      .map((d) => brokerSends.find((s) => s.tMs >= d.tMs)!.tMs - d.tMs);
    expect(waits).toHaveLength(30);
    // 16 quick ACKs (TCP_MAX_QUICKACKS), then ato 40 ms doubling per fired timer, capped at 200.
    expect(waits).toEqual([...Array(16).fill(0), 40, 80, 160, ...Array(11).fill(200)]);
  });
});
