/**
 * The client's session state for its own QoS 1/2 messages ([MQTT-4.4.0-1]): a PUBLISH that
 * went into a dead link is resent, DUP set, same packet identifier, after a reconnect that
 * finds the session; with a clean session it is discarded.
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
  it('3.1.1, CleanSession 0: the lost PUBLISH is resent with DUP and its identifier, first thing after CONNACK', () => {
    const r = world({ cleanStart: false });
    const sent = r.events('mqtt.send', { node: 'sensor', packet: 'PUBLISH' });
    const lost = sent.find((e) => e.tMs === 11_000)!;
    expect(lost).toMatchObject({ qos: 1, dup: false });
    const connacks = r.events('client.connected', { node: 'sensor' });
    expect(connacks).toHaveLength(2);
    expect(connacks[1]!.sessionPresent).toBe(true);
    const after = r.trace.filter((e) => e.seq > connacks[1]!.seq && e.kind === 'mqtt.send' && e.node === 'sensor') as typeof sent;
    expect(after[0]).toMatchObject({
      packet: 'PUBLISH', messageId: lost.messageId, dup: true, rule: 'MQTT-4.4.0-1', tMs: connacks[1]!.tMs,
    });
    // The broker forwards it: the dashboard gets the reading of 11 s after all.
    const acks = r.events('mqtt.recv', { node: 'sensor', packet: 'PUBACK', messageId: lost.messageId });
    expect(acks.at(-1)!.tMs).toBeGreaterThan(connacks[1]!.tMs);
    // New messages never reuse an identifier that was still in flight.
    const ids = sent.filter((e) => e.tMs > 11_000 && e.tMs < connacks[1]!.tMs).map((e) => e.messageId);
    expect(ids).not.toContain(lost.messageId);
  });

  it('CleanSession 1: nothing is resent (the session, and the message with it, is discarded)', () => {
    const r = world({ cleanStart: true });
    expect(r.events('client.connected', { node: 'sensor' })).toHaveLength(2);
    expect(r.events('mqtt.send', { node: 'sensor', packet: 'PUBLISH', dup: true })).toHaveLength(0);
  });

  it('5.0 with Clean Start 0 but Session Expiry 0: Session Present 0, so the client discards too', () => {
    const r = world({ protocol: '5.0', cleanStart: false, sessionExpirySeconds: 0 });
    const connacks = r.events('client.connected', { node: 'sensor' });
    expect(connacks[1]!.sessionPresent).toBe(false);
    expect(r.events('mqtt.send', { node: 'sensor', packet: 'PUBLISH', dup: true })).toHaveLength(0);
  });

  it('5.0 with a session: the lost QoS 2 PUBLISH is resent and completes (PUBREC, PUBREL, PUBCOMP)', () => {
    const r = world({ protocol: '5.0', cleanStart: false, sessionExpirySeconds: 300 }, 2);
    const lost = r.events('mqtt.send', { node: 'sensor', packet: 'PUBLISH' }).find((e) => e.tMs === 11_000)!;
    const dup = r.events('mqtt.send', { node: 'sensor', packet: 'PUBLISH', dup: true });
    expect(dup.map((e) => e.messageId)).toContain(lost.messageId);
    expect(r.events('mqtt.recv', { node: 'sensor', packet: 'PUBCOMP', messageId: lost.messageId })).not.toHaveLength(0);
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
