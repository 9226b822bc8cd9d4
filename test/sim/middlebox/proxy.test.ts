/**
 * A TCP-terminating proxy that closes idle flows (link `proxyIdleTimeoutMs`, net/proxy.ts), as
 * HAProxy's "timeout client" / "timeout server" do: exact times on a 10 ms link, what each end
 * sees, and who the trace says closed. Every run is paired-checked (the world reduced from the
 * trace equals the live simulator after every event).
 *
 * Times on the default 10 ms link: SYN 0, SYN-ACK 10, ACK + CONNECT 20, the broker reads
 * CONNECT and sends CONNACK at 30, the client reads it at 40. The last new byte through the
 * proxy is therefore the CONNACK at 30 ms, and a 30 s idle timeout fires at 30 030 ms.
 */
import { describe, expect, it } from 'vitest';
import { run, scenario } from '../behaviour/helpers.ts';
import type { ClientSpec, LinkSpec } from '../../../sim/scenario/types.ts';

const sensor = (over: Partial<ClientSpec> = {}): ClientSpec => ({
  id: 'sensor', keepAliveSeconds: 60, reconnect: false, will: { topic: 'status/sensor', payload: 'offline' }, ...over,
});
const proxyLink = (over: Partial<LinkSpec> = {}): LinkSpec => ({ between: ['sensor', 'broker'], proxyIdleTimeoutMs: 30_000, ...over });

function go(client: ClientSpec, link: LinkSpec, durationMs = 120_000) {
  return run(scenario({ durationMs, clients: [client], links: [link] }), { pairedCheck: true });
}

describe('proxy idle timeout: the proxy closes both sides', () => {
  it('K = 60 s behind a 30 s proxy: FIN to both ends at 30 030 ms, both see a FIN at 30 040 ms, the Will goes out', () => {
    const r = go(sensor(), proxyLink());
    expect(r.events('proxy.timeout').map((e) => [e.tMs, e.conn, e.close, e.link])).toEqual([[30_030, 'sensor/1', 'fin', ['sensor', 'broker']]]);
    const bySelf = r.events('seg.send', { by: 'proxy' }).map((e) => [e.tMs, e.node, e.peer, e.flags]);
    expect(bySelf).toEqual([
      [30_030, 'broker', 'sensor', 'FIN,ACK'], // to the client, in the broker's name
      [30_030, 'sensor', 'broker', 'FIN,ACK'], // to the broker, in the client's name
      [30_050, 'broker', 'sensor', 'ACK'], //     the orphaned sockets acknowledge each end's own FIN
      [30_050, 'sensor', 'broker', 'ACK'],
    ]);
    expect(r.events('conn.closed').map((e) => [e.tMs, e.node, e.cause])).toEqual([[30_040, 'sensor', 'fin'], [30_040, 'broker', 'fin']]);
    expect(r.events('will.published').map((e) => [e.tMs, e.cause])).toEqual([[30_040, 'connection-lost']]);
    // Each end's FIN is taken by the proxy, not relayed.
    expect(r.events('seg.drop').map((e) => [e.tMs, e.node, e.reason])).toEqual([[30_040, 'sensor', 'proxy'], [30_040, 'broker', 'proxy']]);
    // Both sockets end CLOSED when the proxy's ACK arrives (LAST-ACK → CLOSED).
    expect(r.events('tcp.state', { to: 'CLOSED' }).map((e) => [e.tMs, e.node])).toEqual([[30_060, 'sensor'], [30_060, 'broker']]);
    expect(r.events('broker.keepalive-expired')).toEqual([]);
  });

  it('proxyClose "rst": RST to both ends, cause rst, nothing more from the proxy', () => {
    const r = go(sensor(), proxyLink({ proxyClose: 'rst' }));
    expect(r.events('proxy.timeout').map((e) => [e.tMs, e.close])).toEqual([[30_030, 'rst']]);
    expect(r.events('seg.send', { by: 'proxy' }).map((e) => [e.tMs, e.flags])).toEqual([[30_030, 'RST,ACK'], [30_030, 'RST,ACK']]);
    expect(r.events('conn.closed').map((e) => [e.tMs, e.node, e.cause])).toEqual([[30_040, 'sensor', 'rst'], [30_040, 'broker', 'rst']]);
    expect(r.events('will.published').map((e) => [e.tMs, e.cause])).toEqual([[30_040, 'connection-lost']]);
  });

  // K against the timeout T, MQTT.js pinging K after its last reschedule (the CONNACK read at 40 ms).
  it.each([
    // K s, first PINGREQ sent at (ms), proxy closes at (ms) or null
    [20, 20_040, null],
    [29, 29_040, null],
    // K = T is not enough: the proxy counts from the CONNACK's send (30 ms), the client from its
    // arrival (40 ms), so the PINGREQ leaves at 30 040 into a flow closed 10 ms before.
    [30, 30_040, 30_030],
    [60, null, 30_030],
  ])('K = %i s behind a 30 s proxy: first PINGREQ at %s ms, proxy closes at %s ms', (k, pingAt, closeAt) => {
    const r = go(sensor({ keepAliveSeconds: k }), proxyLink());
    const pings = r.events('mqtt.send', { packet: 'PINGREQ' });
    expect(pings[0]?.tMs ?? null).toBe(pingAt);
    expect(r.events('proxy.timeout')[0]?.tMs ?? null).toBe(closeAt);
    if (closeAt === null) expect(r.events('conn.closed')).toEqual([]);
  });

  it('SO_KEEPALIVE does not keep a proxy open: its probes carry no new byte (they reach the proxy\'s kernel, not HAProxy)', () => {
    const r = go(sensor({ keepAliveSeconds: 0, tcpKeepAlive: { idleSeconds: 5, intervalSeconds: 5, probes: 9 } }), proxyLink());
    const probes = r.events('seg.send', { node: 'sensor', len: 0 }).filter((e) => (e.tMs as number) > 1000 && (e.tMs as number) < 30_030);
    expect(probes.length).toBeGreaterThanOrEqual(5); // probes every 5 s, each answered by the broker
    expect(r.events('proxy.timeout').map((e) => e.tMs)).toEqual([30_030]);
  });

  it('periodic data keeps the flow open without any PINGREQ', () => {
    const r = go(sensor({ keepAliveSeconds: 0, publish: [{ topic: 't', payload: 'x', everyMs: 20_000, startMs: 1000 }] }), proxyLink());
    expect(r.events('proxy.timeout')).toEqual([]);
  });

  it('proxyClose "rst-to-broker" (HAProxy with option nolinger, measured): FIN to the client, RST to the broker', () => {
    const r = go(sensor(), proxyLink({ proxyClose: 'rst-to-broker' }));
    expect(r.events('seg.send', { by: 'proxy' }).map((e) => [e.tMs, e.peer, e.flags])).toEqual([
      [30_030, 'sensor', 'FIN,ACK'], [30_030, 'broker', 'RST,ACK'],
      // The client's own FIN finds the proxy's client-side socket orphaned (FIN-WAIT): ACK.
      [30_050, 'sensor', 'ACK'],
    ]);
    expect(r.events('conn.closed').map((e) => [e.tMs, e.node, e.cause])).toEqual([[30_040, 'sensor', 'fin'], [30_040, 'broker', 'rst']]);
  });

  it('data written after the close meets the proxy\'s closed socket: RST (RFC 1122 4.2.2.13)', () => {
    // The PUBLISH leaves at 30 035 ms: the proxy closed at 30 030, its FIN reaches the client at 30 040.
    const s = scenario({
      durationMs: 60_000, clients: [sensor()], links: [proxyLink()],
      actions: [{ atMs: 30_035, do: 'publish', node: 'sensor', topic: 't', payload: 'late', qos: 0 }],
    });
    const r = run(s, { pairedCheck: true });
    expect(r.events('seg.drop', { reason: 'proxy' }).map((e) => [e.tMs, e.node])[0]).toEqual([30_035, 'sensor']);
    // The PUBLISH gets an RST when it reaches the proxy; the client's own FIN (sent when the
    // proxy's FIN arrives at 30 040) finds no socket any more: RST again.
    expect(r.events('seg.send', { by: 'proxy', flags: 'RST' }).map((e) => [e.tMs, e.peer])).toEqual([[30_045, 'sensor'], [30_050, 'sensor']]);
    expect(r.events('mqtt.recv', { packet: 'PUBLISH' })).toEqual([]);
  });

  it('a device that lost power behind the proxy: the proxy\'s FIN tells the broker long before 1.5 × K', () => {
    const s = scenario({
      durationMs: 60_000, clients: [sensor({ keepAliveSeconds: 120 })], links: [proxyLink()],
      actions: [{ atMs: 5000, do: 'power-off', node: 'sensor' }],
    });
    const r = run(s, { pairedCheck: true });
    expect(r.events('seg.drop', { reason: 'host-down' }).map((e) => [e.tMs, e.peer])).toEqual([[30_040, 'sensor']]);
    expect(r.events('conn.closed', { node: 'broker' }).map((e) => [e.tMs, e.cause])).toEqual([[30_040, 'fin']]);
    expect(r.events('will.published').map((e) => [e.tMs, e.cause])).toEqual([[30_040, 'connection-lost']]);
    expect(r.events('broker.keepalive-expired')).toEqual([]);
  });

  it('the client reconnects through the proxy: each connection closed after 30 s idle', () => {
    const r = go(sensor({ reconnect: { delayMs: 1000 } }), proxyLink(), 100_000);
    expect(r.events('proxy.timeout').map((e) => [e.tMs, e.conn])).toEqual([
      [30_030, 'sensor/1'], [61_070, 'sensor/2'], [92_110, 'sensor/3'],
    ]);
    expect(r.events('will.published').length).toBe(3);
  });
});
