/**
 * What a client sends: one packet (keep-alive bookkeeping, then the wire), packet identifiers,
 * and the application's publish() (online, held while MQTT.js drains its store, or kept
 * offline per profile).
 */
import type { QoS } from '../../scenario/types.ts';
import type { IPublishPacket, Packet } from '../codec.ts';
import { encode } from '../codec.ts';
import { sendPacket } from '../wire.ts';
import { notePacketOut } from './keepalive.ts';
import { trackPublish } from './outgoing.ts';
import { own } from '../../empty-map.ts';
import type { Client } from './state.ts';

export function send(c: Client, bytes: Uint8Array, packet: Packet, extra?: Record<string, unknown>): void {
  const socket = c.socket;
  if (socket === null) return;
  notePacketOut(c.ka, c.engine.now());
  sendPacket(c.engine, socket, bytes, packet, c.spec.clientId, extra);
}

/** The next packet identifier not held by an unfinished flow ([MQTT-2.3.1-2]); 0 when all are. */
export function allocateId(c: Client): number {
  for (let tries = 0; tries < 65535; tries++) {
    const id = c.nextId;
    c.nextId = id >= 65535 ? 1 : id + 1;
    if (!c.outgoing.has(id)) return id;
  }
  return 0;
}

export function publish(c: Client, topic: string, payload: string, qos: QoS, retain: boolean): void {
  if (!c.alive) return;
  const online = c.state === 'connected';
  if (!online) {
    // Only a client that is going to (re)connect keeps messages; the profile decides which.
    if (c.stopped || c.state === 'disconnected') return;
    const rule = c.profile.offlinePublish.value;
    if ((qos === 0 ? rule.qos0 : rule.qos12) === 'drop') return;
  }
  if (online && c.draining !== null) {
    // MQTT.js while resending its store: publish() waits in _storeProcessingQueue.
    c.heldPublishes.push({ topic, payload, qos, retain });
    return;
  }
  const id = qos === 0 ? 0 : allocateId(c);
  if (qos > 0 && id === 0) return; // every identifier is held by an unfinished flow: the library refuses
  const packet: IPublishPacket = qos === 0
    ? { cmd: 'publish', topic, payload, qos, retain, dup: false }
    : { cmd: 'publish', topic, payload, qos, retain, dup: false, messageId: id };
  if (qos > 0) c.outgoing = own(c.outgoing);
  trackPublish(c.outgoing, packet, online);
  if (!online) {
    if (qos === 0) c.offlineQueue.push(packet);
    return;
  }
  send(c, encode(packet, c.version), packet);
}
