/**
 * The client's half of the session state for its own QoS 1 and 2 messages: PUBLISH packets not
 * yet acknowledged, and QoS 2 messages waiting for PUBCOMP after PUBREL (MQTT 3.1.1 §4.1,
 * MQTT 5.0 §4.1).
 *
 * What the standard asks: [MQTT-4.4.0-1] when the client reconnects and the server has the
 * session (Session Present 1), it MUST resend every unacknowledged PUBLISH (QoS > 0) and PUBREL
 * with their original packet identifiers, PUBLISH with DUP set ([MQTT-3.3.1-1]); with Clean
 * Start or Session Present 0 the client would discard them ([MQTT-3.1.2-6], [MQTT-3.2.2-5]).
 * What the libraries do, and this model with them (client profiles, their sources cited
 * there): both MQTT.js and Paho resend after EVERY CONNACK, Session Present or not (the server
 * then takes them as new messages); MQTT.js leaves DUP at 0, Paho sets it. A QoS 1/2 message
 * published while offline is stored here unsent and goes out after the next CONNACK.
 * A packet identifier stays in use until its flow completes, so new messages skip it
 * ([MQTT-2.3.1-2] / [MQTT-2.2.1-3]).
 * Kept in send order (a Map keeps insertion order), the order the standard asks resends in
 * (§4.6 message ordering). Leaves out: in-flight limits (Receive Maximum).
 */
import type { IPublishPacket } from '../codec.ts';

export interface OutgoingEntry {
  packet: IPublishPacket;
  /** 'publish': waiting for PUBACK (QoS 1) or PUBREC (QoS 2); 'pubrel': PUBREL sent, waiting for PUBCOMP. */
  stage: 'publish' | 'pubrel';
  /** False for a message published while offline and not sent yet. */
  sent: boolean;
}

export type Outgoing = Map<number, OutgoingEntry>;

export function trackPublish(o: Outgoing, packet: IPublishPacket, sent: boolean): void {
  if (packet.qos > 0 && packet.messageId !== undefined) o.set(packet.messageId, { packet, stage: 'publish', sent });
}

/** PUBACK (QoS 1) or PUBCOMP (QoS 2): the flow is complete, the identifier is free again. */
export function completed(o: Outgoing, messageId: number): void {
  o.delete(messageId);
}

/** PUBREC: the server has the QoS 2 message; from now on PUBREL is what gets resent. */
export function released(o: Outgoing, messageId: number): void {
  const e = o.get(messageId);
  if (e !== undefined) e.stage = 'pubrel';
}
