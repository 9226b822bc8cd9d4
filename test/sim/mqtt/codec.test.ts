import { describe, expect, it } from 'vitest';
import mqttPacket from 'mqtt-packet';
import type { Packet } from 'mqtt-packet';
import {
  createDecoder, encode, encodeConnack, encodeDisconnect, encodePingreq, encodePingresp,
  encodePuback, frameEnd, parseFrame, type WireVersion,
} from '../../../sim/mqtt/codec.ts';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

/** What mqtt-packet's own parser makes of the bytes. */
function reference(bytes: Uint8Array, version: WireVersion): Packet[] {
  const out: Packet[] = [];
  const p = mqttPacket.parser({ protocolVersion: version });
  p.on('packet', (x: Packet) => out.push(x));
  p.parse(Buffer.from(bytes));
  return out;
}
const plain = (p: unknown) => JSON.parse(JSON.stringify(p));

describe('cached encodings equal mqtt-packet generate', () => {
  const rows: [string, () => Uint8Array, Packet, WireVersion, string][] = [
    ['PINGREQ', encodePingreq, { cmd: 'pingreq' }, 4, 'c0 00'],
    ['PINGRESP', encodePingresp, { cmd: 'pingresp' }, 4, 'd0 00'],
    ['DISCONNECT 3.1.1', () => encodeDisconnect(4, 0), { cmd: 'disconnect' }, 4, 'e0 00'],
    ['DISCONNECT 5.0 0x00', () => encodeDisconnect(5, 0), { cmd: 'disconnect', reasonCode: 0 }, 5, 'e0 02 00 00'],
    ['DISCONNECT 5.0 0x8E', () => encodeDisconnect(5, 0x8e), { cmd: 'disconnect', reasonCode: 0x8e }, 5, 'e0 02 8e 00'],
    ['CONNACK 3.1.1 rc 0', () => encodeConnack(4, false, 0),
      { cmd: 'connack', sessionPresent: false, returnCode: 0 }, 4, '20 02 00 00'],
    ['CONNACK 3.1.1 rc 1 (aedes refusing 5.0)', () => encodeConnack(4, false, 1),
      { cmd: 'connack', sessionPresent: false, returnCode: 1 }, 4, '20 02 00 01'],
    ['CONNACK 5.0 SP=1', () => encodeConnack(5, true, 0),
      { cmd: 'connack', sessionPresent: true, reasonCode: 0 }, 5, '20 03 01 00 00'],
    ['PUBACK 3.1.1', () => encodePuback(258), { cmd: 'puback', messageId: 258 }, 4, '40 02 01 02'],
    ['PUBACK 5.0', () => encodePuback(258), { cmd: 'puback', messageId: 258, reasonCode: 0 }, 5, '40 02 01 02'],
  ];
  for (const [name, fast, packet, version, bytes] of rows) {
    it(name, () => {
      expect(hex(fast())).toBe(bytes);
      expect(hex(mqttPacket.generate(packet, { protocolVersion: version }))).toBe(bytes);
    });
  }
});

describe('two-byte fast path decodes exactly what mqtt-packet parses', () => {
  for (const version of [4, 5] as const) {
    for (const b0 of [0xc0, 0xd0, 0xe0]) {
      it(`${b0.toString(16)} 00, protocol level ${version}`, () => {
        const bytes = new Uint8Array([b0, 0]);
        const fast = createDecoder(version).push(bytes);
        expect(fast).toHaveLength(1);
        expect(plain(fast[0])).toEqual(plain(reference(bytes, version)[0]));
        expect(Object.isFrozen(fast[0])).toBe(true);
      });
    }
  }
});

describe('framing reader', () => {
  it('reassembles a packet split across chunks and splits coalesced packets', () => {
    const connect = encode({
      cmd: 'connect', protocolVersion: 5, clientId: 'sensor-1', keepalive: 10, clean: true,
      properties: { sessionExpiryInterval: 60 },
      will: { topic: 'status/sensor-1', payload: Buffer.from('offline'), qos: 1, retain: true,
        properties: { willDelayInterval: 5 } },
    }, 5);
    const stream = new Uint8Array([...connect, 0xc0, 0x00, ...encodePuback(7)]);
    const d = createDecoder(5);
    const out: Packet[] = [];
    for (let i = 0; i < stream.length; i += 3) out.push(...d.push(stream.subarray(i, i + 3)));
    expect(out.map((p) => p.cmd)).toEqual(['connect', 'pingreq', 'puback']);
    const c = out[0] as Extract<Packet, { cmd: 'connect' }>;
    expect(c.clientId).toBe('sensor-1');
    expect(c.keepalive).toBe(10);
    expect(c.properties?.sessionExpiryInterval).toBe(60);
    expect(c.will?.properties?.willDelayInterval).toBe(5);
    expect(plain(c)).toEqual(plain(reference(connect, 5)[0]));
  });

  it('reads multi-byte Remaining Length (a 200-byte PUBLISH)', () => {
    const payload = 'x'.repeat(200);
    const bytes = encode({ cmd: 'publish', topic: 't', payload, qos: 0, retain: false, dup: false }, 4);
    expect(bytes[1]! & 0x80).toBe(0x80);
    expect(frameEnd(bytes, 0)).toBe(bytes.length);
    expect(frameEnd(bytes.subarray(0, bytes.length - 1), 0)).toBe(-1);
    const p = parseFrame(bytes, 4) as Extract<Packet, { cmd: 'publish' }>;
    expect(p.topic).toBe('t');
    expect(String(p.payload)).toBe(payload);
  });

  it('rejects a malformed packet', () => {
    expect(() => parseFrame(new Uint8Array([0x32, 0x01, 0x00]), 4)).toThrow();
  });
});

describe('shared parsers', () => {
  it('a 5.0 CONNECT parsed on a 3.1.1 stream does not switch later 3.1.1 streams to 5.0', () => {
    const connect5 = encode({ cmd: 'connect', protocolVersion: 5, clientId: 'a', keepalive: 1, clean: true }, 5);
    expect(createDecoder(4).push(connect5)[0]!.cmd).toBe('connect');
    const publish4 = encode({ cmd: 'publish', topic: 't', payload: 'p', qos: 1, messageId: 3, retain: false, dup: false }, 4);
    const p = createDecoder(4).push(publish4)[0] as Extract<Packet, { cmd: 'publish' }>;
    expect(String(p.payload)).toBe('p');
  });
});

describe('CONNECTs seen before (a client sends the same array on every attempt)', () => {
  it('the same bytes give the packet mqtt-packet parses, on any stream of that version; other versions and split chunks parse afresh', () => {
    const connect = encode({
      cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'dev-7', keepalive: 60, clean: true,
      will: { topic: 'status/dev-7', payload: Buffer.from('offline'), qos: 1, retain: true },
    }, 4);
    const first = createDecoder(4).push(connect);
    expect(plain(first)).toEqual(plain(reference(connect, 4)));
    const again = createDecoder(4).push(connect);
    expect(again).toBe(first);
    // Equal bytes in another array are parsed, to the same packet.
    const copy = createDecoder(4).push(connect.slice());
    expect(copy).not.toBe(first);
    expect(plain(copy)).toEqual(plain(first));
    // A 5.0 stream does not take the 3.1.1 stream's packet.
    expect(createDecoder(5).push(connect)).not.toBe(first);
    // The same array split over two chunks is framed and parsed as usual.
    const d = createDecoder(4);
    expect(d.push(connect.subarray(0, 5))).toEqual([]);
    expect(plain(d.push(connect.subarray(5)))).toEqual(plain(first));
  });

  it('a malformed CONNECT is refused every time, not remembered', () => {
    const bad = new Uint8Array([0x10, 0x03, 0x00, 0x01, 0x41]);
    expect(() => createDecoder(4).push(bad)).toThrow();
    expect(() => createDecoder(4).push(bad)).toThrow();
  });
});

describe('CONNACKs seen before (the broker sends shared constant arrays)', () => {
  it('the same CONNACK array gives the same packet, equal to mqtt-packet\'s parse', () => {
    const connack = encodeConnack(4, true, 0);
    const first = createDecoder(4).push(connack);
    expect(plain(first)).toEqual(plain(reference(connack, 4)));
    expect(createDecoder(4).push(connack)).toBe(first);
    expect(plain(createDecoder(5).push(encodeConnack(5, false, 0x87)))).toEqual(plain(reference(encodeConnack(5, false, 0x87), 5)));
  });
});

describe('a malformed frame leaves no trace in the shared parsers', () => {
  it('the next stream of the same version parses its packets (the parser dropped the bytes it had buffered)', () => {
    expect(() => createDecoder(4).push(new Uint8Array([0x10, 0x03, 0x00, 0x01, 0x41]))).toThrow(/protocolId/i);
    expect(plain(createDecoder(4).push(encodeConnack(4, false, 0).slice()))).toEqual(plain(reference(encodeConnack(4, false, 0), 4)));
  });
});
