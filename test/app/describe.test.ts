/** The event log's one-line text for MQTT packets (app/model/describe.ts). */
import { describe, expect, it } from 'vitest';
import { describeEvent } from '../../app/model/describe.ts';
import type { TraceEvent } from '../../sim/trace/types.ts';

const ev = (fields: Record<string, unknown>): TraceEvent => ({ seq: 0, tMs: 0, ...fields }) as unknown as TraceEvent;

describe('describeEvent for MQTT packets', () => {
  it('names a resent PUBLISH by its packet identifier and DUP flag', () => {
    expect(describeEvent(ev({
      kind: 'mqtt.send', node: 'sensor', peer: 'broker', conn: 'sensor/2', packet: 'PUBLISH', topic: 't', payload: '21.5',
      qos: 1, messageId: 6, dup: true, bytes: 14,
    }))).toBe('sensor → broker: PUBLISH (topic t, “21.5”, QoS 1, id 6, DUP)');
  });

  it('leaves DUP out when it is 0, as MQTT.js sends its resends', () => {
    expect(describeEvent(ev({
      kind: 'mqtt.send', node: 'sensor', peer: 'broker', conn: 'sensor/2', packet: 'PUBLISH', topic: 't', payload: 'x',
      qos: 1, messageId: 6, dup: false, bytes: 13,
    }))).toBe('sensor → broker: PUBLISH (topic t, “x”, QoS 1, id 6)');
  });
});
