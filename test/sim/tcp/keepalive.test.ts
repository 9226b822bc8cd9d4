import { describe, expect, it } from 'vitest';
import { makeWorld } from './world.ts';

const LINUX = { idleSeconds: 7200, intervalSeconds: 75, probes: 9 };

describe('idle half-open connections and SO_KEEPALIVE', () => {
  it('without keepalive, an idle connection to a vanished peer stays ESTABLISHED forever', () => {
    const w = makeWorld();
    w.echoServer();
    const c = w.client();
    w.at(1000, () => w.net.powerOff('broker'));
    w.runS(10 * 3600);
    expect(c.socket.state).toBe('ESTABLISHED');
    expect(c.closed).toEqual([]);
    expect(w.of('seg.send').filter((e) => e.tMs > 1000)).toEqual([]);
    expect(w.engine.pending).toBe(0); // nothing left to happen
  });

  it('with 7200/75/9 it dies 7200 + 9·75 = 7875 s after the last segment received', () => {
    const w = makeWorld();
    w.echoServer();
    const c = w.client('sensor', LINUX);
    w.at(1000, () => w.net.powerOff('broker'));
    w.runS(3 * 3600);
    const lastRcvMs = 20; // the SYN-ACK
    const probes = w.of('seg.send').filter((e) => e.node === 'sensor' && e.tMs > 1000);
    const expectedProbes = Array.from({ length: 9 }, (_, k) => lastRcvMs + (7200 + k * 75) * 1000);
    expect(probes.slice(0, 9).map((e) => [e.tMs, e.flags, e.len])).toEqual(expectedProbes.map((t) => [t, 'ACK', 0]));
    // Probe = SEG.SEQ = SND.NXT − 1: the ISN here (no data was sent).
    const syn = w.of('seg.send')[0]!;
    expect(probes[0]!.tcpSeq).toBe(syn.tcpSeq);
    expect(c.closed).toEqual([{ tMs: lastRcvMs + 7875 * 1000, cause: 'timeout' }]);
    expect(probes.slice(9).map((e) => [e.tMs, e.flags])).toEqual([[lastRcvMs + 7875 * 1000, 'RST,ACK']]);
    expect(w.of('conn.closed').find((e) => e.node === 'sensor')!.why).toMatch(/keepalive/);
  });

  it('a live peer answers the probes and the connection stays', () => {
    const w = makeWorld();
    w.echoServer();
    const c = w.client('sensor', LINUX);
    w.runS(5 * 3600);
    const probes = w.of('seg.send').filter((e) => e.node === 'sensor' && e.tMs > 1000);
    expect(probes.map((e) => e.tMs)).toEqual([7200_020, 14400_040]);
    const answers = w.of('seg.send').filter((e) => e.node === 'broker' && e.tMs > 1000);
    expect(answers.map((e) => [e.tMs, e.flags])).toEqual([[7200_030, 'ACK'], [14400_050, 'ACK']]);
    expect(c.socket.state).toBe('ESTABLISHED');
  });

  it('a listener option enables keepalive on accepted sockets', () => {
    const w = makeWorld();
    w.echoServer('broker', LINUX);
    w.client();
    w.at(1000, () => w.net.powerOff('sensor'));
    w.runS(3 * 3600);
    const bc = w.of('conn.closed').filter((e) => e.node === 'broker');
    expect(bc.map((e) => [e.tMs, e.cause])).toEqual([[30 + 7875_000, 'timeout']]); // last rcv: ACK at 30 ms
    expect(w.server.closes).toEqual(['timeout']);
  });

  it('a rebooted peer answers the first probe with RST', () => {
    const w = makeWorld();
    w.echoServer();
    const c = w.client('sensor', LINUX);
    w.at(1000, () => w.net.powerOff('broker'));
    w.at(2000, () => w.net.powerOn('broker'));
    w.runS(3 * 3600);
    expect(c.closed).toEqual([{ tMs: 7200_040, cause: 'rst' }]);
  });
});
