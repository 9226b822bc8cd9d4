/**
 * Application messages inside the broker: retained messages, routing a PUBLISH (or a Will)
 * to matching subscriptions, QoS 1/2 delivery with packet ids, and queueing for offline
 * persistent sessions.
 *
 * MQTT 3.1.1 / 5.0 §3.3 and §4.3-4.6: the delivered QoS is min(message QoS, subscription QoS);
 * a live forward carries RETAIN 0 [MQTT-3.3.1-9], a retained message sent because of a new
 * subscription carries RETAIN 1 [MQTT-3.3.1-8]; a retained PUBLISH with an empty payload
 * deletes the retained message [MQTT-3.3.1-10]; QoS ≥ 1 messages for a disconnected
 * persistent session are queued [MQTT-3.1.2-5]; unacknowledged ones are re-sent with DUP on
 * session resumption [MQTT-4.4.0-1]. A client whose subscriptions overlap gets one copy at
 * the highest QoS, the broker's first match, or a copy per match (profile
 * overlappingSubscriptions, measured on the real brokers). Leaves out: Message Expiry, flow control.
 */
import type { Packet } from '../codec.ts';
import { encode } from '../codec.ts';
import { topicMatches } from '../topic.ts';
import { sendPacket } from '../wire.ts';
import { own } from '../../empty-map.ts';
import type { QoS } from '../../scenario/types.ts';
import type { OverlapRule } from '../../profiles/broker-profiles.ts';
import type { Broker, BrokerConn, Message, Session } from './state.ts';
import { CONNECTED, MAX_QUEUED } from './state.ts';
import { countChange } from './store-save.ts';

/** Store or delete a retained message, then deliver to every matching subscription. */
export function routeMessage(b: Broker, m: Message): void {
  if (m.retain) {
    if (m.payload.length === 0) b.retained.delete(m.topic);
    else b.retained.set(m.topic, { topic: m.topic, payload: m.payload, qos: m.qos, retain: true, from: m.from });
    countChange(b);
  }
  const rule = b.profile.overlappingSubscriptions.value;
  for (const s of b.subscribers) {
    const mode = s.protocol === '5.0' ? rule.v5 : rule.v311;
    if (mode === 'max-qos') {
      let best = -1;
      for (const [filter, qos] of s.subscriptions) {
        if (qos > best && topicMatches(filter, m.topic)) best = qos;
      }
      if (best >= 0) deliver(b, s, m, (m.qos < best ? m.qos : best) as QoS, false);
      continue;
    }
    const matches: [string, QoS][] = [];
    for (const entry of s.subscriptions) if (topicMatches(entry[0], m.topic)) matches.push(entry);
    if (matches.length === 0) continue;
    if (matches.length > 1) matches.sort((x, y) => treeOrder(rule.order, x[0], y[0]));
    for (const [, qos] of mode === 'first-match' ? matches.slice(0, 1) : matches) {
      deliver(b, s, m, (m.qos < qos ? m.qos : qos) as QoS, false);
    }
  }
}

/** Which of two filters matching the same topic the broker's subscription tree finds first. */
function treeOrder(order: OverlapRule['order'], a: string, b: string): number {
  const la = a.split('/');
  const lb = b.split('/');
  const rank = (levels: string[], i: number): number => {
    const w = levels[i];
    return w === undefined ? order.end : w === '#' ? order.hash : w === '+' ? order.plus : order.exact;
  };
  for (let i = 0; i < la.length || i < lb.length; i++) {
    const d = rank(la, i) - rank(lb, i);
    if (d !== 0) return d;
    if (la[i] === '#' || la[i] === undefined) return 0;
  }
  return 0;
}

/** Deliver one message to one session at `qos`: send now, or queue while offline. */
export function deliver(b: Broker, s: Session, m: Message, qos: QoS, retainFlag: boolean): void {
  const c = s.conn;
  if (c === null || c.state !== CONNECTED) {
    // [MQTT-3.1.2-5]: queue QoS 1/2 for a session that outlives its connection.
    if (qos > 0 && s.expirySeconds > 0) {
      const limit = b.profile.offlineQueueLimit.value;
      if (limit !== null && s.queue.length >= limit.max) return; // mosquitto: a full queue refuses the new one
      if (s.queue.length >= MAX_QUEUED) s.queue.shift(); // the simulator's own memory bound
      s.queue.push(qos === m.qos ? m : { ...m, qos, enc4: undefined, enc5: undefined });
      countChange(b);
    }
    return;
  }
  if (qos === 0) {
    sendPublish(b, c, m, 0, 0, retainFlag, false);
    return;
  }
  const id = allocateId(s);
  (s.inflight = own(s.inflight)).set(id, { message: m, qos, stage: 'publish', retain: retainFlag });
  sendPublish(b, c, m, qos, id, retainFlag, false);
}

function allocateId(s: Session): number {
  for (let n = 0; n < 65535; n++) {
    const id = s.nextId;
    s.nextId = id >= 65535 ? 1 : id + 1;
    if (!s.inflight.has(id)) return id;
  }
  throw new Error(`no free packet identifier for ${s.clientId}`);
}

export function sendPublish(
  b: Broker, c: BrokerConn, m: Message, qos: QoS, messageId: number, retain: boolean, dup: boolean,
): void {
  let bytes: Uint8Array | undefined;
  const cacheable = qos === 0 && !retain;
  if (cacheable) bytes = c.version === 5 ? m.enc5 : m.enc4;
  let packet: Packet | null = null;
  if (bytes === undefined) {
    packet = qos === 0
      ? { cmd: 'publish', topic: m.topic, payload: m.payload, qos, retain, dup: false }
      : { cmd: 'publish', topic: m.topic, payload: m.payload, qos, retain, dup, messageId };
    bytes = encode(packet, c.version);
    if (cacheable) {
      if (c.version === 5) m.enc5 = bytes; else m.enc4 = bytes;
    }
  }
  if (packet === null && b.engine.wants('mqtt.send')) {
    packet = { cmd: 'publish', topic: m.topic, payload: m.payload, qos, retain, dup: false };
  }
  sendPacket(b.engine, c.socket, bytes, packet as Packet, c.clientId, m.from);
  // A Will's PUBLISH: the receiving client's trace names it too (its place in this stream).
  if (m.from !== undefined) b.provenance.sent(c.socket.conn, c.socket.packetsWritten, m.from);
}

/** After CONNACK on a resumed session: re-send unacknowledged messages, then the queue. */
export function resumeDelivery(b: Broker, s: Session): void {
  const c = s.conn;
  if (c === null) return;
  for (const [id, o] of s.inflight) {
    if (o.stage === 'publish') sendPublish(b, c, o.message, o.qos, id, o.retain, true);
    else sendPacket(b.engine, c.socket, encode({ cmd: 'pubrel', messageId: id }, c.version),
      { cmd: 'pubrel', messageId: id }, c.clientId);
  }
  const queued = s.queue;
  s.queue = [];
  for (const m of queued) deliver(b, s, m, m.qos, false);
}

/** Retained messages matching a new subscription, sent with RETAIN 1 [MQTT-3.3.1-8]. */
export function sendRetained(b: Broker, s: Session, filter: string, subQos: QoS): void {
  for (const m of b.retained.values()) {
    if (!topicMatches(filter, m.topic)) continue;
    deliver(b, s, m, (m.qos < subQos ? m.qos : subQos) as QoS, true);
  }
}
