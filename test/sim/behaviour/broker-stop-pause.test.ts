/**
 * What a broker does on `stop` (SIGTERM, profile `stop`, mqtt/broker/stop.ts) and while it is
 * stopped by `pause` (SIGSTOP) until `resume` (mqtt/broker/processor.ts). The real brokers are
 * compared in test/kernel: broker-stop-aedes, broker-pause-mosquitto, broker-pause-aedes.
 */
import { describe, expect, it } from 'vitest';
import type { BrokerProfileName, ClientSpec } from '../../../sim/scenario/types.ts';
import { BROKER_PROFILES } from '../../../sim/profiles/broker-profiles.ts';
import { run, scenario } from './helpers.ts';

describe('stop (SIGTERM): whose Will reaches whom', () => {
  // early and late subscribe to status/#; the devices have Wills and connect in this order.
  const clients: ClientSpec[] = [
    { id: 'early', keepAliveSeconds: 60, reconnect: false, subscriptions: [{ topic: 'status/#', qos: 1 }] },
    { id: 'd-q0', keepAliveSeconds: 60, reconnect: false, connectAtMs: 100, will: { topic: 'status/q0', payload: 'x', qos: 0 } },
    { id: 'd-q1', keepAliveSeconds: 60, reconnect: false, connectAtMs: 200, will: { topic: 'status/q1', payload: 'x', qos: 1 } },
    { id: 'd-ret', keepAliveSeconds: 60, reconnect: false, connectAtMs: 300, will: { topic: 'status/ret', payload: 'x', qos: 0, retain: true } },
    {
      id: 'd-sub', keepAliveSeconds: 60, reconnect: false, connectAtMs: 400, will: { topic: 'status/sub', payload: 'x', qos: 0 },
      subscriptions: [{ topic: 'cmd/d-sub', qos: 0 }],
    },
    { id: 'late', keepAliveSeconds: 60, reconnect: false, connectAtMs: 500, subscriptions: [{ topic: 'status/#', qos: 1 }] },
    { id: 'd-last', keepAliveSeconds: 60, reconnect: false, connectAtMs: 600, will: { topic: 'status/last', payload: 'x', qos: 0 } },
  ];
  const stopAt = 2_000;
  const table: [string, BrokerProfileName, string, string[], string[], number][] = [
    // profile, stop kind, topics early gets, topics late gets, Wills published
    ['mosquitto-2.0: every Will first, to every subscriber', 'mosquitto-2.0', 'wills-then-close',
      ['status/last', 'status/q0', 'status/q1', 'status/ret', 'status/sub'],
      ['status/last', 'status/q0', 'status/q1', 'status/ret', 'status/sub'], 5],
    ['spec: the same', 'spec', 'wills-then-close',
      ['status/last', 'status/q0', 'status/q1', 'status/ret', 'status/sub'],
      ['status/last', 'status/q0', 'status/q1', 'status/ret', 'status/sub'], 5],
    // aedes close(): only the QoS 0, unretained Will of a client without subscriptions goes out at
    // its turn, to the subscribers closed after it: late gets d-q0's, not d-last's (late is closed
    // first); early, closed first, gets none; the others go out after everyone is closed.
    ['aedes: close in turn', 'aedes', 'close-in-turn', [], ['status/q0'], 5],
  ];
  for (const [name, profile, kind, early, late, wills] of table) {
    it(name, () => {
      expect(BROKER_PROFILES[profile].stop.value.kind).toBe(kind);
      const r = run(scenario({
        durationMs: 3_000, broker: { id: 'broker', profile }, clients,
        actions: [{ atMs: stopAt, do: 'stop', node: 'broker' }],
      }));
      const got = (node: string) => r.events('message.delivered', { node }).map((e) => e.topic as string).sort();
      expect(got('early')).toEqual(early);
      expect(got('late')).toEqual(late);
      const published = r.events('will.published');
      expect(published).toHaveLength(wills);
      for (const w of published) expect(w).toMatchObject({ tMs: stopAt, cause: 'server-closed' });
      // The broker itself closes every connection with FIN at the stop (not the kernel at exit).
      const fins = r.events('seg.send', { node: 'broker' }).filter((e) => String(e.flags).includes('FIN'));
      expect(fins.map((e) => e.tMs)).toEqual(clients.map(() => stopAt));
    });
  }

  it('aedes: ClientIds that are array indices take their turns first, in numeric order (Object.keys)', () => {
    // Connect order: watch, dev, 42, late, 7, 007. aedes.close walks Object.keys(clients):
    // "7", "42" (array indices, ascending), then watch, dev, late, 007 (strings, as they came).
    const sub = (id: string, clientId: string, at: number): ClientSpec => ({
      id, clientId, keepAliveSeconds: 60, reconnect: false, connectAtMs: at, subscriptions: [{ topic: 'status/#', qos: 0 }],
    });
    const dev = (id: string, clientId: string, at: number): ClientSpec => ({
      id, clientId, keepAliveSeconds: 60, reconnect: false, connectAtMs: at, will: { topic: `status/${clientId}`, payload: 'x', qos: 0 },
    });
    const r = run(scenario({
      durationMs: 3_000, broker: { id: 'broker', profile: 'aedes' },
      clients: [sub('watch', 'watch', 0), dev('dev', 'dev', 100), sub('n42', '42', 200), sub('late', 'late', 300), dev('n7', '7', 400), dev('z7', '007', 500)],
      actions: [{ atMs: 2_000, do: 'stop', node: 'broker' }],
    }));
    const got = (node: string) => r.events('message.delivered', { node }).map((e) => e.topic as string).sort();
    // 7's turn is first: every subscriber is still there. dev's comes after 42 was closed.
    // 007 is not an array index: its turn is last, after every subscriber.
    expect(got('n42')).toEqual(['status/7']);
    expect(got('watch')).toEqual(['status/7']);
    expect(got('late')).toEqual(['status/7', 'status/dev']);
    const finTo = r.events('seg.send', { node: 'broker' }).filter((e) => String(e.flags).includes('FIN')).map((e) => e.peer);
    expect(finTo).toEqual(['n7', 'n42', 'watch', 'dev', 'late', 'z7']);
  });

  it('aedes: nothing is saved and the restart starts empty (in-memory persistence)', () => {
    const r = run(scenario({
      durationMs: 10_000, broker: { id: 'broker', profile: 'aedes', persistence: { autosaveIntervalSeconds: 1 } },
      clients: [{ id: 'sensor', keepAliveSeconds: 60, reconnect: false, will: { topic: 's', payload: 'offline' } }],
      actions: [
        { atMs: 1_000, do: 'publish', node: 'sensor', topic: 't', payload: 'x', qos: 0, retain: true },
        { atMs: 5_000, do: 'stop', node: 'broker' }, { atMs: 6_000, do: 'restart', node: 'broker' },
      ],
    }));
    expect(r.events('will.published').map((e) => [e.tMs, e.cause])).toEqual([[5_000, 'server-closed']]);
    expect(r.events('broker.store-saved')).toHaveLength(0);
    expect(r.events('broker.store-restored')[0]).toMatchObject({ savedAtMs: null, sessions: 0, retained: 0 });
  });
});

describe('pause (SIGSTOP) … resume (SIGCONT)', () => {
  // The kernel experiment's world: quiet (K = 2) gives up at 1.5 K and closes (its PINGREQ and FIN
  // wait unread); dead (K = 2) loses power; crasher (K = 60) crashes. Stopped 1 s … 9 s.
  const world = (profile: BrokerProfileName) => run(scenario({
    durationMs: 11_000, broker: { id: 'broker', profile },
    clients: [
      { id: 'quiet', keepAliveSeconds: 2, reconnect: false, will: { topic: 'status/quiet', payload: 'gone', qos: 1 } },
      { id: 'dead', keepAliveSeconds: 2, reconnect: false, will: { topic: 'status/dead', payload: 'gone', qos: 1 } },
      { id: 'crasher', keepAliveSeconds: 60, reconnect: false, will: { topic: 'status/crasher', payload: 'gone', qos: 1 } },
    ],
    links: ['quiet', 'dead', 'crasher'].map((c) => ({ between: [c, 'broker'] as [string, string], latencyUs: 25 })),
    actions: [
      { atMs: 1_000, do: 'pause', node: 'broker' }, { atMs: 1_500, do: 'power-off', node: 'dead' },
      { atMs: 4_000, do: 'crash', node: 'crasher' }, { atMs: 9_000, do: 'resume', node: 'broker' },
    ],
  }));
  for (const profile of ['spec', 'mosquitto-2.0', 'aedes'] as const) {
    it(`${profile}: nothing while stopped; at resume keep-alive first (dead, quiet), then the reads (crasher)`, () => {
      const r = world(profile);
      const wills = r.events('will.published').map((e) => [e.clientId, e.tMs, e.cause]);
      // The two overdue deadlines in their own order, then the read of crasher's end of stream.
      expect(wills.slice(0, 2).sort()).toEqual([['dead', 9_000, 'keepalive'], ['quiet', 9_000, 'keepalive']]);
      expect(wills.slice(2)).toEqual([['crasher', 9_000, 'connection-lost']]);
      // quiet's PINGREQ waited unread: dropped for keep-alive all the same, and the close resets.
      const quiet = r.events('broker.keepalive-expired', { clientId: 'quiet' })[0]!;
      expect(quiet.why).toMatch(/while the broker was stopped .*before reading its sockets/);
      expect(r.events('mqtt.send', { node: 'broker', packet: 'PINGRESP' })).toHaveLength(0);
      const ctl = (to: string) => r.events('seg.send', { node: 'broker', peer: to })
        .filter((e) => /FIN|RST/.test(String(e.flags))).map((e) => [e.tMs, String(e.flags).includes('RST') ? 'R' : 'F']);
      expect(ctl('quiet')).toEqual([[9_000, 'R']]);
      // crasher's FIN (4 s) was acknowledged by the kernel; the broker's own FIN only at resume.
      expect(ctl('crasher')).toEqual([[9_000, 'F']]);
      const crasherWill = r.events('will.published', { clientId: 'crasher' })[0]!;
      expect(crasherWill.why).toMatch(/FIN came at 4000\.025 ms while the broker was stopped/);
    });
  }

  // A client (K = 4: 1.5 K = 6 s) loses power at 0.5 s; its last packet read is its CONNECT.
  const silent = (profile: BrokerProfileName, pause: boolean) => run(scenario({
    durationMs: 20_000, broker: { id: 'broker', profile },
    clients: [{ id: 's', keepAliveSeconds: 4, reconnect: false, will: { topic: 'w', payload: 'x' } }],
    actions: [{ atMs: 500, do: 'power-off', node: 's' },
      ...(pause ? [{ atMs: 1_000, do: 'pause' as const, node: 'broker' }, { atMs: 9_000, do: 'resume' as const, node: 'broker' }] : [])],
  })).events('broker.keepalive-expired').map((e) => [e.tMs, e.why]);
  const scanTable: [string, BrokerProfileName, boolean, number, RegExp][] = [
    // mosquitto's scans: every 6 clock seconds from its start (clock phase 0.5 s): 5.5, 11.5 s …
    ['mosquitto-2.0 running: at the grid scan after 1.5 K', 'mosquitto-2.0', false, 11_500, /scan on its whole-second clock/],
    // Stopped 1 … 9 s: the first loop turn after SIGCONT scans at once (last scan 5.5 s before
    // the stop was more than 5 s ago), before the 11.5 s grid instant.
    ['mosquitto-2.0 stopped: the scan at resume', 'mosquitto-2.0', true, 9_000, /scan ran at once when the broker continued/],
    ['spec running: exactly 1.5 K after the CONNECT (read at 30 ms)', 'spec', false, 6_030, /for 1\.5 × 4 s$/],
    ['spec stopped: the overdue deadline at resume', 'spec', true, 9_000, /deadline came at 6030 ms while the broker was stopped/],
  ];
  for (const [name, profile, pause, atMs, why] of scanTable) {
    it(`keep-alive of a silent client, ${name}`, () => {
      const got = silent(profile, pause);
      expect(got).toHaveLength(1);
      expect(got[0]![0]).toBe(atMs);
      expect(got[0]![1]).toMatch(why);
    });
  }

  it('a client whose deadline has not passed is answered at resume, not dropped', () => {
    // K = 10: MQTT.js pings at 10 s, 1.5 K = 15 s; the broker is stopped from 9 s to 12 s.
    const r = run(scenario({
      durationMs: 20_000, broker: { id: 'broker', profile: 'spec' },
      clients: [{ id: 'c', keepAliveSeconds: 10, reconnect: false, will: { topic: 'w', payload: 'x' } }],
      actions: [{ atMs: 9_000, do: 'pause', node: 'broker' }, { atMs: 12_000, do: 'resume', node: 'broker' }],
    }));
    expect(r.events('mqtt.send', { node: 'broker', packet: 'PINGRESP' }).map((e) => e.tMs)).toEqual([12_000]);
    expect(r.events('will.published')).toHaveLength(0);
  });

  it('autosave waits for resume', () => {
    const r = run(scenario({
      durationMs: 5_000, broker: { id: 'broker', profile: 'spec', persistence: { autosaveIntervalSeconds: 1 } },
      clients: [],
      actions: [{ atMs: 1_500, do: 'pause', node: 'broker' }, { atMs: 3_200, do: 'resume', node: 'broker' }],
    }));
    expect(r.events('broker.store-saved').map((e) => e.tMs)).toEqual([1_000, 3_200, 4_200]);
  });
});

describe('mosquitto: the keep-alive scan at SIGCONT moves its scan grid', () => {
  // Scans every 6 s on its whole-second clock (6, 12, 18 …). Stopped 7 s … 15.2 s, it scans at
  // once (second 15) and counts its later scans from there (21, 27, 33): late (K = 20, silent
  // since its CONNECT at 1 s) is dropped at second 33, not 36. test/kernel: broker-pause-mosquitto-grid.
  const world = (resumeAtMs: number) => run(scenario({
    durationMs: 40_000, broker: { id: 'broker', profile: 'mosquitto-2.0' },
    clients: [{ id: 'late', keepAliveSeconds: 20, reconnect: false, connectAtMs: 1_000, will: { topic: 'status/late', payload: 'gone' } }],
    links: [{ between: ['late', 'broker'], latencyUs: 25 }],
    actions: [
      { atMs: 2_000, do: 'power-off', node: 'late' },
      { atMs: 7_000, do: 'pause', node: 'broker' }, { atMs: resumeAtMs, do: 'resume', node: 'broker' },
    ],
  }));

  it('a scan at resume (more than 5 s since the last one): the next scans count from it', () => {
    const r = world(15_200);
    expect(r.events('broker.keepalive-expired').map((e) => e.tMs)).toEqual([32_500]);
    expect(r.events('will.published').map((e) => e.tMs)).toEqual([32_500]);
  });

  it('no scan at resume (its last one less than 5 s before): the grid stays', () => {
    const r = world(10_200); // last scan at second 6, now second 10: 6 + 5 < 10 is false
    expect(r.events('broker.keepalive-expired').map((e) => e.tMs)).toEqual([35_500]);
  });
});
