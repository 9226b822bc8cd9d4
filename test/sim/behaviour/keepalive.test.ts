import { describe, expect, it } from 'vitest';
import { run, scenario } from './helpers.ts';

/** Sensor (K=10) loses power at 25 s; the broker must notice by keep-alive. */
function powerLoss(profile: 'spec' | 'mosquitto-2.0' | 'aedes', protocol: '3.1.1' | '5.0' = '3.1.1', k = 10) {
  return run(scenario({
    durationMs: 80_000, broker: { id: 'broker', profile },
    clients: [{ id: 'sensor', clientId: 'sensor-1', protocol, keepAliveSeconds: k,
      will: { topic: 'status/sensor-1', payload: 'offline' } }],
    actions: [{ atMs: 25_000, do: 'power-off', node: 'sensor' }],
  }));
}

function lastBrokerRecvUs(r: ReturnType<typeof powerLoss>): number {
  const recvs = r.events('mqtt.recv', { node: 'broker', peer: 'sensor' });
  return Math.round(recvs[recvs.length - 1]!.tMs * 1000);
}

describe('broker keep-alive deadline', () => {
  it('spec, 3.1.1: closes exactly 1.5 × K after the last packet received (µs)', () => {
    const r = powerLoss('spec');
    const [exp] = r.events('broker.keepalive-expired');
    expect(exp).toBeDefined();
    const last = lastBrokerRecvUs(r);
    expect(Math.round(exp!.tMs * 1000)).toBe(last + 15_000_000);
    expect(exp!.lastRecvMs).toBe(last / 1000);
    expect(exp!.clientId).toBe('sensor-1');
    expect(exp!.rule).toBe('MQTT-3.1.2-24');
    expect(exp!.profile).toBe('spec');
    expect(exp!.why).toContain('[MQTT-3.1.2-24] no packet from sensor-1 for 1.5 × 10 s');
    const wills = r.events('will.published');
    expect(wills).toHaveLength(1);
    expect(wills[0]).toMatchObject({ cause: 'keepalive', clientId: 'sensor-1', tMs: exp!.tMs });
  });

  it('spec, 5.0: rule MQTT-3.1.2-22 and DISCONNECT 0x8D before the close', () => {
    const r = powerLoss('spec', '5.0');
    const [exp] = r.events('broker.keepalive-expired');
    expect(exp!.rule).toBe('MQTT-3.1.2-22');
    expect(Math.round(exp!.tMs * 1000)).toBe(lastBrokerRecvUs(r) + 15_000_000);
    const d = r.events('mqtt.send', { node: 'broker', packet: 'DISCONNECT' });
    expect(d).toHaveLength(1);
    expect(d[0]!.reasonCode).toBe(141);
  });

  it('aedes: 1.5 × K + 1 ms', () => {
    const r = powerLoss('aedes');
    const [exp] = r.events('broker.keepalive-expired');
    expect(Math.round(exp!.tMs * 1000)).toBe(lastBrokerRecvUs(r) + 15_001_000);
  });

  it('mosquitto 2.0, 5.0: no DISCONNECT 0x8D, close on its whole-second scan', () => {
    const r = powerLoss('mosquitto-2.0', '5.0');
    expect(r.events('mqtt.send', { node: 'broker', packet: 'DISCONNECT' })).toHaveLength(0);
    const [exp] = r.events('broker.keepalive-expired');
    const after = exp!.tMs - lastBrokerRecvUs(r) / 1000;
    expect(after).toBeGreaterThan(15_000);
    expect(after).toBeLessThanOrEqual(15_000 + 7_000);
    // scans run on whole seconds of the broker's clock (0.5 s phase): t = n·6 s − 0.5 s
    expect((exp!.tMs + 500) % 6000).toBe(0);
  });

  it('mosquitto 2.0: a client silent from its CONNECT is dropped within the measured windows (§10.2)', () => {
    for (const [k, lo, hi] of [[2, 4.6, 7.3], [10, 16.8, 17.8]] as const) {
      const r = run(scenario({
        durationMs: 40_000, broker: { id: 'broker', profile: 'mosquitto-2.0' },
        clients: [{ id: 's', keepAliveSeconds: k, reconnect: false }],
        actions: [{ atMs: 35, do: 'cut', link: ['s', 'broker'], direction: 'a->b' }],
      }));
      const connect = r.events('mqtt.recv', { node: 'broker', packet: 'CONNECT' })[0]!;
      const [exp] = r.events('broker.keepalive-expired');
      const after = (exp!.tMs - connect.tMs) / 1000;
      expect(after).toBeGreaterThanOrEqual(lo);
      expect(after).toBeLessThanOrEqual(hi);
    }
  });
});

describe('mqttjs-5 client keep-alive (behaviour.md §6.1)', () => {
  it('pings K after CONNACK and after each PINGRESP; gives up 1.5 K after the last reschedule', () => {
    const r = run(scenario({
      durationMs: 60_000,
      clients: [{ id: 'c', keepAliveSeconds: 10, reconnect: false }],
      actions: [{ atMs: 25_000, do: 'cut', link: ['c', 'broker'] }],
    }));
    const connack = r.events('mqtt.recv', { node: 'c', packet: 'CONNACK' })[0]!;
    const pings = r.events('mqtt.send', { node: 'c', packet: 'PINGREQ' });
    const pongs = r.events('mqtt.recv', { node: 'c', packet: 'PINGRESP' });
    expect(pings[0]!.tMs).toBe(connack.tMs + 10_000);
    expect(pings[1]!.tMs).toBe(pongs[0]!.tMs + 10_000);
    // PINGRESP at 20.08 s reschedules; the cut at 25 s eats the next PINGRESP.
    const lastPong = pongs[pongs.length - 1]!;
    expect(pings[2]!.tMs).toBe(lastPong.tMs + 10_000);
    const [to] = r.events('client.keepalive-timeout');
    expect(to!.tMs).toBe(lastPong.tMs + 15_000);
    expect(to!.tMs - pings[2]!.tMs).toBe(5_000);
    expect(to!.profile).toBe('mqttjs-5');
  });

  it('sending does not reschedule pings: a QoS 0 publisher still pings every K', () => {
    const r = run(scenario({
      durationMs: 35_000,
      clients: [{ id: 'c', keepAliveSeconds: 10, publish: [{ topic: 't', payload: 'x', everyMs: 1000 }] }],
    }));
    const connack = r.events('mqtt.recv', { node: 'c', packet: 'CONNACK' })[0]!;
    expect(r.events('mqtt.send', { node: 'c', packet: 'PINGREQ' })[0]!.tMs).toBe(connack.tMs + 10_000);
  });

  it('reconnects every 1000 ms after a keep-alive timeout', () => {
    const r = run(scenario({
      durationMs: 40_000,
      clients: [{ id: 'c', keepAliveSeconds: 4 }],
      actions: [{ atMs: 5_000, do: 'cut', link: ['c', 'broker'] }],
    }));
    const [to] = r.events('client.keepalive-timeout');
    const attempts = r.events('client.state', { node: 'c', state: 'connecting' });
    expect(attempts[1]!.tMs).toBe(to!.tMs + 1000);
  });

  it('obeys a 5.0 Server Keep Alive [MQTT-3.1.2-21]; paho-python ignores it', () => {
    for (const [library, want] of [['mqttjs-5', 5], ['paho-python', 20]] as const) {
      const r = run(scenario({
        durationMs: 20_000, broker: { id: 'broker', serverKeepAliveSeconds: 5 },
        clients: [{ id: 'c', protocol: '5.0', library, keepAliveSeconds: 20 }],
      }));
      expect(r.events('mqtt.send', { node: 'broker', packet: 'CONNACK' })[0]!.serverKeepAliveSeconds).toBe(5);
      expect(r.events('client.connected')[0]!.keepAliveSeconds).toBe(want);
      const broker = r.events('timer.set', { node: 'broker', timer: 'broker.keepalive' })[0]!;
      const connect = r.events('mqtt.recv', { node: 'broker', packet: 'CONNECT' })[0]!;
      expect(broker.dueMs).toBe(connect.tMs + 7_500);
    }
  });

  it('mqttjs-5 ignores a Server Keep Alive of 0 (`serverKeepAlive && options.keepalive`) and keeps pinging at K', () => {
    const r = run(scenario({
      durationMs: 30_000, broker: { id: 'broker', serverKeepAliveSeconds: 0 },
      clients: [{ id: 'c', protocol: '5.0', keepAliveSeconds: 10 }],
      actions: [{ atMs: 5_000, do: 'cut', link: ['c', 'broker'] }],
    }));
    const connected = r.events('client.connected')[0]!;
    expect(connected.keepAliveSeconds).toBe(10);
    expect(String(connected.why)).toContain('ignores the Server Keep Alive of 0 s');
    const connack = r.events('mqtt.recv', { node: 'c', packet: 'CONNACK' })[0]!;
    // Still a half-open detector: PINGREQ K after CONNACK, gives up 1.5 K after it.
    expect(r.events('mqtt.send', { node: 'c', packet: 'PINGREQ' })[0]!.tMs).toBe(connack.tMs + 10_000);
    expect(r.events('client.keepalive-timeout')[0]!.tMs).toBe(connack.tMs + 15_000);
  });
});

describe('maximum keep-alive (behaviour.md §4, mosquitto max_keepalive)', () => {
  it('mosquitto refuses a 3.1.1 client above the maximum with CONNACK 0x02; a 5.0 client gets Server Keep Alive', () => {
    const r = run(scenario({
      durationMs: 5_000, broker: { id: 'broker', profile: 'mosquitto-2.0', maxKeepAliveSeconds: 30 },
      clients: [
        { id: 'old', keepAliveSeconds: 60, reconnect: false },
        { id: 'new', protocol: '5.0', keepAliveSeconds: 60 },
      ],
    }));
    const acks = r.events('mqtt.send', { node: 'broker', packet: 'CONNACK' });
    expect(acks.find((e) => e.peer === 'old')!.reasonCode).toBe(2);
    expect(acks.find((e) => e.peer === 'new')).toMatchObject({ reasonCode: 0, serverKeepAliveSeconds: 30 });
    expect(r.events('client.connected').map((e) => [e.node, e.keepAliveSeconds])).toEqual([['new', 30]]);
  });
});

describe('paho-python client keep-alive (behaviour.md §6.2)', () => {
  it('PINGREQ at the first loop wake-up (every packet, then 1 s steps) once K passed; closes K after an unanswered PINGREQ', () => {
    const r = run(scenario({
      durationMs: 60_000,
      clients: [{ id: 'c', library: 'paho-python', keepAliveSeconds: 10, reconnect: false }],
      actions: [{ atMs: 25_000, do: 'cut', link: ['c', 'broker'] }],
    }));
    const pings = r.events('mqtt.send', { node: 'c', packet: 'PINGREQ' });
    // CONNECT at 20 ms, CONNACK at 40 ms. The loop wakes on every packet and 1 s after its last
    // wake: K = 10 s after the CONNECT (10.02 s) is first seen at the wake at 40 ms + 10 s.
    expect(pings[0]!.tMs).toBe(10_040);
    // PINGRESP at 10.06 s restarts the grid: K after that PINGREQ is seen at 10.06 + 10 s.
    expect(pings[1]!.tMs).toBe(20_060);
    expect(pings[2]!.tMs).toBe(30_080);
    // The link is cut at 25 s: no PINGRESP; K after the third PINGREQ the loop gives up.
    const [to] = r.events('client.keepalive-timeout');
    expect(to!.tMs).toBe(40_080);
    expect(to!.profile).toBe('paho-python');
  });

  it('reconnect backs off exponentially from 1 s', () => {
    const r = run(scenario({
      durationMs: 30_000,
      clients: [{ id: 'c', library: 'paho-python', keepAliveSeconds: 10 }],
      actions: [{ atMs: 1_000, do: 'crash', node: 'broker' }],
    }));
    const attempts = r.events('client.state', { node: 'c', state: 'connecting' }).map((e) => e.tMs);
    const gaps = attempts.slice(1).map((t, i) => Math.round(t - attempts[i]!));
    // refused at once (RST): waits 1 s, then 2 s, 4 s, 8 s … (plus the 20 ms of each refusal)
    expect(gaps.slice(1, 4)).toEqual([2020, 4020, 8020]);
  });

  it('a SYN nobody answers fails the attempt after 5 s (socket.create_connection timeout), whatever K', () => {
    for (const k of [60, 0]) {
      const r = run(scenario({
        durationMs: 40_000,
        clients: [{ id: 'c', library: 'paho-python', keepAliveSeconds: k, connectAtMs: 100 }],
        actions: [{ atMs: 0, do: 'power-off', node: 'broker' }],
      }));
      const attempts = r.events('client.state', { node: 'c', state: 'connecting' }).map((e) => e.tMs);
      const gaveUp = r.events('client.gave-up', { node: 'c' });
      // 0.1 s SYN, 5.1 s timed out, wait 1 s; 6.1 s SYN, 11.1 s out, wait 2 s; 13.1, 18.1 + 4; 22.1 …
      expect(attempts.slice(0, 4)).toEqual([100, 6_100, 13_100, 22_100]);
      expect(gaveUp.slice(0, 3).map((e) => e.tMs)).toEqual([5_100, 11_100, 18_100]);
      expect(String(gaveUp[0]!.why)).toContain('TCP connect not completed in 5 s');
      // Each abandoned SYN-SENT socket sent only its SYN and the retransmission at +1 s, +3 s.
      expect(r.events('seg.send', { node: 'c' }).filter((e) => e.tMs < 5_100).map((e) => e.tMs)).toEqual([100, 1_100, 3_100]);
    }
  });

  it('no CONNACK: the loop closes K after the attempt began, seen at the first wake-up after that', () => {
    const r = run(scenario({
      durationMs: 15_000,
      clients: [{ id: 'c', library: 'paho-python', keepAliveSeconds: 10, reconnect: false }],
      // The handshake completes (SYN-ACK sent at 10 ms), then nothing from the broker arrives.
      actions: [{ atMs: 15, do: 'cut', link: ['c', 'broker'], direction: 'b->a' }],
    }));
    expect(r.events('mqtt.send', { node: 'c', packet: 'CONNECT' })[0]!.tMs).toBe(20);
    // reconnect() set _last_msg_in at the attempt (0 s): K has passed at 10 s; the loop, woken
    // by the CONNECT write at 20 ms, checks at 20 ms + n·1 s: 10.02 s.
    const [gaveUp] = r.events('client.gave-up', { node: 'c' });
    expect(gaveUp!.tMs).toBe(10_020);
    expect(gaveUp!.reason).toBe('connect-timeout');
  });

  it('once connected, the CONNACK wait is K again (the socket timeout ended with the handshake)', () => {
    const r = run(scenario({
      durationMs: 40_000,
      clients: [{ id: 'c', library: 'paho-python', keepAliveSeconds: 10, connectAtMs: 0, reconnect: false }],
    }));
    // SYN at 0: the socket timeout (5 s); CONNECT at 20 ms: K from the attempt on the loop's grid
    // from the CONNECT write (10.02 s); CONNACK at 40 ms clears it.
    const sets = r.events('timer.set', { node: 'c', timer: 'client.connect-timeout' }).map((e) => [e.tMs, e.dueMs]);
    expect(sets).toEqual([[0, 5_000], [20, 10_020]]);
    const clears = r.events('timer.clear', { node: 'c', timer: 'client.connect-timeout' }).map((e) => e.tMs);
    expect(clears).toEqual([40]);
  });
});

describe('a refused CONNACK (aedes refuses MQTT 5.0 with return code 1)', () => {
  const refused = () => run(scenario({
    durationMs: 20_000, broker: { id: 'broker', profile: 'aedes' },
    clients: [
      { id: 'js', protocol: '5.0', keepAliveSeconds: 10 },
      { id: 'py', protocol: '5.0', library: 'paho-python', keepAliveSeconds: 10 },
    ],
  }));

  it('mqttjs-5 does not reconnect (reconnectOnConnackError is off by default)', () => {
    const r = refused();
    expect(r.events('mqtt.recv', { node: 'js', packet: 'CONNACK' }).map((e) => e.reasonCode)).toEqual([1]);
    expect(r.events('client.state', { node: 'js', state: 'connecting' })).toHaveLength(1);
    const last = r.events('client.state', { node: 'js' }).at(-1)!;
    expect(last.state).toBe('disconnected');
    expect(String(last.why)).toContain('does not reconnect after a refusal');
  });

  it('paho-python closes and tries again with its backoff (1, 2, 4 … s)', () => {
    const r = refused();
    const attempts = r.events('client.state', { node: 'py', state: 'connecting' }).map((e) => e.tMs);
    expect(attempts.length).toBeGreaterThanOrEqual(4);
    const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
    // each refused attempt takes one round trip and a half (SYN … CONNACK at 40 ms), then the wait
    expect(gaps.slice(0, 3).map((g) => Math.round(g / 1000))).toEqual([1, 2, 4]);
  });
});


describe('client timers in the trace: each set ends in a clear or goes off', () => {
  /** Replays timer.set (and its `replaces`) / timer.clear per (node, timer, conn) and reports timers still running at `t`. */
  function running(trace: { kind: string; tMs: number; [k: string]: unknown }[], node: string, t: number): string[] {
    const due = new Map<string, number>();
    for (const e of trace) {
      if (e.tMs > t) break;
      if (e.node !== node || (e.kind !== 'timer.set' && e.kind !== 'timer.clear') || !String(e.timer).startsWith('client.')) continue;
      const key = `${String(e.timer)} ${String(e.conn ?? '')}`;
      // A set that `replaces` another timer of the slot ends that one (a timer that moves).
      if (e.kind === 'timer.set' && e.replaces !== undefined) due.delete(`${String(e.replaces)} ${String(e.conn ?? '')}`);
      if (e.kind === 'timer.set') due.set(key, e.dueMs as number); else due.delete(key);
    }
    return [...due].filter(([, d]) => d > t).map(([k]) => k).sort();
  }

  for (const library of ['mqttjs-5', 'paho-python'] as const) {
    it(`${library}: after a PINGRESP only the next ping is pending; after a DISCONNECT no client timer is`, () => {
      const r = run(scenario({
        durationMs: 40_000,
        clients: [{ id: 'c', library, keepAliveSeconds: 10 }],
        actions: [{ atMs: 25_000, do: 'disconnect', node: 'c' }],
      }));
      const trace = r.trace as unknown as { kind: string; tMs: number; [k: string]: unknown }[];
      const pingresp = r.events('mqtt.recv', { node: 'c', packet: 'PINGRESP' })[0]!;
      expect(running(trace, 'c', pingresp.tMs)).toEqual(['client.ping c/1']);
      expect(running(trace, 'c', 25_000)).toEqual([]);
    });
  }
});
