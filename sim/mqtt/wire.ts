/**
 * Writing MQTT packets to a TCP socket and describing them in the trace (`mqtt.send`,
 * `mqtt.recv`, CONTRACT.md section 3). Shared by the broker and the client.
 *
 * Event fields: node, peer, conn, packet, then the packet's own fields where it has them
 * (clientId, topic, payload, qos, reasonCode, messageId, retain, dup, keepAliveSeconds,
 * cleanStart, sessionPresent), then `bytes` (the encoded size on the wire). Numbers stay
 * numbers. Nothing here runs unless the trace sink wants the kind, except the write itself.
 */
import type { Engine } from '../engine/types.ts';
import type { CommonFields, FieldsOf, MessageOrigin, TraceFieldsOf } from '../trace/types.ts';

/** mqtt.send and mqtt.recv have the same fields (trace/schema.ts PACKET). */
type PacketEvent = TraceFieldsOf<'mqtt.send'> | TraceFieldsOf<'mqtt.recv'>;
import type { TcpSocket } from '../net/api.ts';
import type { Packet } from './codec.ts';
import { packetName, payloadText } from './codec.ts';

/** Build the mqtt.send / mqtt.recv event for a packet. */
export function packetEvent(
  kind: 'mqtt.send' | 'mqtt.recv', node: string, peer: string, conn: string,
  packet: Packet, bytes: number, clientId: string | null,
): PacketEvent {
  // `bytes` is required but written last (the key order is the NDJSON's), so the object is
  // built with every field optional and is complete at the return.
  const ev: { kind: PacketEvent['kind'] } & Partial<FieldsOf<'mqtt.send'>> = {
    kind, node, peer, conn, packet: packetName(packet),
  };
  const p = packet as unknown as Record<string, unknown>;
  switch (packet.cmd) {
    case 'connect': {
      ev.clientId = packet.clientId;
      ev.keepAliveSeconds = packet.keepalive ?? 0;
      ev.cleanStart = packet.clean ?? true;
      if (packet.protocolVersion !== undefined) ev.protocolVersion = packet.protocolVersion;
      if (packet.properties?.sessionExpiryInterval !== undefined) {
        ev.sessionExpirySeconds = packet.properties.sessionExpiryInterval;
      }
      if (packet.will) {
        ev.willTopic = packet.will.topic;
        if (packet.will.properties?.willDelayInterval !== undefined) {
          ev.willDelaySeconds = packet.will.properties.willDelayInterval;
        }
      }
      break;
    }
    case 'connack':
      if (clientId !== null) ev.clientId = clientId;
      ev.reasonCode = packet.reasonCode ?? packet.returnCode ?? 0;
      ev.sessionPresent = packet.sessionPresent;
      if (packet.properties?.serverKeepAlive !== undefined) {
        ev.serverKeepAliveSeconds = packet.properties.serverKeepAlive;
      }
      break;
    case 'publish':
      if (clientId !== null) ev.clientId = clientId;
      ev.topic = packet.topic;
      ev.payload = payloadText(packet.payload);
      ev.qos = packet.qos;
      if (packet.messageId !== undefined && packet.qos > 0) ev.messageId = packet.messageId;
      ev.retain = packet.retain;
      ev.dup = packet.dup;
      break;
    default:
      if (clientId !== null) ev.clientId = clientId;
      if (typeof p.messageId === 'number') ev.messageId = p.messageId;
      if (typeof p.reasonCode === 'number') ev.reasonCode = p.reasonCode;
      if (Array.isArray(p.granted)) ev.granted = p.granted;
      if (Array.isArray(p.subscriptions)) {
        ev.topics = (p.subscriptions as { topic: string }[]).map((s) => s.topic);
      }
      break;
  }
  ev.bytes = bytes;
  return ev as PacketEvent;
}

/** What sendPacket describes (one shared record: the event is built within the call). */
const out = {
  socket: null as unknown as TcpSocket, bytes: null as unknown as Uint8Array, packet: null as unknown as Packet,
  clientId: null as string | null, extra: undefined as CommonFields | MessageOrigin | undefined,
};

function sendFields(o: typeof out): TraceFieldsOf<'mqtt.send'> {
  const { packet, bytes } = o;
  const described = (packet as { reasonCode?: number }).reasonCode === undefined && hasEncodedReason(packet.cmd, bytes)
    ? { ...packet, reasonCode: bytes[4]! } as Packet : packet;
  const ev = packetEvent('mqtt.send', o.socket.node, o.socket.peer, o.socket.conn, described, bytes.length, o.clientId);
  return (o.extra ? Object.assign(ev, o.extra) : ev) as TraceFieldsOf<'mqtt.send'>;
}

/** Write bytes; `mqtt.send` describes `packet` (built only when the trace sink wants it). */
export function sendPacket(
  engine: Engine, socket: TcpSocket, bytes: Uint8Array, packet: Packet, clientId: string | null,
  extra?: CommonFields | MessageOrigin,
): void {
  out.socket = socket; out.bytes = bytes; out.packet = packet; out.clientId = clientId; out.extra = extra;
  engine.emitPacket('mqtt.send', socket.node, sendFields, out);
  out.socket = null as unknown as TcpSocket; out.bytes = null as unknown as Uint8Array; out.packet = null as unknown as Packet;
  socket.write(bytes);
}

/**
 * An MQTT 5 PUBACK / PUBREC / PUBREL / PUBCOMP built without a reason code is still written
 * with one by mqtt-packet (reason 0x00 and an empty property length: 50 04 id id 00 00, as
 * MQTT.js sends them), so the trace shows it, as the receiver's parser reports it
 * (CONTRACT.md: `reasonCode` where the packet has one). Byte 4 follows the two-byte fixed
 * header and the packet id; 3.1.1 acks are 4 bytes and have none.
 */
function hasEncodedReason(cmd: string, bytes: Uint8Array): boolean {
  return bytes.length >= 5 && bytes[1]! < 128 &&
    (cmd === 'puback' || cmd === 'pubrec' || cmd === 'pubrel' || cmd === 'pubcomp');
}

const inbound = {
  socket: null as unknown as TcpSocket, packet: null as unknown as Packet, clientId: null as string | null,
  origin: undefined as MessageOrigin | undefined,
};

function recvFields(o: typeof inbound): TraceFieldsOf<'mqtt.recv'> {
  const ev = packetEvent('mqtt.recv', o.socket.node, o.socket.peer, o.socket.conn, o.packet, wireSize(o.packet), o.clientId);
  return (o.origin ? Object.assign(ev, o.origin) : ev) as TraceFieldsOf<'mqtt.recv'>;
}

/**
 * A whole packet arrived: `mqtt.recv` (built only when the trace sink wants it); `origin`:
 * the Will a PUBLISH carries (mqtt/provenance.ts).
 */
export function traceRecv(
  engine: Engine, socket: TcpSocket, packet: Packet, clientId: string | null, origin?: MessageOrigin,
): void {
  inbound.socket = socket; inbound.packet = packet; inbound.clientId = clientId; inbound.origin = origin;
  engine.emitPacket('mqtt.recv', socket.node, recvFields, inbound);
  inbound.socket = null as unknown as TcpSocket; inbound.packet = null as unknown as Packet; inbound.origin = undefined;
}

/** Size of an encoded packet from its parsed object is not kept by mqtt-packet: recompute. */
export function wireSize(packet: Packet): number {
  const len = (packet as { length?: number }).length ?? 0;
  return 1 + varIntSize(len) + len;
}

function varIntSize(n: number): number {
  return n < 128 ? 1 : n < 16384 ? 2 : n < 2097152 ? 3 : 4;
}
