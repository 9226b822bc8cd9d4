/**
 * A device whose firmware pings at its own interval (client `pingIntervalMs`), or not at all
 * (`pingIntervalMs: false`), whatever keep-alive K its CONNECT declares. The broker holds it to
 * K: [MQTT-3.1.2-24] (3.1.1) / MQTT 5.0 §3.1.2.10: if the Server does not receive a Control
 * Packet within one and a half times the Keep Alive period, it MUST close the connection.
 *
 * On the default 10 ms link the broker reads CONNECT at 30 ms, so with K = 10 s the `spec`
 * broker's deadline is 30 + 15 000 = 15 030 ms; the client reads CONNACK at 40 ms and MQTT.js
 * sends its first PINGREQ one ping interval later, which reaches the broker 10 ms after that.
 */
import { describe, expect, it } from 'vitest';
import { run, scenario } from '../behaviour/helpers.ts';
import type { ClientSpec } from '../../../sim/scenario/types.ts';

const device = (over: Partial<ClientSpec>): ClientSpec => ({
  id: 'sensor', keepAliveSeconds: 10, reconnect: false, will: { topic: 'status/sensor', payload: 'offline' }, ...over,
});

function go(client: ClientSpec) {
  return run(scenario({ durationMs: 60_000, clients: [client] }), { pairedCheck: true });
}

describe('firmware ping interval against the broker\'s 1.5 × K deadline (spec broker, K = 10 s)', () => {
  it.each([
    // protocol, library, pingIntervalMs, first PINGREQ sent at, broker closes at (null: never)
    ['3.1.1', 'mqttjs-5', undefined, 10_040, null], //  K itself: ping at 10 040, arrives 10 050 < 15 030
    ['3.1.1', 'mqttjs-5', 14_970, 15_010, null], //     arrives 15 020, 10 ms inside the deadline
    ['3.1.1', 'mqttjs-5', 14_990, 15_030, 15_030], //   arrives 15 040: 10 ms late, expired at exactly 1.5 × K
    ['3.1.1', 'mqttjs-5', 20_000, null, 15_030], //     late firmware: the broker closes before the first ping
    ['5.0', 'mqttjs-5', 20_000, null, 15_030], //       MQTT 5 §3.1.2.10: the same 1.5 × K
    ['3.1.1', 'paho-python', 20_000, null, 15_030], //  Paho's loop on the firmware's period
    ['3.1.1', 'paho-python', 12_000, 12_040, null],
  ] as const)('%s %s, pings every %s ms: first PINGREQ at %s ms, broker closes at %s ms', (protocol, library, every, pingAt, expiredAt) => {
    const r = go(device({ protocol, library, ...(every === undefined ? {} : { pingIntervalMs: every }) }));
    expect(r.events('mqtt.send', { node: 'sensor', packet: 'PINGREQ' })[0]?.tMs ?? null).toBe(pingAt);
    const expired = r.events('broker.keepalive-expired');
    expect(expired[0]?.tMs ?? null).toBe(expiredAt);
    if (expiredAt !== null) {
      expect(expired.map((e) => [e.lastRecvMs, e.keepAliveSeconds])).toEqual([[30, 10]]);
      expect(r.events('will.published').map((e) => [e.tMs, e.cause])).toEqual([[expiredAt, 'keepalive']]);
    }
    // The device still declares K = 10 s in its CONNECT.
    expect(r.events('mqtt.recv', { node: 'broker', packet: 'CONNECT' })[0]!.keepAliveSeconds).toBe(10);
  });

  it('MQTT.js pings every interval while the link is healthy (14 000 ms after each PINGRESP)', () => {
    const r = go(device({ pingIntervalMs: 14_000 }));
    expect(r.events('mqtt.send', { node: 'sensor', packet: 'PINGREQ' }).map((e) => e.tMs)).toEqual([14_040, 28_060, 42_080, 56_100]);
    expect(r.events('broker.keepalive-expired')).toEqual([]);
  });

  it('pingIntervalMs false: no PINGREQ ever; data alone keeps the connection ([MQTT-3.1.2-24]: any Control Packet)', () => {
    const withData = go(device({ pingIntervalMs: false, publish: [{ topic: 't', payload: 'x', everyMs: 5000, startMs: 1000 }] }));
    expect(withData.events('mqtt.send', { packet: 'PINGREQ' })).toEqual([]);
    expect(withData.events('broker.keepalive-expired')).toEqual([]);
    expect(withData.events('client.keepalive-timeout')).toEqual([]);
  });

  it('pingIntervalMs false and nothing to send: the broker closes at 1.5 × K, the device never gives up by itself', () => {
    const r = go(device({ pingIntervalMs: false }));
    expect(r.events('broker.keepalive-expired').map((e) => e.tMs)).toEqual([15_030]);
    expect(r.events('client.keepalive-timeout')).toEqual([]);
    expect(r.events('conn.closed', { node: 'sensor' }).map((e) => [e.tMs, e.cause])).toEqual([[15_040, 'fin']]);
  });

  it('firmware pinging faster than K (every 5 s with K = 10 s): a PINGREQ every 5 s after each PINGRESP', () => {
    const r = go(device({ pingIntervalMs: 5000 }));
    const pings = r.events('mqtt.send', { node: 'sensor', packet: 'PINGREQ' }).map((e) => e.tMs);
    expect(pings.slice(0, 3)).toEqual([5040, 10_060, 15_080]);
    expect(pings.length).toBe(11);
    expect(r.events('broker.keepalive-expired')).toEqual([]);
  });
});
