/**
 * Action `nat-flush`: a NAT (or a load balancer that translates rather than terminates) loses
 * every flow at one instant, as after a reboot or a failover without state sync. Named on a
 * client group's link, one action flushes the flow of every member.
 */
import { describe, expect, it } from 'vitest';
import { run, scenario } from '../behaviour/helpers.ts';

describe('nat-flush', () => {
  it('a group of 3 behind one NAT: every flow forgotten at 10 000 ms; the broker hears nothing more and closes each at 1.5 × K', () => {
    const r = run(scenario({
      durationMs: 120_000,
      clients: [{ id: 'dev', count: 3, keepAliveSeconds: 60, reconnect: false, will: { topic: 'status', payload: 'offline' } }],
      links: [{ between: ['dev', 'broker'], natIdleTimeoutMs: 600_000 }],
      actions: [{ atMs: 10_000, do: 'nat-flush', link: ['dev', 'broker'] }],
    }), { pairedCheck: true });
    expect(r.events('action', { do: 'nat-flush' }).map((e) => [e.tMs, e.link])).toEqual([
      [10_000, ['dev-1', 'broker']], [10_000, ['dev-2', 'broker']], [10_000, ['dev-3', 'broker']],
    ]);
    expect(r.events('nat.expired').map((e) => [e.tMs, e.conn])).toEqual([
      [10_000, 'dev-1/1'], [10_000, 'dev-2/1'], [10_000, 'dev-3/1'],
    ]);
    // Each device's PINGREQ at 60 040 ms dies in the NAT (nat), and nothing answers it.
    expect(r.events('seg.drop', { reason: 'nat' }).filter((e) => e.tMs === 60_040).length).toBe(3);
    // The broker's deadline: CONNECT read at 30 ms + 1.5 × 60 s; its FIN meets the NAT's RST.
    expect(r.events('broker.keepalive-expired').map((e) => e.tMs)).toEqual([90_030, 90_030, 90_030]);
    expect(r.events('seg.send', { by: 'nat' }).map((e) => [e.tMs, e.flags])).toEqual([
      [90_040, 'RST'], [90_040, 'RST'], [90_040, 'RST'],
    ]);
    // MQTT.js gives up 1.5 × K after its last reschedule (CONNACK at 40 ms).
    expect(r.events('client.keepalive-timeout').map((e) => e.tMs)).toEqual([90_040, 90_040, 90_040]);
  });

  it('a flushed NAT makes the next SYN a new flow: a reconnecting device gets through', () => {
    const r = run(scenario({
      durationMs: 30_000,
      clients: [{ id: 'sensor', keepAliveSeconds: 60 }],
      links: [{ between: ['sensor', 'broker'], natIdleTimeoutMs: 600_000 }],
      actions: [
        { atMs: 5000, do: 'nat-flush', link: ['broker', 'sensor'] },
        { atMs: 6000, do: 'disconnect', node: 'sensor' },
        { atMs: 7000, do: 'connect', node: 'sensor' },
      ],
    }), { pairedCheck: true });
    expect(r.events('nat.expired').map((e) => e.tMs)).toEqual([5000]);
    expect(r.events('client.connected').map((e) => [e.tMs, e.conn])).toEqual([[40, 'sensor/1'], [7040, 'sensor/2']]);
  });
});
