/**
 * A realistic hand-made trace (MQTT 3.1.1, mqttjs-5 clients, spec broker, 10 ms links):
 *
 * - sensor (keep-alive 20 s, Will on status/sensor) connects at 0; PINGs at 20 s and 40 s.
 *   The PINGRESP at 40.03 s is lost, then the link is cut at 40.1 s, so the broker's TCP
 *   retransmissions die too. At 60.02 s the client gives up (no PINGRESP), closes (its FIN
 *   dies on the cut link): the broker still believes sensor/1 is open — half-open.
 *   Reconnect SYNs at 61.02 and 62.02 s die on the cut; the link heals at 65 s; the SYN at
 *   64.02+4 s = 68.02 s gets through; the new CONNECT makes the broker take over sensor/1
 *   at 68.06 s and publish sensor's Will.
 * - meter (keep-alive 10 s, Will on status/meter) connects at 1 s, PINGs at 11 and 21 s,
 *   loses power at 25 s. The broker's keep-alive deadline (1.5 × 10 s after 21.03 s)
 *   passes at 36.03 s: keep-alive expired, Will published and delivered to sensor.
 *   meter powers on at 90 s and connects again (meter/2).
 */
import type { TraceEvent } from '../../../sim/index.ts';
import { TraceBuilder } from './traceBuilder.ts';

export const STORY_NODES = ['broker', 'sensor', 'meter'];
export const STORY_DURATION_MS = 120_000;

function connect(b: TraceBuilder, t: number, client: string, conn: string, clientId: string,
  keepAliveSeconds: number): number {
  const open = b.handshake(t, client, 'broker', conn);
  const tc = open - 10; // client side opened one latency earlier and sends CONNECT
  b.packet(tc, client, 'broker', conn, 'CONNECT', 40, { clientId, keepAliveSeconds });
  b.add(tc + 10, 'timer.set', { node: 'broker', timer: 'broker.keepalive', dueMs: tc + 10 + 1500 * keepAliveSeconds, conn, clientId });
  b.packet(tc + 10, 'broker', client, conn, 'CONNACK', 4, { reasonCode: 0, sessionPresent: false });
  b.add(tc + 20, 'client.connected', { node: client, conn, sessionPresent: false });
  b.add(tc + 20, 'timer.set', { node: client, timer: 'client.ping', dueMs: tc + 20 + 1000 * keepAliveSeconds, conn });
  return tc + 20;
}

/** PINGREQ at t; PINGRESP back unless `lose`; timers re-armed as a mqttjs client and a spec broker do. */
function ping(b: TraceBuilder, t: number, client: string, conn: string, clientId: string, ka: number,
  lose: boolean): number | null {
  b.add(t, 'timer.set', { node: client, timer: 'client.ping', dueMs: t + 1000 * ka, conn });
  b.add(t, 'timer.set', { node: client, timer: 'client.pingresp', dueMs: t + 1000 * ka, conn });
  b.packet(t, client, 'broker', conn, 'PINGREQ', 2);
  b.add(t + 10, 'timer.set', { node: 'broker', timer: 'broker.keepalive', dueMs: t + 10 + 1500 * ka, conn, clientId });
  if (lose) {
    return b.packet(t + 10, 'broker', client, conn, 'PINGRESP', 2, {}, 'loss');
  }
  b.packet(t + 10, 'broker', client, conn, 'PINGRESP', 2);
  b.add(t + 20, 'timer.clear', { node: client, timer: 'client.pingresp', conn });
  return null;
}

export function buildStoryTrace(): TraceEvent[] {
  const b = new TraceBuilder(10);
  // sensor/1
  connect(b, 0, 'sensor', 'sensor/1', 'sensor-1', 20);
  b.packet(40, 'sensor', 'broker', 'sensor/1', 'SUBSCRIBE', 15, { topic: 'status/#', qos: 1, messageId: 1 });
  b.packet(50, 'broker', 'sensor', 'sensor/1', 'SUBACK', 5, { messageId: 1 });
  ping(b, 20_040, 'sensor', 'sensor/1', 'sensor-1', 20, false);
  const lostPingresp = ping(b, 40_040, 'sensor', 'sensor/1', 'sensor-1', 20, true)!;
  b.add(40_050, 'timer.set', { node: 'broker', timer: 'tcp.rto', dueMs: 40_250, conn: 'sensor/1' });
  b.add(40_100, 'action', { do: 'cut', link: ['sensor', 'broker'] });
  let rto = 200;
  let at = 40_250;
  while (at < 60_000) {
    b.seg(at, 'broker', 'sensor', 'sensor/1', 'PSH,ACK', 2, { drop: 'cut', retransmit: true, resendOf: lostPingresp });
    rto *= 2;
    b.add(at, 'timer.set', { node: 'broker', timer: 'tcp.rto', dueMs: at + rto, conn: 'sensor/1' });
    at += rto;
  }
  b.add(60_040, 'client.keepalive-timeout', { node: 'sensor', conn: 'sensor/1' });
  b.add(60_040, 'timer.clear', { node: 'sensor', timer: 'client.ping', conn: 'sensor/1' });
  b.seg(60_040, 'sensor', 'broker', 'sensor/1', 'FIN,ACK', 0, { drop: 'cut' });
  b.add(60_040, 'conn.closed', { node: 'sensor', peer: 'broker', conn: 'sensor/1', cause: 'local' });
  b.add(60_040, 'timer.set', { node: 'sensor', timer: 'client.reconnect', dueMs: 61_040 });
  b.seg(61_040, 'sensor', 'broker', 'sensor/2', 'SYN', 0, { drop: 'cut' });
  b.add(61_040, 'timer.set', { node: 'sensor', timer: 'tcp.syn', dueMs: 62_040, conn: 'sensor/2' });
  b.seg(62_040, 'sensor', 'broker', 'sensor/2', 'SYN', 0, { drop: 'cut', retransmit: true });
  b.add(62_040, 'timer.set', { node: 'sensor', timer: 'tcp.syn', dueMs: 64_040, conn: 'sensor/2' });
  b.seg(64_040, 'sensor', 'broker', 'sensor/2', 'SYN', 0, { drop: 'cut', retransmit: true });
  b.add(64_040, 'timer.set', { node: 'sensor', timer: 'tcp.syn', dueMs: 68_040, conn: 'sensor/2' });
  b.add(65_000, 'action', { do: 'heal', link: ['sensor', 'broker'] });
  // The retransmitted SYN at 68.04 s gets through (handshake() sends it as a fresh SYN).
  b.add(68_050, 'timer.clear', { node: 'sensor', timer: 'tcp.syn', conn: 'sensor/2' });
  connect(b, 68_040, 'sensor', 'sensor/2', 'sensor-1', 20);
  // CONNECT reaches the broker at 68.07 s: takeover of the half-open sensor/1.
  b.add(68_070, 'broker.takeover', { node: 'broker', clientId: 'sensor-1', oldConn: 'sensor/1', newConn: 'sensor/2' });
  b.add(68_070, 'timer.clear', { node: 'broker', timer: 'broker.keepalive', conn: 'sensor/1', clientId: 'sensor-1' });
  b.add(68_070, 'timer.clear', { node: 'broker', timer: 'tcp.rto', conn: 'sensor/1' });
  b.add(68_070, 'conn.closed', { node: 'broker', peer: 'sensor', conn: 'sensor/1', cause: 'local' });
  b.add(68_070, 'will.published', { node: 'broker', clientId: 'sensor-1', topic: 'status/sensor', cause: 'takeover' });
  ping(b, 88_090, 'sensor', 'sensor/2', 'sensor-1', 20, false);
  ping(b, 108_090, 'sensor', 'sensor/2', 'sensor-1', 20, false);

  // meter/1
  connect(b, 1000, 'meter', 'meter/1', 'meter-1', 10);
  ping(b, 11_030, 'meter', 'meter/1', 'meter-1', 10, false);
  ping(b, 21_030, 'meter', 'meter/1', 'meter-1', 10, false);
  b.add(25_000, 'action', { do: 'power-off', node: 'meter' });
  // As the simulator does at power-off: the socket vanishes (conn.closed host off), then the host.
  b.add(25_000, 'conn.closed', { node: 'meter', peer: 'broker', conn: 'meter/1', cause: 'local', host: 'off' });
  b.add(25_000, 'host.state', { node: 'meter', state: 'off' });
  b.add(36_040, 'broker.keepalive-expired', { node: 'broker', clientId: 'meter-1', conn: 'meter/1', lastRecvMs: 21_040 });
  b.seg(36_040, 'broker', 'meter', 'meter/1', 'FIN,ACK', 0, { drop: 'host-down' });
  b.add(36_040, 'conn.closed', { node: 'broker', peer: 'meter', conn: 'meter/1', cause: 'timeout' });
  b.add(36_040, 'will.published', { node: 'broker', clientId: 'meter-1', topic: 'status/meter', cause: 'keepalive' });
  b.packet(36_040, 'broker', 'sensor', 'sensor/1', 'PUBLISH', 22, { topic: 'status/meter', payload: 'offline', qos: 0 });
  b.add(90_000, 'action', { do: 'power-on', node: 'meter' });
  b.add(90_000, 'host.state', { node: 'meter', state: 'up' });
  connect(b, 90_000, 'meter', 'meter/2', 'meter-1', 10);
  ping(b, 100_030, 'meter', 'meter/2', 'meter-1', 10, false);
  ping(b, 110_030, 'meter', 'meter/2', 'meter-1', 10, false);
  b.add(120_000, 'run.end', { events: 0 });
  return b.build();
}
