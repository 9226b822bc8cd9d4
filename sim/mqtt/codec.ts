/**
 * MQTT wire codec: real bytes for MQTT 3.1.1 (protocol level 4) and 5.0 (level 5).
 *
 * Encoding is mqtt-packet's `generate`, so wire sizes and capture files are what a real
 * client or broker would write. Decoding frames the byte stream itself (fixed header and the
 * Variable Byte Integer "Remaining Length", MQTT 3.1.1 §2.2.3 / 5.0 §2.1.4) and hands each
 * complete packet to mqtt-packet's parser. The hot path of a keep-alive simulation is two-byte
 * packets (PINGREQ c0 00, PINGRESP d0 00, DISCONNECT e0 00), so those are decoded to frozen
 * constant objects without the parser, and constant encodings are cached. A table test
 * (test/sim/mqtt/codec.test.ts) proves the fast paths equal mqtt-packet byte for byte.
 *
 * Leaves out: AUTH flows, packet size limits, streaming of huge packets (a frame is buffered
 * until complete).
 */
import mqttPacket from 'mqtt-packet';
import type { Packet } from 'mqtt-packet';

export type { Packet, IConnectPacket, IPublishPacket } from 'mqtt-packet';
/** mqtt-packet's protocolVersion: 4 = MQTT 3.1.1, 5 = MQTT 5.0. */
export type WireVersion = 4 | 5;

export const PACKET_NAMES: Record<string, string> = {
  connect: 'CONNECT', connack: 'CONNACK', publish: 'PUBLISH', puback: 'PUBACK',
  pubrec: 'PUBREC', pubrel: 'PUBREL', pubcomp: 'PUBCOMP', subscribe: 'SUBSCRIBE',
  suback: 'SUBACK', unsubscribe: 'UNSUBSCRIBE', unsuback: 'UNSUBACK', pingreq: 'PINGREQ',
  pingresp: 'PINGRESP', disconnect: 'DISCONNECT', auth: 'AUTH',
};

const OPTS4 = { protocolVersion: 4 } as const;
const OPTS5 = { protocolVersion: 5 } as const;

/** Encode one packet with mqtt-packet (the reference encoder). */
export function encode(packet: Packet, version: WireVersion): Uint8Array {
  return mqttPacket.generate(packet, version === 5 ? OPTS5 : OPTS4);
}

// ---- cached constant encodings --------------------------------------------------------

function constant(packet: Packet, version: WireVersion): Uint8Array {
  return encode(packet, version);
}

const PINGREQ_BYTES = constant({ cmd: 'pingreq' }, 4);
const PINGRESP_BYTES = constant({ cmd: 'pingresp' }, 4);
const DISCONNECT_V4 = constant({ cmd: 'disconnect' }, 4);
/** mqtt-packet writes a v5 DISCONNECT as reason code + empty property length (e0 02 00 00). */
const DISCONNECT_V5_BY_REASON = new Map<number, Uint8Array>();

export function encodePingreq(): Uint8Array { return PINGREQ_BYTES; }
export function encodePingresp(): Uint8Array { return PINGRESP_BYTES; }

export function encodeDisconnect(version: WireVersion, reasonCode: number): Uint8Array {
  if (version === 4) return DISCONNECT_V4;
  let bytes = DISCONNECT_V5_BY_REASON.get(reasonCode);
  if (bytes === undefined) {
    bytes = constant({ cmd: 'disconnect', reasonCode }, 5);
    DISCONNECT_V5_BY_REASON.set(reasonCode, bytes);
  }
  return bytes;
}

const CONNACK_CACHE = new Map<number, Uint8Array>();

/** CONNACK without properties, cached by (version, sessionPresent, code). */
export function encodeConnack(version: WireVersion, sessionPresent: boolean, code: number): Uint8Array {
  const key = version * 1024 + (sessionPresent ? 512 : 0) + code;
  let bytes = CONNACK_CACHE.get(key);
  if (bytes === undefined) {
    bytes = version === 5
      ? constant({ cmd: 'connack', sessionPresent, reasonCode: code }, 5)
      : constant({ cmd: 'connack', sessionPresent, returnCode: code }, 4);
    CONNACK_CACHE.set(key, bytes);
  }
  return bytes;
}

/**
 * PUBACK with reason Success: 40 02 id_hi id_lo in both versions (MQTT 5 §3.4.2.1 lets the
 * reason code and properties be omitted when the reason is 0x00 and there are none; mqtt-packet
 * does the same).
 */
export function encodePuback(messageId: number): Uint8Array {
  const b = new Uint8Array(4);
  b[0] = 0x40; b[1] = 2; b[2] = messageId >> 8; b[3] = messageId & 0xff;
  return b;
}

// ---- decoding -------------------------------------------------------------------------

interface PacketParser {
  settings: { protocolVersion: number };
  parse(buf: Uint8Array): number;
  on(event: 'packet', fn: (p: Packet) => void): void;
  on(event: 'error', fn: (e: Error) => void): void;
}

let parsed: Packet | null = null;
let parseError: Error | null = null;

function makeParser(version: WireVersion): PacketParser {
  const p = mqttPacket.parser({ protocolVersion: version }) as unknown as PacketParser;
  p.on('packet', (packet: Packet) => { parsed = packet; });
  p.on('error', (e: Error) => { parseError = e; });
  return p;
}
let parser4: PacketParser | null = null;
let parser5: PacketParser | null = null;

function frozenTwoByte(cmd: string, version: WireVersion): Packet {
  const p: Record<string, unknown> = {
    cmd, retain: false, qos: 0, dup: false, length: 0, topic: null, payload: null,
  };
  if (version === 5 && cmd === 'disconnect') p.reasonCode = 0;
  return Object.freeze(p) as unknown as Packet;
}

/** The objects mqtt-packet's parser produces for c0 00, d0 00, e0 00, per version. */
const TWO_BYTE: Record<WireVersion, Packet[]> = {
  4: [frozenTwoByte('pingreq', 4), frozenTwoByte('pingresp', 4), frozenTwoByte('disconnect', 4)],
  5: [frozenTwoByte('pingreq', 5), frozenTwoByte('pingresp', 5), frozenTwoByte('disconnect', 5)],
};

/** One-element arrays of the constants, so the stream fast path allocates nothing. */
const TWO_BYTE_LISTS: Record<WireVersion, readonly Packet[][]> = {
  4: TWO_BYTE[4].map((p) => Object.freeze([p]) as Packet[]),
  5: TWO_BYTE[5].map((p) => Object.freeze([p]) as Packet[]),
};

/** Decode one complete frame (fixed header + body) with mqtt-packet's parser. */
export function parseFrame(frame: Uint8Array, version: WireVersion): Packet {
  if (frame.length === 2 && frame[1] === 0) {
    const b0 = frame[0];
    if (b0 === 0xc0) return TWO_BYTE[version][0]!;
    if (b0 === 0xd0) return TWO_BYTE[version][1]!;
    if (b0 === 0xe0) return TWO_BYTE[version][2]!;
  }
  let p: PacketParser;
  if (version === 5) p = parser5 ??= makeParser(5);
  else p = parser4 ??= makeParser(4);
  parsed = null; parseError = null;
  p.parse(frame);
  // mqtt-packet's parser adopts a parsed CONNECT as its settings (parser.js `this.settings =
  // packet`); the parsers here are shared, so put the version back.
  if (frame[0] === 0x10) p.settings = { protocolVersion: version };
  const result = parsed as Packet | null;
  const error = parseError as Error | null;
  parsed = null; parseError = null;
  if (error !== null || result === null) {
    // The shared parser keeps what it had buffered of a frame it could not finish: the next
    // frame of any stream would be read after those bytes. A fresh parser for the next one.
    if (version === 5) parser5 = null; else parser4 = null;
    throw new MalformedPacket(error !== null ? error.message : 'incomplete packet');
  }
  return result;
}

export class MalformedPacket extends Error {
  override name = 'MalformedPacket';
}

/**
 * A byte-stream reader for one direction of one connection. `push` returns the complete
 * packets in the chunk (usually exactly one). `version` may change after CONNECT.
 */
export interface StreamDecoder {
  version: WireVersion;
  /** The returned array may be a shared frozen one: read it, do not keep or change it. */
  push(bytes: Uint8Array): readonly Packet[];
}

const EMPTY: Packet[] = [];

/**
 * CONNECTs (and CONNACKs) already parsed, by the very byte array that carried them. A client sends the same
 * CONNECT, the same array, on every attempt (client.ts encodes it once: `connectBytes`), and
 * TCP hands a chunk that fits one segment to the peer as it was written; a reconnect storm's
 * broker would parse the same bytes tens of thousands of times with mqtt-packet's buffer list
 * (in the browser, through a Buffer polyfill). The packet is read, never changed, by the
 * broker (as the shared two-byte packets are).
 */
const CONNECTS = new WeakMap<Uint8Array, { version: WireVersion; list: Packet[] }>();
/** CONNECT and CONNACK (the broker's CONNACKs are shared constants: encodeConnack). */
const remembered = (b0: number | undefined): boolean => b0 === 0x10 || b0 === 0x20;

export function createDecoder(version: WireVersion): StreamDecoder {
  let pending: Uint8Array | null = null;
  const decoder: StreamDecoder = {
    version,
    push(bytes: Uint8Array): Packet[] {
      if (pending === null && remembered(bytes[0])) {
        const hit = CONNECTS.get(bytes);
        if (hit !== undefined && hit.version === decoder.version) return hit.list;
      }
      // Fast path: a chunk that is exactly one two-byte packet, nothing buffered.
      if (pending === null && bytes.length === 2 && bytes[1] === 0) {
        const b0 = bytes[0];
        const i = b0 === 0xc0 ? 0 : b0 === 0xd0 ? 1 : b0 === 0xe0 ? 2 : -1;
        if (i >= 0) return TWO_BYTE_LISTS[decoder.version][i]!;
      }
      let buf = bytes;
      if (pending !== null) {
        buf = new Uint8Array(pending.length + bytes.length);
        buf.set(pending, 0); buf.set(bytes, pending.length);
        pending = null;
      }
      let out: Packet[] = EMPTY;
      let pos = 0;
      while (pos < buf.length) {
        const end = frameEnd(buf, pos);
        if (end < 0) break;
        const packet = parseFrame(buf.subarray(pos, end), decoder.version);
        if (out === EMPTY) out = [];
        out.push(packet);
        pos = end;
      }
      if (pos < buf.length) pending = buf.slice(pos);
      else if (buf === bytes && out.length === 1 && remembered(bytes[0])) CONNECTS.set(bytes, { version: decoder.version, list: out });
      return out;
    },
  };
  return decoder;
}

/** End offset of the frame starting at `pos`, or -1 if it is not complete yet. */
export function frameEnd(buf: Uint8Array, pos: number): number {
  let multiplier = 1;
  let length = 0;
  let i = pos + 1;
  for (let n = 0; n < 4; n++) {
    if (i >= buf.length) return -1;
    const digit = buf[i++]!;
    length += (digit & 0x7f) * multiplier;
    if ((digit & 0x80) === 0) {
      const end = i + length;
      return end <= buf.length ? end : -1;
    }
    multiplier *= 128;
  }
  throw new MalformedPacket('Remaining Length longer than 4 bytes [MQTT-2.2.3] / 5.0 §1.5.5');
}

/** The packet's name for the trace: CONNECT, PUBLISH, … */
export function packetName(packet: Packet): string {
  return PACKET_NAMES[packet.cmd] ?? packet.cmd.toUpperCase();
}

/** Payload as text for the trace (MQTT payloads are bytes; ours are always UTF-8 strings). */
export function payloadText(payload: unknown): string {
  if (typeof payload === 'string') return payload;
  if (payload instanceof Uint8Array) return utf8.decode(payload);
  return '';
}
const utf8 = new TextDecoder();
