/**
 * CONNECT processing in the broker (MQTT 3.1.1 §3.1.4, 5.0 §3.1.4), in the standard's order:
 * protocol check, keep-alive policy, takeover of a live connection with the same ClientId
 * ([MQTT-3.1.4-2] 3.1.1 / [MQTT-3.1.4-3] 5.0), a pending delayed Will of that ClientId,
 * CleanSession / Clean Start ([MQTT-3.1.2-4..6]), CONNACK with Session Present
 * [MQTT-3.2.2-1..3], then keep-alive monitoring and delivery of stored messages.
 * Leaves out: authentication, ClientId assignment for empty ids, Receive Maximum.
 */
import type { IConnectPacket } from 'mqtt-packet';
import type { ProtocolVersion, QoS } from '../../scenario/types.ts';
import {
  negotiateKeepAlive, pendingWillOnReconnect, willOnTakeover,
} from '../../profiles/decisions.ts';
import { encode, encodeConnack, encodeDisconnect } from '../codec.ts';
import { sendPacket } from '../wire.ts';
import { emptyMap } from '../../empty-map.ts';
import { armKeepAlive, closeConnection, dropWill } from './connection.ts';
import { resumeDelivery } from './routing.ts';
import type { Broker, BrokerConn, Session } from './state.ts';
import { CLOSED, CONNECTED, NEVER } from './state.ts';
import { discardWill, endSession, publishWill, removeSession, takePendingWill } from './will.ts';
import { countChange } from './store-save.ts';

export function handleConnect(b: Broker, c: BrokerConn, p: IConnectPacket): void {
  const version = p.protocolVersion === 5 ? 5 : 4;
  const protocol: ProtocolVersion = version === 5 ? '5.0' : '3.1.1';
  if (version === 5 && !b.profile.supportsV5.value) {
    // aedes: CONNACK return code 1 "unacceptable protocol version" in 3.1.1 encoding, close.
    sendPacket(b.engine, c.socket, encodeConnack(4, false, 1),
      { cmd: 'connack', sessionPresent: false, returnCode: 1 }, p.clientId,
      { why: `${b.profile.name} speaks MQTT 3.1.1 only: return code 1, unacceptable protocol version`,
        profile: b.profile.name });
    closeConnection(b, c, null, true);
    return;
  }
  c.version = version;
  c.protocol = protocol;
  c.decoder.version = version;
  c.clientId = p.clientId;
  const clean = p.clean !== false;
  c.cleanStart = clean;
  c.sessionExpirySeconds = protocol === '5.0'
    ? p.properties?.sessionExpiryInterval ?? 0
    : clean ? 0 : NEVER;
  const ka = negotiateKeepAlive(b.profile, protocol, p.keepalive ?? 0,
    b.config.serverKeepAliveSeconds, b.config.maxKeepAliveSeconds);
  if (ka.rejectCode !== null) {
    sendPacket(b.engine, c.socket, encodeConnack(version, false, ka.rejectCode),
      version === 5
        ? { cmd: 'connack', sessionPresent: false, reasonCode: ka.rejectCode }
        : { cmd: 'connack', sessionPresent: false, returnCode: ka.rejectCode },
      p.clientId, { why: ka.why, profile: b.profile.name });
    closeConnection(b, c, null, true);
    return;
  }
  c.keepAliveSeconds = ka.keepAliveSeconds;
  if (p.will) {
    c.will = {
      topic: p.will.topic, payload: String(p.will.payload), qos: (p.will.qos ?? 0) as QoS,
      retain: p.will.retain === true, delaySeconds: p.will.properties?.willDelayInterval ?? 0,
    };
  }
  takeOver(b, c, clean);
  reconnectDuringWillDelay(b, c.clientId, clean);
  const { session, present } = openSession(b, c, clean);
  c.session = session;
  session.conn = c;
  c.state = CONNECTED;
  b.stats.connections++;
  const connack = ka.serverKeepAlive !== null
    ? { cmd: 'connack' as const, sessionPresent: present, reasonCode: 0,
        properties: { serverKeepAlive: ka.serverKeepAlive } }
    : version === 5
      ? { cmd: 'connack' as const, sessionPresent: present, reasonCode: 0 }
      : { cmd: 'connack' as const, sessionPresent: present, returnCode: 0 };
  const bytes = ka.serverKeepAlive !== null ? encode(connack, 5) : encodeConnack(version, present, 0);
  sendPacket(b.engine, c.socket, bytes, connack, c.clientId,
    ka.why ? { why: ka.why, profile: b.profile.name } : undefined);
  armKeepAlive(b, c);
  if (!clean) countChange(b); // mosquitto connect__on_authorised: a persistent client is a change
  if (present) resumeDelivery(b, session);
}

/** [MQTT-3.1.4-2] / [MQTT-3.1.4-3]: drop a live connection with the same ClientId. */
function takeOver(b: Broker, c: BrokerConn, newClean: boolean): void {
  const old = b.sessions.get(c.clientId!)?.conn;
  if (!old || old === c || old.state === CLOSED) return;
  const rule = c.protocol === '5.0' ? 'MQTT-3.1.4-3' : 'MQTT-3.1.4-2';
  b.engine.emit({
    kind: 'broker.takeover', node: b.node, clientId: c.clientId!, oldConn: old.socket.conn,
    newConn: c.socket.conn,
    why: `[${rule}] a CONNECT with ClientId ${c.clientId} arrived while it was connected, ` +
      'so the existing connection is closed',
    rule, profile: b.profile.name,
  });
  // The old connection's Will: decided from its CONNECT, published or dropped before or after
  // the close as the profile says (the order shows in the trace and at a watching subscriber).
  const willFirst = b.profile.willBeforeTakeoverClose.value;
  if (willFirst) takeoverWill(b, old, newClean);
  if (old.protocol === '5.0' && b.profile.disconnect0x8EOnTakeover.value) {
    sendPacket(b.engine, old.socket, encodeDisconnect(5, 0x8e), { cmd: 'disconnect', reasonCode: 0x8e },
      old.clientId, { why: '[MQTT-3.1.4-3] DISCONNECT 0x8E Session taken over' });
  }
  // Detach the session first so that closing the old connection does not end it.
  const s = old.session;
  if (s !== null && s.conn === old) s.conn = null;
  old.session = null;
  closeConnection(b, old, null, true);
  if (!willFirst) takeoverWill(b, old, newClean);
  if (s !== null && s.expirySeconds === 0 && b.sessions.get(s.clientId) === s) {
    endSession(b, s, 'the taken-over session had Session Expiry 0 / CleanSession=1, so it ends');
  }
}

/** The taken-over connection's Will: published or dropped per the profile (decisions.ts). */
function takeoverWill(b: Broker, old: BrokerConn, newClean: boolean): void {
  if (old.will === null) return;
  const d = willOnTakeover(b.profile, {
    protocol: old.protocol, cleanStart: old.cleanStart,
    sessionExpirySeconds: old.sessionExpirySeconds, willDelaySeconds: old.will.delaySeconds,
  }, newClean);
  if (d.publish) {
    const will = old.will;
    old.will = null;
    publishWill(b, old.clientId!, old.socket.conn, will, 'takeover', d.why, d.rule);
  } else {
    dropWill(b, old, 'takeover', d.why, d.rule);
  }
}

/** A delayed Will of this ClientId is still waiting: cancel it, or publish it (session ends). */
function reconnectDuringWillDelay(b: Broker, clientId: string, clean: boolean): void {
  const pending = takePendingWill(b, clientId);
  if (pending === null) return;
  const d = pendingWillOnReconnect(b.profile, clean);
  if (d.publish) publishWill(b, clientId, pending.conn, pending.will, 'session-ended', d.why, d.rule);
  else discardWill(b, clientId, pending.conn, 'reconnected', d.why, d.rule);
}

function openSession(b: Broker, c: BrokerConn, clean: boolean): { session: Session; present: boolean } {
  const clientId = c.clientId!;
  const existing = b.sessions.get(clientId);
  if (existing) {
    if (clean) {
      endSession(b, existing, `[MQTT-3.1.2-6] / 5.0 [MQTT-3.1.2-4] CleanSession/Clean Start=1 ` +
        'discards the existing session');
    } else {
      removeSession(b, existing); // clears the expiry timer
      b.sessions.set(clientId, existing);
      if (existing.subscriptions.size > 0) b.subscribers.add(existing);
      existing.expirySeconds = c.sessionExpirySeconds;
      existing.protocol = c.protocol;
      existing.cleanStart = false;
      // [MQTT-3.2.2-2]; aedes only reports a session that holds subscriptions (profile data).
      const present = b.profile.sessionPresent.value === 'session-exists'
        || existing.subscriptions.size > 0;
      b.engine.emit({ kind: 'session.resumed', node: b.node, clientId, why: present
        ? '[MQTT-3.2.2-3] Session Present 1'
        : `session resumed, but Session Present 0: ${b.profile.name} reports it only with stored subscriptions`,
        profile: b.profile.name });
      return { session: existing, present };
    }
  }
  const session: Session = {
    clientId, conn: null, protocol: c.protocol, subscriptions: emptyMap(), expirySeconds: c.sessionExpirySeconds,
    queue: [], inflight: emptyMap(), qos2In: null, nextId: 1, expiryTimer: null, cleanStart: clean,
  };
  b.sessions.set(clientId, session);
  b.engine.emit({ kind: 'session.created', node: b.node, clientId });
  return { session, present: false };
}
