/**
 * The client's own QoS 1/2 messages across a reconnect ([MQTT-4.4.0-1]) and what it does with
 * messages published while offline, per client profile (sim/profiles/client-profiles.ts).
 * Setup: the sensor publishes every 2 s from t = 1 s; the link is cut at 10.5 s, so the PUBLISH
 * of 11 s is never acknowledged; MQTT.js gives up 1.5 K = 7.5 s after its last reschedule, and
 * the cut heals at 20 s, before the reconnect.
 */
import { describe, expect, it } from 'vitest';
import type { ClientSpec, QoS } from '../../../sim/scenario/types.ts';
import { run, scenario } from './helpers.ts';

const dashboard: ClientSpec = { id: 'dashboard', subscriptions: [{ topic: 'sensors/#', qos: 2 }] };

function world(sensor: Partial<ClientSpec>, qos: QoS = 1) {
  return run(scenario({
    durationMs: 40_000,
    clients: [{
      id: 'sensor', keepAliveSeconds: 5,
      publish: [{ topic: 'sensors/t', payload: '21', qos, everyMs: 2_000, startMs: 1_000 }], ...sensor,
    }, dashboard],
    actions: [
      { atMs: 10_500, do: 'cut', link: ['sensor', 'broker'] },
      { atMs: 20_000, do: 'heal', link: ['sensor', 'broker'] },
    ],
  }));
}

describe('unacknowledged QoS 1/2 messages across a reconnect (MQTT-4.4.0-1)', () => {
  it.each([
    ['mqttjs-5', false], ['paho-python', true],
  ] as const)('%s, CleanSession 0: the lost PUBLISH is resent with its identifier first thing after CONNACK (DUP %s)', (library, dup) => {
    const r = world({ cleanStart: false, library });
    const sent = r.events('mqtt.send', { node: 'sensor', packet: 'PUBLISH' });
    const lost = sent.find((e) => e.tMs === 11_000)!;
    expect(lost).toMatchObject({ qos: 1, dup: false });
    const connacks = r.events('client.connected', { node: 'sensor' });
    expect(connacks).toHaveLength(2);
    expect(connacks[1]!.sessionPresent).toBe(true);
    const after = r.trace.filter((e) => e.seq > connacks[1]!.seq && e.kind === 'mqtt.send' && e.node === 'sensor') as typeof sent;
    expect(after[0]).toMatchObject({
      packet: 'PUBLISH', messageId: lost.messageId, dup, rule: 'MQTT-4.4.0-1', profile: library, tMs: connacks[1]!.tMs,
    });
    // The broker acknowledges it on the new connection.
    const acks = r.events('mqtt.recv', { node: 'sensor', packet: 'PUBACK', messageId: lost.messageId });
    expect(acks.at(-1)!.tMs).toBeGreaterThan(connacks[1]!.tMs);
    // New messages never reuse an identifier that was still in flight.
    const ids = sent.filter((e) => e.tMs > 11_000 && e.tMs < connacks[1]!.tMs).map((e) => e.messageId);
    expect(ids).not.toContain(lost.messageId);
  });

  it('CleanSession 1: the libraries resend anyway, and the broker\'s new session takes it as a new message', () => {
    const r = world({ cleanStart: true });
    const connacks = r.events('client.connected', { node: 'sensor' });
    expect(connacks[1]!.sessionPresent).toBe(false);
    const lost = r.events('mqtt.send', { node: 'sensor', packet: 'PUBLISH' }).find((e) => e.tMs === 11_000)!;
    const resent = r.events('mqtt.send', { node: 'sensor', packet: 'PUBLISH', messageId: lost.messageId })
      .filter((e) => e.tMs === connacks[1]!.tMs);
    expect(resent).toHaveLength(1);
    expect(String(resent[0]!.why)).toMatch(/kept no session/);
    expect(resent[0]!.rule).toBeUndefined(); // not the standard's case
  });

  it('5.0 with a session: the lost QoS 2 PUBLISH is resent and completes (PUBREC, PUBREL, PUBCOMP)', () => {
    const r = world({ protocol: '5.0', cleanStart: false, sessionExpirySeconds: 300 }, 2);
    const lost = r.events('mqtt.send', { node: 'sensor', packet: 'PUBLISH' }).find((e) => e.tMs === 11_000)!;
    const resent = r.events('mqtt.send', { node: 'sensor', packet: 'PUBLISH', rule: 'MQTT-4.4.0-1' });
    expect(resent.map((e) => e.messageId)).toContain(lost.messageId);
    expect(r.events('mqtt.recv', { node: 'sensor', packet: 'PUBCOMP', messageId: lost.messageId })).not.toHaveLength(0);
  });
});

describe('publishing while offline (client profiles)', () => {
  // The sensor is offline from its keep-alive timeout (~16.5 s) until the reconnect after 20 s.
  const offline = (r: ReturnType<typeof world>) => {
    const gaveUp = r.events('client.keepalive-timeout', { node: 'sensor' })[0]!.tMs;
    const back = r.events('client.connected', { node: 'sensor' })[1]!.tMs;
    return { gaveUp, back };
  };

  it('mqttjs-5 keeps QoS 0 messages published offline (queueQoSZero) and sends them after CONNACK', () => {
    const r = world({ cleanStart: false }, 0);
    const { gaveUp, back } = offline(r);
    const kept = r.events('mqtt.send', { node: 'sensor', packet: 'PUBLISH', profile: 'mqttjs-5' });
    expect(kept.length).toBeGreaterThan(0);
    for (const e of kept) expect(e.tMs).toBe(back);
    // One per periodic publish that fell in the offline window.
    const due = Array.from({ length: 40 }, (_, i) => 1_000 + 2_000 * i).filter((t) => t > gaveUp && t < back);
    expect(kept).toHaveLength(due.length);
  });

  it('paho-python drops QoS 0 published offline but keeps QoS 1', () => {
    const q0 = world({ cleanStart: false, library: 'paho-python' }, 0);
    expect(q0.events('mqtt.send', { node: 'sensor', packet: 'PUBLISH', profile: 'paho-python' })).toHaveLength(0);
    const q1 = world({ cleanStart: false, library: 'paho-python' }, 1);
    const { back } = offline(q1);
    const kept = q1.events('mqtt.send', { node: 'sensor', packet: 'PUBLISH', dup: false, profile: 'paho-python' });
    expect(kept.length).toBeGreaterThan(0);
    for (const e of kept) expect(e.tMs).toBe(back);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('at least once over a lossy link (seed %i): every QoS 1 message sent reaches the broker', (seed) => {
    // 50 % loss for a minute (keep-alive timeouts, reconnects, resends), then a clean link.
    const actions = Array.from({ length: 50 }, (_, i) => ({
      atMs: 1_000 + i * 1_000, do: 'publish' as const, node: 'sensor', topic: 'data/x', payload: `m${i}`, qos: 1 as QoS,
    }));
    const r = run(scenario({
      seed, durationMs: 240_000,
      clients: [{ id: 'sensor', keepAliveSeconds: 2, cleanStart: false }],
      links: [{ between: ['sensor', 'broker'], latencyMs: 50, loss: 0.5 }],
      actions: [...actions, { atMs: 60_000, do: 'set-link', link: ['sensor', 'broker'], loss: 0 }],
    }));
    const sent = new Set(r.events('mqtt.send', { node: 'sensor', packet: 'PUBLISH', dup: false }).map((e) => e.payload));
    const got = new Set(r.events('mqtt.recv', { node: 'broker', packet: 'PUBLISH' }).map((e) => e.payload));
    expect(sent.size).toBeGreaterThan(3);
    expect([...sent].filter((m) => !got.has(m))).toEqual([]);
  });
});

describe('receiving QoS 2: the library hands the message to the app at PUBREL', () => {
  for (const library of ['mqttjs-5', 'paho-python'] as const) {
    it(`${library}: PUBREC at the PUBLISH, message.delivered and PUBCOMP at the PUBREL`, () => {
      const r = run(scenario({
        durationMs: 5_000,
        clients: [
          { id: 'pub', keepAliveSeconds: 30, publish: [{ topic: 'a/b', payload: 'x', qos: 2, everyMs: 10_000, startMs: 1_000 }] },
          { id: 'sub', library, keepAliveSeconds: 30, subscriptions: [{ topic: 'a/#', qos: 2 }] },
        ],
      }));
      const publish = r.events('mqtt.recv', { node: 'sub', packet: 'PUBLISH' })[0]!;
      const pubrel = r.events('mqtt.recv', { node: 'sub', packet: 'PUBREL' })[0]!;
      const [delivered, ...more] = r.events('message.delivered', { node: 'sub' });
      expect(more).toHaveLength(0);
      expect(pubrel.tMs).toBeGreaterThan(publish.tMs);
      expect(delivered!.tMs).toBe(pubrel.tMs);
      expect(delivered!.seq).toBeGreaterThan(pubrel.seq);
      expect(delivered).toMatchObject({ topic: 'a/b', payload: 'x', qos: 2 });
      expect(r.events('mqtt.send', { node: 'sub', packet: 'PUBREC' })[0]!.tMs).toBe(publish.tMs);
      expect(r.events('mqtt.send', { node: 'sub', packet: 'PUBCOMP' })[0]!.tMs).toBe(pubrel.tMs);
    });
  }
});

describe('subscriptions after a reconnect that resumed the session', () => {
  it('mqttjs-5 does not resubscribe when Session Present is 1; paho-python (subscribe in on_connect) does', () => {
    const r = run(scenario({
      durationMs: 60_000,
      clients: [
        { id: 'js', keepAliveSeconds: 10, cleanStart: false, subscriptions: [{ topic: 'a/#', qos: 1 }] },
        { id: 'py', library: 'paho-python', keepAliveSeconds: 10, cleanStart: false, subscriptions: [{ topic: 'a/#', qos: 1 }] },
      ],
      actions: [
        { atMs: 5_000, do: 'cut', link: ['js', 'broker'] }, { atMs: 5_000, do: 'cut', link: ['py', 'broker'] },
        { atMs: 30_000, do: 'heal', link: ['js', 'broker'] }, { atMs: 30_000, do: 'heal', link: ['py', 'broker'] },
      ],
    }));
    for (const node of ['js', 'py']) {
      const connected = r.events('client.connected', { node });
      expect(connected.length, node).toBeGreaterThanOrEqual(2);
      expect(connected.at(-1)!.sessionPresent, node).toBe(true);
    }
    expect(r.events('mqtt.send', { node: 'js', packet: 'SUBSCRIBE' })).toHaveLength(1);
    expect(r.events('mqtt.send', { node: 'py', packet: 'SUBSCRIBE' })).toHaveLength(r.events('client.connected', { node: 'py' }).length);
  });
});

describe('trace: the reason code of MQTT 5 acks is shown on both ends (CONTRACT.md: reasonCode where the packet has one)', () => {
  for (const protocol of ['5.0', '3.1.1'] as const) {
    it(`${protocol}: every PUBREC / PUBREL / PUBCOMP sent carries the same reasonCode as when received`, () => {
      const r = run(scenario({
        durationMs: 3_000,
        clients: [
          { id: 'pub', protocol, keepAliveSeconds: 30, publish: [{ topic: 'a', payload: 'x', qos: 2, everyMs: 10_000, startMs: 500 }] },
          { id: 'sub', protocol, keepAliveSeconds: 30, subscriptions: [{ topic: 'a', qos: 2 }] },
        ],
      }));
      for (const packet of ['PUBREC', 'PUBREL', 'PUBCOMP']) {
        const sent = r.events('mqtt.send', { packet });
        const received = r.events('mqtt.recv', { packet });
        expect(sent, packet).toHaveLength(2);
        expect(sent.map((e) => e.reasonCode), packet).toEqual(received.map((e) => e.reasonCode));
        expect(sent.map((e) => e.reasonCode), packet).toEqual(protocol === '5.0' ? [0, 0] : [undefined, undefined]);
      }
    });
  }
});

describe('the pace of the resend after a reconnect (profile resendPace)', () => {
  it('mqttjs-5 sends its stored messages one at a time, each when the previous PUBACK is back; paho-python all at once', () => {
    for (const library of ['mqttjs-5', 'paho-python'] as const) {
      const r = world({ cleanStart: false, library });
      const connected = r.events('client.connected', { node: 'sensor' })[1]!;
      const resent = r.events('mqtt.send', { node: 'sensor', packet: 'PUBLISH' })
        .filter((e) => e.seq > connected.seq && typeof e.why === 'string');
      expect(resent.length, library).toBeGreaterThanOrEqual(3);
      if (library === 'paho-python') {
        expect(new Set(resent.map((e) => e.tMs)).size, library).toBe(1);
        continue;
      }
      // Each resend goes out at the instant the previous message's PUBACK arrives.
      for (let i = 1; i < resent.length; i++) {
        const ack = r.events('mqtt.recv', { node: 'sensor', packet: 'PUBACK', messageId: resent[i - 1]!.messageId })
          .find((e) => e.seq > resent[i - 1]!.seq)!;
        expect(resent[i]!.tMs, `resend ${i}`).toBe(ack.tMs);
        expect(resent[i]!.seq).toBeGreaterThan(ack.seq);
      }
    }
  });

  it('mqttjs-5 holds a publish made while it drains the store until the drain ends (_storeProcessingQueue)', () => {
    // A reading published 10 ms after the CONNACK, while the first resend still waits for its PUBACK.
    const r = world({ cleanStart: false });
    const connected = r.events('client.connected', { node: 'sensor' })[1]!;
    const s = run(scenario({
      durationMs: 40_000,
      clients: [{
        id: 'sensor', keepAliveSeconds: 5, cleanStart: false,
        publish: [{ topic: 'sensors/t', payload: '21', qos: 1, everyMs: 2_000, startMs: 1_000 }],
      }, dashboard],
      actions: [
        { atMs: 10_500, do: 'cut', link: ['sensor', 'broker'] },
        { atMs: 20_000, do: 'heal', link: ['sensor', 'broker'] },
        { atMs: connected.tMs + 10, do: 'publish', node: 'sensor', topic: 'sensors/late', payload: 'now', qos: 1 },
      ],
    }));
    const sends = s.events('mqtt.send', { node: 'sensor', packet: 'PUBLISH' }).filter((e) => e.tMs >= connected.tMs);
    const late = sends.findIndex((e) => e.topic === 'sensors/late');
    const lastStored = sends.reduce((last, e, i) => (typeof e.why === 'string' ? i : last), -1);
    expect(late).toBeGreaterThan(lastStored);
    expect(sends[late]!.tMs).toBeGreaterThan(connected.tMs + 10);
  });
});

describe('QoS 2 exactly once across a reconnect (broker side, [MQTT-4.3.3-2])', () => {
  for (const profile of ['spec', 'mosquitto-2.0', 'aedes'] as const) {
    it(`${profile}: a PUBLISH resent after the PUBREC was lost is acknowledged again but not delivered twice`, () => {
      const r = run(scenario({
        durationMs: 20_000, broker: { id: 'broker', profile },
        clients: [
          { id: 'pub', keepAliveSeconds: 2, cleanStart: false },
          { id: 'sub', keepAliveSeconds: 60, subscriptions: [{ topic: 't', qos: 2 }] },
        ],
        actions: [
          { atMs: 900, do: 'cut', link: ['broker', 'pub'], direction: 'a->b' },
          { atMs: 1_000, do: 'publish', node: 'pub', topic: 't', payload: 'once', qos: 2 },
          { atMs: 8_000, do: 'heal', link: ['broker', 'pub'], direction: 'a->b' },
        ],
      }));
      const received = r.events('mqtt.recv', { node: 'broker', peer: 'pub', packet: 'PUBLISH' });
      expect(received.length).toBeGreaterThanOrEqual(2); // the original and the resend after the reconnect
      expect(new Set(received.map((e) => e.conn)).size).toBe(2);
      expect(r.events('mqtt.send', { node: 'broker', peer: 'pub', packet: 'PUBREC' }).length).toBe(received.length);
      expect(r.events('message.delivered', { node: 'sub', payload: 'once' })).toHaveLength(1);
    });
  }
});

describe('a retained message resent after a reconnect keeps RETAIN 1 ([MQTT-3.3.1-8], [MQTT-4.4.0-1])', () => {
  it('the broker resends the unacknowledged retained PUBLISH as it first sent it, with DUP', () => {
    const r = run(scenario({
      durationMs: 12_000,
      clients: [
        { id: 'pub', keepAliveSeconds: 60 },
        { id: 'sub', keepAliveSeconds: 2, cleanStart: false, connectAtMs: 1_000, subscriptions: [{ topic: 'r', qos: 1 }] },
      ],
      actions: [
        { atMs: 100, do: 'publish', node: 'pub', topic: 'r', payload: 'ret', qos: 1, retain: true },
        // The retained copy goes out on the SUBSCRIBE at ~1.05 s; the broker→sub direction is cut
        // just before it, so no PUBACK comes back and the session keeps it in flight.
        { atMs: 1_045, do: 'cut', link: ['broker', 'sub'], direction: 'a->b' },
        { atMs: 6_000, do: 'heal', link: ['broker', 'sub'], direction: 'a->b' },
      ],
    }));
    const sent = r.events('mqtt.send', { node: 'broker', peer: 'sub', packet: 'PUBLISH' });
    expect(sent.length).toBeGreaterThanOrEqual(2);
    expect(sent.map((e) => [e.retain, e.dup])).toEqual([[true, false], ...sent.slice(1).map(() => [true, true])]);
    expect(r.events('message.delivered', { node: 'sub' }).at(-1)!.retain).toBe(true);
  });
});

describe('a persistent session offline: what a full queue keeps (profile offlineQueueLimit)', () => {
  function overflow(profile: 'spec' | 'mosquitto-2.0' | 'aedes') {
    const publishes = Array.from({ length: 1_200 }, (_, i) => (
      { atMs: 1_000 + 2 * i, do: 'publish' as const, node: 'pub', topic: 'q', payload: `p${i}`, qos: 1 as const }));
    const r = run(scenario({
      durationMs: 8_000, broker: { id: 'broker', profile },
      clients: [
        { id: 'pub', keepAliveSeconds: 60 },
        { id: 'sub', keepAliveSeconds: 60, cleanStart: false, reconnect: false, subscriptions: [{ topic: 'q', qos: 1 }] },
      ],
      actions: [{ atMs: 500, do: 'disconnect', node: 'sub' }, ...publishes, { atMs: 5_000, do: 'connect', node: 'sub' }],
    }));
    return r.events('message.delivered', { node: 'sub' }).map((e) => e.payload);
  }

  it('mosquitto-2.0 keeps the first 1000 and drops the newer ones (max_queued_messages)', () => {
    const got = overflow('mosquitto-2.0');
    expect(got).toHaveLength(1_000);
    expect(got[0]).toBe('p0');
    expect(got.at(-1)).toBe('p999');
  });

  it('spec and aedes keep all 1200 in order', () => {
    for (const profile of ['spec', 'aedes'] as const) {
      const got = overflow(profile);
      expect(got, profile).toHaveLength(1_200);
      expect(got.slice(0, 2).concat(got.slice(-1)), profile).toEqual(['p0', 'p1', 'p1199']);
    }
  });
});
