import { describe, expect, it } from 'vitest';
import type { BrokerProfileName, ProtocolVersion } from '../../../sim/scenario/types.ts';
import { run, scenario } from './helpers.ts';

/**
 * One subscriber with two overlapping subscriptions, one QoS 2 PUBLISH to a/b. The expected
 * copies are what test/kernel/loopback/overlap.test.ts measured on mosquitto 2.0.11 and aedes 1.2.0
 * (QoS of each copy, in arrival order); `spec` follows [MQTT-3.3.5-1] / [MQTT-3.3.4-2].
 */
function copies(profile: BrokerProfileName, protocol: ProtocolVersion, hashQos: 0 | 2, plusQos: 0 | 2): number[] {
  const r = run(scenario({
    durationMs: 3_000, broker: { id: 'broker', profile },
    clients: [
      { id: 'sub', protocol, keepAliveSeconds: 30, subscriptions: [{ topic: 'a/#', qos: hashQos }, { topic: 'a/+', qos: plusQos }] },
      { id: 'pub', keepAliveSeconds: 30 },
    ],
    actions: [{ atMs: 1_000, do: 'publish', node: 'pub', topic: 'a/b', payload: 'x', qos: 2 }],
  }));
  return r.events('mqtt.recv', { node: 'sub', packet: 'PUBLISH' }).map((e) => e.qos as number);
}

describe('overlapping subscriptions, per broker (profile overlappingSubscriptions)', () => {
  it.each([
    // profile, protocol, a/# QoS, a/+ QoS, copies (QoS, in order)
    ['mosquitto-2.0', '3.1.1', 2, 0, [0]],
    ['mosquitto-2.0', '3.1.1', 0, 2, [2]],
    ['mosquitto-2.0', '5.0', 2, 0, [0, 2]],
    ['mosquitto-2.0', '5.0', 0, 2, [2, 0]],
    ['aedes', '3.1.1', 2, 0, [2]],
    ['aedes', '3.1.1', 0, 2, [0]],
    ['spec', '3.1.1', 2, 0, [2]],
    ['spec', '5.0', 0, 2, [2]],
  ] as const)('%s %s, a/# q%i + a/+ q%i: copies at QoS %j', (profile, protocol, hashQos, plusQos, want) => {
    expect(copies(profile, protocol, hashQos, plusQos)).toEqual(want);
  });
});
