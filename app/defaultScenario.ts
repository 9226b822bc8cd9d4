/**
 * The scenario the app opens with when public/scenarios/index.json cannot be fetched (for
 * example when index.html is opened from a plain file server without the scenarios folder).
 */
import type { Scenario } from '../sim/index.ts';

export const DEFAULT_SCENARIO: Scenario = {
  format: 'halfopen/scenario',
  version: 1,
  name: 'Sensor loses power',
  description:
    'A sensor connects with **keep-alive 10 s** and a Last Will on `status/sensor-1`.\n\n' +
    'At 25 s it loses power: it sends nothing, not even a FIN, so the broker still believes ' +
    'the connection is open (a *half-open* connection). Only when nothing has arrived for ' +
    '1.5 × the keep-alive does the broker close it and publish the Will [MQTT-3.1.2-24].',
  seed: 7,
  durationMs: 60000,
  broker: { id: 'broker', profile: 'spec' },
  clients: [
    {
      id: 'sensor', clientId: 'sensor-1', keepAliveSeconds: 10,
      will: { topic: 'status/sensor-1', payload: 'offline', qos: 1 },
    },
    {
      id: 'dashboard', keepAliveSeconds: 30, subscriptions: [{ topic: 'status/#', qos: 1 }],
    },
  ],
  links: [
    { between: ['sensor', 'broker'], latencyMs: 20 },
    { between: ['dashboard', 'broker'], latencyMs: 5 },
  ],
  actions: [{ atMs: 25000, do: 'power-off', node: 'sensor' }],
  expect: [{ kind: 'will.published', where: { clientId: 'sensor-1' }, count: 1 }],
};
