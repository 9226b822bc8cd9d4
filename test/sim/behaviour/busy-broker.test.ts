/**
 * A broker whose single thread is busy (a queue of CONNECTs: mosquitto's 50 µs each,
 * profiles/broker-capacity.ts) reads a connection in order: the packets that wait in its socket
 * before the end of the stream are handled first, then the end (mqtt/broker/broker.ts
 * closedLater; Linux tcp_recvmsg_locked walks the receive queue before it reports the FIN or
 * the RST). Here a sensor publishes and its process crashes at once (its kernel sends FIN
 * behind the PUBLISH) while 300 devices' CONNECTs are being handled.
 */
import { describe, expect, it } from 'vitest';
import type { ClientSpec } from '../../../sim/scenario/types.ts';
import { run, scenario } from './helpers.ts';

describe('a busy broker reads what came before the end of a connection', () => {
  const world = (publishAtMs: number) => run(scenario({
    durationMs: 3_000, broker: { id: 'broker', profile: 'mosquitto-2.0' },
    clients: [
      { id: 'watch', keepAliveSeconds: 60, reconnect: false, subscriptions: [{ topic: 'data/#', qos: 0 }, { topic: 'status/#', qos: 0 }] },
      { id: 'sensor', keepAliveSeconds: 60, reconnect: false, will: { topic: 'status/sensor', payload: 'gone', qos: 0 } },
      // 10 ms links: their CONNECTs reach the broker from 1030 ms on, 50 µs of work each.
      { id: 'dev', count: 300, keepAliveSeconds: 60, reconnect: false, connectAtMs: 1000 } as ClientSpec,
    ],
    // The sensor's link is 10.02 ms, so its packets land between two 50 µs CONNECTs.
    links: [{ between: ['sensor', 'broker'], latencyUs: 10_020 }],
    actions: [
      { atMs: publishAtMs, do: 'publish', node: 'sensor', topic: 'data/sensor', payload: 'last reading', qos: 0 },
      { atMs: publishAtMs, do: 'crash', node: 'sensor' },
    ],
  }));

  it('the PUBLISH that waited behind the CONNECTs is delivered, then the connection closes and the Will goes out', () => {
    const r = world(1_022); // PUBLISH and FIN reach the broker at 1032.02 ms, amid the CONNECTs
    const recv = r.events('mqtt.recv', { node: 'broker', packet: 'PUBLISH' })[0]!;
    const closed = r.events('conn.closed', { node: 'broker', peer: 'sensor' })[0]!;
    expect(recv.tMs).toBeGreaterThan(1_032.02); // handled later than it arrived: the thread was busy
    expect(closed.tMs).toBeGreaterThanOrEqual(recv.tMs);
    expect(r.events('message.delivered', { node: 'watch' }).map((e) => e.topic)).toEqual(['data/sensor', 'status/sensor']);
    const will = r.events('will.published')[0]!;
    expect(will.tMs).toBe(closed.tMs);
    expect(String(will.why)).toContain('while the broker was busy and 1 packet(s) of this connection waited to be read');
  });

  it('an idle broker handles the PUBLISH and the end at once', () => {
    const r = world(500);
    const recv = r.events('mqtt.recv', { node: 'broker', packet: 'PUBLISH' })[0]!;
    expect(recv.tMs).toBe(510.02);
    expect(r.events('conn.closed', { node: 'broker', peer: 'sensor' })[0]!.tMs).toBe(510.02);
    expect(r.events('message.delivered', { node: 'watch' }).map((e) => e.topic)).toEqual(['data/sensor', 'status/sensor']);
  });
});
