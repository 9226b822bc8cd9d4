/**
 * What a client does right after an accepted CONNACK, per library profile: resend its stored
 * QoS 1/2 messages (PUBLISH, or PUBREL where PUBREC came), send what it kept while offline,
 * and (re)subscribe. Paho sends the stored messages all at once; MQTT.js drains its store one
 * message at a time, each when the previous flow completed, holding new publish() calls until
 * the store is empty (profile `resendPace`, sources cited there). The standard's rule is
 * [MQTT-4.4.0-1]; outgoing.ts states what the libraries do beyond it.
 */
import type { ClientProfile } from '../../profiles/client-profiles.ts';
import type { IPublishPacket } from '../codec.ts';
import { encode } from '../codec.ts';
import { allocateId, publish, send } from './send.ts';
import type { Client } from './state.ts';
import { completed } from './outgoing.ts';
import type { OutgoingEntry } from './outgoing.ts';

function subscribeAll(c: Client): void {
  if (c.socket === null || c.spec.subscriptions.length === 0) return;
  const sub = {
    cmd: 'subscribe' as const, messageId: allocateId(c),
    subscriptions: c.spec.subscriptions.map((s) => ({ topic: s.topic, qos: s.qos })),
  };
  send(c, encode(sub, c.version), sub);
}

/**
 * After a successful CONNACK: the unacknowledged messages and what was published while offline,
 * in order (the libraries' outgoing store, then MQTT.js's QoS 0 queue). [MQTT-4.4.0-1]: with
 * Session Present 1 the client MUST resend unacknowledged PUBLISH (DUP 1, [MQTT-3.3.1-1]) and
 * PUBREL. Both libraries also resend when the server kept no session (profile sources), where
 * the standard would have the client discard them ([MQTT-3.2.2-5]): the server then takes them
 * as new messages.
 */
export function afterConnack(c: Client): void {
  if (c.profile.resendPace.value === 'one-at-a-time') {
    c.draining = new Set();
    drainNext(c);
    return;
  }
  for (const [id, o] of c.outgoing) {
    if (c.socket === null) return;
    resendOne(c, id, o);
  }
  finish(c);
}

/** What follows the resends: the QoS 0 kept offline, then the subscriptions if due. */
function finish(c: Client): void {
  flushOffline(c);
  // MQTT.js resubscribes without Session Present; a Paho app in on_connect every time.
  if (c.profile.resubscribe.value === 'every-connack' || !c.connackSessionPresent) subscribeAll(c);
}

/**
 * MQTT.js: resend the next stored message whose flow is not yet complete, or, when none is
 * left, end the drain: the publish() calls held meanwhile, then the QoS 0 queue, then the
 * resubscribe (its 'connect' event).
 */
function drainNext(c: Client): void {
  const done = c.draining;
  if (done === null || c.socket === null) return;
  for (const [id, o] of c.outgoing) {
    if (done.has(id)) continue;
    done.add(id);
    resendOne(c, id, o);
    return;
  }
  c.draining = null;
  for (const h of c.heldPublishes.splice(0)) publish(c, h.topic, h.payload, h.qos, h.retain);
  finish(c);
}

/** A flow of ours completed (PUBACK or PUBCOMP): MQTT.js's store callback reads the next. */
export function flowCompleted(c: Client, messageId: number): void {
  completed(c.outgoing, messageId);
  if (c.draining !== null && c.draining.has(messageId)) drainNext(c);
}

function resendOne(c: Client, id: number, o: OutgoingEntry): void {
  const prof = c.profile;
  const sessionPresent = c.connackSessionPresent;
  if (o.stage === 'pubrel') {
    const rel = { cmd: 'pubrel' as const, messageId: id };
    send(c, encode(rel, c.version), rel, resendWhy(prof, sessionPresent));
    return;
  }
  const dup = prof.dupOnResend.value;
  const packet: IPublishPacket = o.sent ? { ...o.packet, dup } : o.packet;
  send(c, encode(packet, c.version), packet, o.sent ? resendWhy(prof, sessionPresent) : offlineWhy(prof));
  o.sent = true;
}

function resendWhy(prof: ClientProfile, sessionPresent: boolean): Record<string, unknown> {
  const dup = prof.dupOnResend.value;
  const pace = prof.resendPace.value === 'one-at-a-time' ? '; one at a time, each after the previous one\'s ack' : '';
  return sessionPresent
    ? { why: `[MQTT-4.4.0-1] resent after reconnecting: the server kept the session${dup ? '' : ` (${prof.name} leaves DUP at 0)`}${pace}`, rule: 'MQTT-4.4.0-1', profile: prof.name }
    : { why: `${prof.name} resends unacknowledged messages after every CONNACK; the server kept no session, so they arrive as new messages${pace}`, profile: prof.name };
}

function offlineWhy(prof: ClientProfile): Record<string, unknown> {
  return { why: `${prof.name} kept this message while offline and sends it after CONNACK`, profile: prof.name };
}

function flushOffline(c: Client): void {
  const why = offlineWhy(c.profile);
  for (const packet of c.offlineQueue.splice(0)) {
    if (c.socket === null) return;
    send(c, encode(packet, c.version), packet, why);
  }
}
