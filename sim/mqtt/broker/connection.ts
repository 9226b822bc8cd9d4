/**
 * One broker-side connection: keep-alive deadline and closing it (with the Will).
 *
 * The keep-alive deadline is one engine timer slot per connection, pushed forward on every
 * complete packet received ([MQTT-3.1.2-24] in 3.1.1, [MQTT-3.1.2-22] in 5.0); when it passes
 * the broker closes the connection "as if the network had failed", so the Will is published.
 * Where the deadline lies comes from the profile (profiles/decisions.ts keepAliveCloseAt):
 * exactly 1.5 K (spec), 1.5 K + 1 ms (aedes), or mosquitto's integer-second scan.
 */
import type { WillPublishedCause } from '../../trace/types.ts';
import { clockSecond, keepAliveCloseAt, keepAliveRule, willTimingAfterClose } from '../../profiles/decisions.ts';
import { encodeDisconnect } from '../codec.ts';
import { sendPacket } from '../wire.ts';
import type { Broker, BrokerConn } from './state.ts';
import { CLOSED, CONNECTED } from './state.ts';
import { discardWill, publishWill, scheduleWill, sessionAfterClose } from './will.ts';
import { endConnectWait } from './connect-wait.ts';
import { impossible } from '../../assert.ts';
import { whenRunning } from './processor.ts';

/** Record a complete packet from the client and move the keep-alive deadline. */
export function touchKeepAlive(b: Broker, c: BrokerConn): void {
  const now = b.engine.now();
  c.lastRecvUs = now;
  if (c.kaTimer === null) return;
  const due = keepAliveCloseAt(b.profile, c.keepAliveSeconds, now, b.startUs, b.scanOriginS);
  c.kaTimer.set(due);
}

/** Start keep-alive monitoring after a successful CONNACK (K = 0 turns it off). */
export function armKeepAlive(b: Broker, c: BrokerConn): void {
  if (c.keepAliveSeconds === 0) return;
  c.kaTimer = b.engine.timer(() => onKeepAliveDue(b, c),
    { node: b.node, timer: 'broker.keepalive', conn: c.socket.conn, clientId: c.clientId! });
  touchKeepAlive(b, c);
}

/**
 * The deadline came. A stopped broker (SIGSTOP) acts on it when it continues, before it reads
 * what waited in its sockets (processor.ts): the packets it has not read do not count
 * (mosquitto keepalive__check compares with last_msg_in, the last packet read).
 */
function onKeepAliveDue(b: Broker, c: BrokerConn): void {
  if (!b.proc.paused) { onKeepAliveExpired(b, c, null); return; }
  const dueMs = b.engine.now() / 1000;
  whenRunning(b.proc, () => {
    if (!b.alive || c.state === CLOSED || c.kaTimer === null || c.kaTimer.due !== null) return;
    onKeepAliveExpired(b, c, `; the deadline came at ${dueMs} ms while the broker was stopped (SIGSTOP), and when it ` +
      'continued it checked keep-alive before reading its sockets, so packets waiting there unread do not count');
  });
}

/**
 * On resume, a scanning broker (mosquitto) runs its keep-alive scan at once when more than its
 * gap has passed since its last scan (src/keepalive.c: last_keepalive_check + 5 < now_s, at the
 * first loop turn after SIGCONT, before any read): every connection whose last packet read is
 * more than 1.5 K old by its whole-second clock is dropped now, also where the scan grid of
 * keepAliveCloseAt would have come later. That scan sets last_keepalive_check = now_s, so the
 * later scans count from it: the grid moves (Broker.scanOriginS) and every other connection's
 * deadline is put on the new grid.
 */
export function keepAliveScanAtResume(b: Broker, pausedAtUs: number): void {
  const model = b.profile.keepAlive.value;
  if (model.kind !== 'scan' || !b.alive) return;
  const period = model.scanGapSeconds + 1;
  const sec = (us: number) => clockSecond(us, b.startUs, model.clockPhaseUs);
  const origin = b.scanOriginS;
  const lastScanS = origin + Math.floor((sec(pausedAtUs) - origin) / period) * period;
  const nowS = sec(b.engine.now());
  if (!(lastScanS + model.scanGapSeconds < nowS)) return;
  b.scanOriginS = nowS;
  for (const c of [...b.conns]) {
    // A deadline that already came is in the overdue queue (onKeepAliveDue).
    if (c.state !== CONNECTED || c.kaTimer === null || c.kaTimer.due === null) continue;
    if (nowS - sec(c.lastRecvUs) <= Math.floor((c.keepAliveSeconds * 3) / 2)) {
      c.kaTimer.set(keepAliveCloseAt(b.profile, c.keepAliveSeconds, c.lastRecvUs, b.startUs, b.scanOriginS));
      continue;
    }
    c.kaTimer.clear('the scan at resume found the keep-alive passed');
    onKeepAliveExpired(b, c, `; mosquitto's scan ran at once when the broker continued (SIGCONT), more than ` +
      `${model.scanGapSeconds} s after its last one, before reading its sockets, so packets waiting there unread do not count`);
  }
}

function onKeepAliveExpired(b: Broker, c: BrokerConn, whyMore: string | null): void {
  // A close and a discarded broker both clear the deadline (closeConnection, discardBroker).
  if (!b.alive) impossible('broker.deadline-after-discard', `keep-alive deadline of ${c.clientId} on ${c.socket.conn} went off in a discarded broker`);
  if (c.state === CLOSED) impossible('broker.deadline-after-close', `keep-alive deadline of ${c.clientId} on ${c.socket.conn} went off after the broker closed it`);
  const k = c.keepAliveSeconds;
  const rule = keepAliveRule(c.protocol);
  const model = b.profile.keepAlive.value;
  const how = model.kind === 'scan'
    ? `; mosquitto's ${model.scanGapSeconds + 1}-s scan on its whole-second clock saw ` +
      `now_s - last_in_s > ${Math.floor((3 * k) / 2)}`
    : model.extraUs > 0 ? ` (+${model.extraUs / 1000} ms, aedes)` : '';
  b.engine.emit({
    kind: 'broker.keepalive-expired', node: b.node, clientId: c.clientId!, conn: c.socket.conn,
    lastRecvMs: c.lastRecvUs / 1000, keepAliveSeconds: k,
    why: `[${rule}] no packet from ${c.clientId} for 1.5 × ${k} s${how}${whyMore ?? ''}`,
    rule, profile: b.profile.name,
  });
  if (c.protocol === '5.0' && b.profile.disconnect0x8DBeforeKeepAliveClose.value) {
    // §3.14: the Server MAY send DISCONNECT 0x8D "Keep Alive timeout" before closing.
    sendPacket(b.engine, c.socket, encodeDisconnect(5, 0x8d), { cmd: 'disconnect', reasonCode: 0x8d },
      c.clientId, { why: 'DISCONNECT 0x8D Keep Alive timeout (optional, §3.14)' });
  }
  closeConnection(b, c, 'keepalive', true, b.profile.willBeforeKeepAliveClose.value);
}

/**
 * Close (or note the close of) a connection. `willCause` non-null: the connection ended
 * without the deleting DISCONNECT, so its Will goes out (now or after the delay).
 */
export function closeConnection(
  b: Broker, c: BrokerConn, willCause: WillPublishedCause | null, closeSocket: boolean,
  willFirst = false, whyMore: string | null = null,
): void {
  if (c.state === CLOSED) return;
  const wasConnected = c.state === CONNECTED;
  c.state = CLOSED;
  b.conns.delete(c);
  endConnectWait(b, c);
  c.kaTimer?.clear();
  if (willFirst) handleWillAtClose(b, c, willCause, whyMore);
  // Packets still waiting for the thread are unread data in the socket: Linux tcp_close then
  // sends RST instead of FIN (data_was_unread; RFC 2525 §2.17).
  if (closeSocket) { if (c.unread > 0) c.socket.abort(); else c.socket.close(); }
  if (!willFirst) handleWillAtClose(b, c, willCause, whyMore);
  const s = c.session;
  if (wasConnected && s !== null && s.conn === c) {
    s.conn = null;
    sessionAfterClose(b, s, b.engine.now());
  }
}

function handleWillAtClose(b: Broker, c: BrokerConn, cause: WillPublishedCause | null, whyMore: string | null): void {
  const will = c.will;
  if (will === null || c.clientId === null || cause === null) return;
  c.will = null;
  const clientId = c.clientId;
  const conn = c.socket.conn;
  const t = willTimingAfterClose(b.profile, c.protocol, c.sessionExpirySeconds, will.delaySeconds);
  if (t.kind === 'delay') {
    scheduleWill(b, clientId, conn, will, b.engine.now());
    return;
  }
  const why = (t.sessionEnded
    ? `the connection closed (${cause}) and Session Expiry is 0, so the session ended and the Will ` +
      'is not delayed (§3.1.3.2.2)'
    : whyForCause(cause, clientId)) + (whyMore === null ? '' : ` (${whyMore})`);
  publishWill(b, clientId, conn, will, t.sessionEnded ? 'session-ended' : cause, why, 'MQTT-3.1.2-8');
}

function whyForCause(cause: WillPublishedCause, clientId: string): string {
  switch (cause) {
    case 'keepalive': return `[MQTT-3.1.2-8] ${clientId} failed to communicate within the Keep Alive time`;
    case 'connection-lost': return `[MQTT-3.1.2-8] the connection of ${clientId} closed without DISCONNECT`;
    case 'disconnect-with-will': return `${clientId} sent DISCONNECT 0x04 "Disconnect with Will Message"`;
    case 'server-closed': return `[MQTT-3.1.2-8] the server closed the connection of ${clientId} (protocol error)`;
    default: return `[MQTT-3.1.2-8] Will of ${clientId} (${cause})`;
  }
}

/** The Will is deleted without being published (DISCONNECT, reconnect or takeover). */
export function dropWill(b: Broker, c: BrokerConn, cause: 'disconnect' | 'takeover', why: string, rule: string): void {
  if (c.will === null || c.clientId === null) return;
  c.will = null;
  discardWill(b, c.clientId, c.socket.conn, cause, why, rule);
}
