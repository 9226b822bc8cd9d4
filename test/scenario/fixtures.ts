// Scenario objects for the scenario and CLI tests. Each call returns a fresh copy.
import type { ScenarioV1 } from '../../sim/scenario/types.ts';

/** The example of CONTRACT.md section 2, verbatim (comments removed). */
export function contractExample(): ScenarioV1 {
  return {
    format: 'halfopen/scenario',
    version: 1,
    name: 'Sensor loses power',
    description: '...',
    seed: 7,
    durationMs: 120000,
    broker: { id: 'broker', profile: 'spec', serverKeepAliveSeconds: 30, maxKeepAliveSeconds: 600 },
    clients: [{
      id: 'sensor', clientId: 'sensor-1', protocol: '3.1.1', library: 'mqttjs-5',
      keepAliveSeconds: 10, cleanStart: true, sessionExpirySeconds: 0,
      will: { topic: 'status/sensor-1', payload: 'offline', qos: 1, retain: false, delaySeconds: 0 },
      subscriptions: [{ topic: 'status/#', qos: 1 }],
      publish: [{ topic: 't/temp', payload: '21.5', qos: 0, everyMs: 5000, startMs: 1000 }],
      connectAtMs: 0,
      reconnect: { delayMs: 1000 },
    }],
    links: [{ between: ['sensor', 'broker'], latencyMs: 10, jitterMs: 0, loss: 0, natIdleTimeoutMs: 30000 }],
    actions: [{ atMs: 25000, do: 'power-off', node: 'sensor' }],
    expect: [{ kind: 'will.published', where: { clientId: 'sensor-1' }, count: 1, betweenMs: [30000, 40000] }],
  };
}

/** Only the required keys. */
export function minimal(): ScenarioV1 {
  return {
    format: 'halfopen/scenario', version: 1, name: 'min', durationMs: 60000,
    broker: { id: 'broker' }, clients: [{ id: 'c1' }],
  };
}

/**
 * Two MQTT 5 clients, a lossy jittery link, every action kind, and the version 1 extensions
 * (host `tcp` settings, microsecond link keys; `latencyUs: 10000` is the default 10 ms).
 */
export function rich(): ScenarioV1 {
  return {
    format: 'halfopen/scenario', version: 1, name: 'rich', seed: 3, durationMs: 90000,
    broker: { id: 'broker', profile: 'mosquitto-2.0', tcp: { retries2: 8 } },
    clients: [
      {
        id: 'a', protocol: '5.0', keepAliveSeconds: 5, sessionExpirySeconds: 30,
        tcp: { kernel: 'linux-6.12', userTimeoutMs: 30000 },
        will: { topic: 'status/a', payload: 'gone', qos: 1, delaySeconds: 5 },
        publish: [{ topic: 'data/a', payload: 'x', everyMs: 2000 }],
      },
      { id: 'b', clientId: 'a', protocol: '5.0', library: 'paho-python', subscriptions: [{ topic: 'status/+' }], connectAtMs: 1000, reconnect: false },
    ],
    links: [
      { between: ['broker', 'a'], latencyMs: 20, jitterMs: 15, loss: 0.05 },
      { between: ['b', 'broker'], latencyUs: 10000, natIdleTimeoutMs: 20000 },
    ],
    actions: [
      { atMs: 30000, do: 'cut', link: ['a', 'broker'], direction: 'a->b' },
      { atMs: 5000, do: 'publish', node: 'b', topic: 'cmd/a', payload: 'hi', qos: 1, retain: true },
      { atMs: 40000, do: 'heal', link: ['a', 'broker'] },
      { atMs: 45000, do: 'set-link', link: ['broker', 'b'], jitterUs: 500, loss: 0.1 },
      { atMs: 50000, do: 'disconnect', node: 'a', reasonCode: 4 },
      { atMs: 55000, do: 'connect', node: 'a' },
      { atMs: 60000, do: 'crash', node: 'broker' },
      { atMs: 61000, do: 'restart', node: 'broker' },
      { atMs: 70000, do: 'power-off', node: 'b' },
      { atMs: 75000, do: 'power-on', node: 'b' },
      { atMs: 5000, do: 'publish', node: 'a', topic: 'cmd/b', payload: 'second at 5000', qos: 0 },
    ],
    expect: [{ kind: 'client.connected', atLeast: 1 }, { kind: 'session.expired', none: true }],
  };
}
