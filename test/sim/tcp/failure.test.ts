import { describe, expect, it } from 'vitest';
import { makeWorld, text } from './world.ts';

/**
 * Linux: a tail loss probe one probe timeout after the send (here the RTO is sooner, so the
 * RTO: tcp_schedule_loss_probe takes the earlier), then the RTO a full RTO after the probe,
 * then doubling; the connection dies at the first RTO expiry >= 924.6 s after the first
 * unacked send. The probe is not counted as a retransmission (icsk_retransmits).
 */
function expectedDeathUs(baseRtoUs: number): { afterUs: number; retransmits: number } {
  const LIMIT = 924_600_000; // tcp_model_timeout(15, 200 ms) = 0.2·(2^10 − 1) + 6·120 s
  let t = baseRtoUs; // the loss probe
  let rto = baseRtoUs;
  let k = 0;
  for (;;) {
    t += rto;
    if (k > 0 && t >= LIMIT) return { afterUs: t, retransmits: k };
    k++;
    rto = Math.min(rto * 2, 120_000_000);
  }
}

describe('peer failures', () => {
  it('unacked data to a powered-off peer: a loss probe, then RTOs; dies at the first expiry past 924.6 s (924.8 s with a 200 ms base)', () => {
    const w = makeWorld({ link: { latencyMs: 0 } }); // RTT 0 → RTO = 0 + max(200 ms, 0) = 200 ms
    w.echoServer();
    const c = w.client();
    w.at(1000, () => w.net.powerOff('broker'));
    w.at(2000, () => c.socket.write(text('PING')));
    w.runS(2000);
    expect(expectedDeathUs(200_000)).toEqual({ afterUs: 924_800_000, retransmits: 15 });
    expect(c.closed).toEqual([{ tMs: 2000 + 924_800, cause: 'timeout' }]);
    const data = w.of('seg.send').filter((e) => e.node === 'sensor' && e.len === 4);
    expect(data).toHaveLength(17); // the original, the loss probe and 15 RTO retransmissions (tcp_retries2 = 15)
    // Linux 6.18 measured +0.207, 0.415, 0.83, 1.66 s on veth (test/kernel): probe, RTO, doubling.
    expect(data.slice(0, 5).map((e) => e.tMs)).toEqual([2000, 2200, 2400, 2800, 3600]);
    expect(w.of('timer.set').filter((e) => e.node === 'sensor' && e.tMs === 2000).map((e) => e.timer)).toEqual(['tcp.tlp']);
  });

  it('with a 20 ms RTT the RTO base is 220 ms and death comes at the first expiry past 924.6 s', () => {
    const w = makeWorld(); // 10 ms each way
    w.echoServer();
    const c = w.client();
    w.at(1000, () => w.net.powerOff('broker'));
    w.at(2000, () => c.socket.write(text('PING')));
    w.runS(2000);
    // First RTT sample from the handshake: SRTT = 20 ms, RTTVAR = 10 ms →
    // RTO = 20 ms + max(200 ms, 4·10 ms) = 220 ms (Linux floors RTTVAR at rto_min).
    const exp = expectedDeathUs(220_000);
    expect(exp).toEqual({ afterUs: 945_280_000, retransmits: 15 });
    expect(c.closed).toEqual([{ tMs: 2000 + exp.afterUs / 1000, cause: 'timeout' }]);
    const retx = w.of('seg.send').filter((e) => e.node === 'sensor' && e.retransmit);
    expect(retx).toHaveLength(16); // the loss probe and 15 RTO retransmissions
    expect(retx.map((e) => e.tMs).slice(-2)).toEqual([2000 + 705_280, 2000 + 825_280]);
    const closed = w.of('conn.closed').filter((e) => e.node === 'sensor');
    expect(closed).toHaveLength(1);
    expect(closed[0]!.why).toMatch(/tcp_retries2 = 15/);
    expect(c.socket.state).toBe('CLOSED');
  });

  it('power-off then power-on: the next segment is answered with RST → rst', () => {
    const w = makeWorld();
    w.echoServer();
    const c = w.client();
    w.at(1000, () => w.net.powerOff('broker'));
    w.at(2000, () => w.net.powerOn('broker'));
    w.at(3000, () => c.socket.write(text('PING')));
    w.runS(10);
    expect(w.of('host.state').map((e) => [e.tMs, e.node, e.state])).toEqual([[1000, 'broker', 'off'], [2000, 'broker', 'up']]);
    const brokerClosed = w.of('conn.closed').filter((e) => e.node === 'broker');
    expect(brokerClosed.map((e) => [e.tMs, e.cause, e.why])).toEqual([[1000, 'local', 'host powered off']]);
    expect(w.server.closes).toEqual([]); // no app callbacks after power-off
    expect(w.of('seg.send').filter((e) => e.tMs >= 1000).map((e) => [e.tMs, e.node, e.flags]))
      .toEqual([[3000, 'sensor', 'PSH,ACK'], [3010, 'broker', 'RST']]);
    expect(c.closed).toEqual([{ tMs: 3020, cause: 'rst' }]);
  });

  it('process crash: the kernel sends FIN → fin; later SYNs are refused; restart accepts again', () => {
    const w = makeWorld();
    w.echoServer();
    const c = w.client();
    w.at(1000, () => w.net.killProcess('broker'));
    let second: ReturnType<typeof w.client> | null = null;
    let third: ReturnType<typeof w.client> | null = null;
    w.at(2000, () => { second = w.client(); });
    w.at(3000, () => { w.echoServer(); third = w.client(); });
    w.runS(100);
    expect(c.closed).toEqual([{ tMs: 1010, cause: 'fin' }]);
    const bc = w.of('conn.closed').filter((e) => e.node === 'broker' && e.conn === 'sensor/1');
    expect(bc.map((e) => [e.tMs, e.cause, e.why])).toEqual([[1000, 'local', 'process crashed; the kernel closed the socket']]);
    expect(w.of('host.state').map((e) => [e.tMs, e.state])).toEqual([[1000, 'crashed'], [3000, 'up']]);
    expect(second!.closed).toEqual([{ tMs: 2020, cause: 'rst' }]);
    expect(third!.opened).toEqual([3020]);
    // The client closed its half at once (FIN back); the crashed side went through TIME-WAIT.
    const st = w.of('tcp.state').filter((e) => e.conn === 'sensor/1').map((e) => `${e.node}:${e.to}@${e.tMs}`);
    expect(st).toEqual([
      'sensor:SYN-SENT@0', 'broker:SYN-RECEIVED@10', 'sensor:ESTABLISHED@20', 'broker:ESTABLISHED@30',
      'broker:FIN-WAIT-1@1000', 'sensor:CLOSE-WAIT@1010', 'sensor:LAST-ACK@1010',
      'broker:FIN-WAIT-2@1020', 'broker:TIME-WAIT@1020', 'sensor:CLOSED@1030', 'broker:CLOSED@61020',
    ]);
    expect(w.server.closes).toEqual([]); // no callbacks to the dead process
  });

  it('data arriving after the app closed its socket is answered with RST (Linux)', () => {
    const w = makeWorld();
    w.echoServer();
    const c = w.client();
    w.at(1000, () => { w.net.cut('broker', 'sensor', 'a->b'); w.server.accepted[0]!.close(); });
    w.at(2000, () => c.socket.write(text('late')));
    w.runS(3);
    const rst = w.of('seg.send').filter((e) => e.node === 'broker' && e.flags === 'RST');
    // 2010: the orphan resets and is gone; the loss probe (2220) and the RTO (2440) find no
    // connection → RST again.
    expect(rst.map((e) => e.tMs)).toEqual([2010, 2230, 2450, 2890]);
    const st = w.of('tcp.state').filter((e) => e.node === 'broker' && e.tMs >= 1000).map((e) => `${e.to}@${e.tMs}`);
    expect(st).toEqual(['FIN-WAIT-1@1000', 'CLOSED@2010']);
    expect(w.server.accepted[0]!.state).toBe('CLOSED');
  });

  it('abort() sends RST and the peer sees rst', () => {
    const w = makeWorld();
    w.echoServer();
    const c = w.client();
    w.at(1000, () => c.socket.abort());
    w.runS(2);
    expect(w.server.closes).toEqual(['rst']);
    expect(w.of('conn.closed').map((e) => [e.node, e.cause, e.tMs])).toEqual([['sensor', 'local', 1000], ['broker', 'rst', 1010]]);
    expect(c.closed).toEqual([]); // no callback after abort()
  });

  it('an orphaned FIN to a vanished peer is retransmitted until tcp_orphan_retries (8 → 102.2 s)', () => {
    const w = makeWorld();
    w.echoServer();
    w.client();
    w.at(1000, () => w.net.powerOff('sensor'));
    w.at(2000, () => w.server.accepted[0]!.close()); // e.g. the broker's keep-alive expired
    w.runS(300);
    const fins = w.of('seg.send').filter((e) => e.node === 'broker' && e.flags === 'FIN,ACK');
    // Server RTO from its handshake sample (SYN-ACK→ACK, 20 ms): 220 ms. A loss probe at
    // min(2·SRTT + 200 ms, RTO) = 220 ms, the RTO 220 ms later, then doubling.
    expect(fins.map((e) => e.tMs).slice(0, 5)).toEqual([2000, 2220, 2440, 2880, 3760]);
    expect(fins).toHaveLength(10); // the FIN, the probe and 8 RTO retransmissions
    // Dies at the first RTO expiry >= 0.2·(2^9 − 1) = 102.2 s: 0.22·2^9 = 112.64 s.
    const st = w.of('tcp.state').filter((e) => e.node === 'broker' && e.tMs >= 2000).map((e) => `${e.to}@${e.tMs}`);
    expect(st).toEqual(['FIN-WAIT-1@2000', 'CLOSED@114640']);
    expect(w.of('conn.closed').filter((e) => e.node === 'broker').map((e) => [e.tMs, e.cause])).toEqual([[2000, 'local']]);
  });
});
