/**
 * The broker's single thread (sim/mqtt/broker/processor.ts) with the processing time of its
 * profile (sim/profiles/broker-capacity.ts): mosquitto 50 µs per CONNECT (measured in
 * test/kernel accept-queue-overflow), spec none.
 */
import { describe, expect, it } from 'vitest';
import { BROKER_CAPACITY } from '../../../sim/profiles/broker-capacity.ts';
import { run, scenario } from '../behaviour/helpers.ts';

const burst = (profile: 'spec' | 'mosquitto-2.0', n: number) => run(scenario({
  durationMs: 1000,
  broker: { id: 'broker', profile },
  clients: [{ id: 'd', count: n, connectAtMs: 0 }],
}));

describe('broker processing time', () => {
  it('mosquitto-2.0: 50 µs per connection, measured; spec: none', () => {
    expect(BROKER_CAPACITY['mosquitto-2.0'].processing.value).toEqual({ connectUs: 50, packetUs: 0 });
    expect(BROKER_CAPACITY.spec.processing.value).toEqual({ connectUs: 0, packetUs: 0 });
  });
  it('a lone CONNECT is answered at once: the cost is charged after it', () => {
    const r = burst('mosquitto-2.0', 1);
    expect(r.events('mqtt.send', { packet: 'CONNACK' }).map((e) => e.tMs)).toEqual([30]);
  });
  it('simultaneous CONNECTs are answered one after another, 50 µs apart', () => {
    const r = burst('mosquitto-2.0', 5);
    expect(r.events('mqtt.send', { packet: 'CONNACK' }).map((e) => e.tMs)).toEqual([30, 30.05, 30.1, 30.15, 30.2]);
    const spec = burst('spec', 5);
    expect(spec.events('mqtt.send', { packet: 'CONNACK' }).map((e) => e.tMs)).toEqual([30, 30, 30, 30, 30]);
  });
  it('a paused broker answers nothing until resumed, then drains in arrival order', () => {
    const r = run(scenario({
      durationMs: 3000,
      broker: { id: 'broker', profile: 'mosquitto-2.0' },
      clients: [{ id: 'd', count: 3, connectAtMs: 100 }],
      actions: [{ atMs: 0, do: 'pause', node: 'broker' }, { atMs: 2000, do: 'resume', node: 'broker' }],
    }));
    expect(r.events('conn.open', { node: 'broker' }).map((e) => e.tMs)).toEqual([130, 130, 130]); // the kernel
    expect(r.events('mqtt.recv', { node: 'broker' }).map((e) => [e.clientId, e.tMs]))
      .toEqual([['d-1', 2000], ['d-2', 2000.05], ['d-3', 2000.1]]);
  });
});
