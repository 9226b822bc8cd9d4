/**
 * Capture export over the simulator's real network and TCP (sim/net/network.ts), driven by
 * a tiny MQTT echo broker and scripted clients written here, so the segments are exactly
 * what the TCP model puts on the wire: handshakes, MSS segmentation of a 3000-byte PUBLISH,
 * random loss with retransmissions, a cut link, a NAT that forgot an idle flow, a powered-off
 * host and its RST after power-on, FIN closes.
 *
 * Checks with tshark: every frame decodes, checksums validate, timestamps are the virtual
 * times, no expert-info errors, the drop kinds are commented, every retransmission the
 * simulator marked is one Wireshark recognises, and every MQTT packet written to a socket
 * and put on the wire is dissected with the right type, in order, per connection direction.
 */
import { describe, it, expect } from 'vitest';
import { createEngine } from '../../sim/engine/engine.ts';
import { createNetwork } from '../../sim/net/network.ts';
import { createDecoder, encode, type Packet } from '../../sim/mqtt/codec.ts';
import type { SocketHandlers, TcpSocket, WireSegment } from '../../sim/net/api.ts';
import type { ResolvedLink } from '../../sim/scenario/types.ts';
import { writeCapture, type CaptureAnnotation } from '../../sim/pcap/capture.ts';
import { bytesOnWire, expectGoodFrames } from './frame-checks.ts';
import { tsharkAvailable, writeTemp, fields, MSGTYPE } from './tshark.ts';

const haveTshark = tsharkAvailable();
const ci = process.env['CI'] === 'true';
const S = 1_000_000;
if (!haveTshark && !ci) console.warn(`\n*** WARNING: tshark is not installed: ${import.meta.url.split('/').pop()} is SKIPPED (apt-get install -y tshark).\n`);

function link(a: string, b: string, extra: Partial<ResolvedLink> = {}): ResolvedLink {
  return { between: [a, b], latencyMs: 10, jitterMs: 0, loss: 0, natIdleTimeoutMs: null, ...extra };
}

interface Run {
  wire: WireSegment[]; addresses: Record<string, [number, number, number, number]>; annotations: CaptureAnnotation[];
  written: Map<string, number[]>;
  /** Stream offset (bytes) after each written packet, per "conn node". */
  ends: Map<string, number[]>;
}

function simulate(): Run {
  const engine = createEngine({ seed: 11, onEvent: () => {} });
  const nodes = ['broker', 'sensor', 'phone', 'cam'];
  const net = createNetwork(engine, {
    nodes,
    links: [link('sensor', 'broker'), link('phone', 'broker', { latencyMs: 30, loss: 0.3 }),
      link('cam', 'broker', { natIdleTimeoutMs: 3000 })],
  });
  const wire: WireSegment[] = [];
  net.onWire((s) => wire.push(s));
  const annotations: CaptureAnnotation[] = [];
  /** MQTT types written to each socket, keyed "conn node". */
  const written = new Map<string, number[]>();
  const ends = new Map<string, number[]>();
  const send = (sock: TcpSocket, p: Packet, v: 4 | 5): void => {
    const key = `${sock.conn} ${sock.node}`;
    const bytes = encode(p, v);
    written.set(key, [...(written.get(key) ?? []), MSGTYPE[p.cmd.toUpperCase()] as number]);
    const e = ends.get(key) ?? [];
    ends.set(key, [...e, (e.at(-1) ?? 0) + bytes.length]);
    sock.write(bytes);
  };
  const at = (tUs: number, fn: () => void): void => engine.schedule(tUs, fn);
  const fault = (tUs: number, text: string, fn: () => void): void => at(tUs, () => { annotations.push({ tUs, text }); fn(); });

  // Broker: answers CONNECT, PUBLISH QoS 1 and PINGREQ; keeps the phone's socket.
  const brokerSockets = new Map<string, TcpSocket>();
  net.host('broker').listen(1883, (sock) => {
    const dec = createDecoder(4);
    let v: 4 | 5 = 4;
    brokerSockets.set(sock.peer, sock);
    sock.setHandlers({
      onOpen() {},
      onData(bytes) {
        for (const p of dec.push(bytes)) {
          if (p.cmd === 'connect') { v = p.protocolVersion === 5 ? 5 : 4; dec.version = v; send(sock, v === 5 ? { cmd: 'connack', reasonCode: 0, sessionPresent: false } : { cmd: 'connack', returnCode: 0, sessionPresent: false }, v); }
          if (p.cmd === 'publish' && p.qos === 1) send(sock, { cmd: 'puback', messageId: p.messageId ?? 0 }, v);
          if (p.cmd === 'pingreq') send(sock, { cmd: 'pingresp' }, v);
          if (p.cmd === 'disconnect') sock.close();
        }
      },
      onClose() {},
    });
  });

  const client = (node: string, v: 4 | 5, atUs: number): { sock: () => TcpSocket } => {
    let sock: TcpSocket | null = null;
    const handlers: SocketHandlers = {
      onOpen() { send(sock!, { cmd: 'connect', protocolId: 'MQTT', protocolVersion: v, clean: true, clientId: node, keepalive: 30 }, v); },
      onData() {},
      onClose() {},
    };
    at(atUs, () => { sock = net.host(node).connect('broker', 1883, handlers); });
    return { sock: () => sock! };
  };
  const sensor = client('sensor', 4, 0);
  const phone = client('phone', 5, 100_000);
  const cam = client('cam', 4, 200_000);

  at(1 * S, () => send(sensor.sock(), { cmd: 'publish', topic: 'big', payload: Buffer.alloc(3000, 0x61), qos: 1, messageId: 1, retain: false, dup: false }, 4));
  for (let i = 1; i <= 10; i++) at(i * S + 500_000, () => send(phone.sock(), { cmd: 'pingreq' }, 5));
  fault(5 * S, 'action: cut sensor<->broker', () => net.cut('sensor', 'broker', 'both'));
  at(5 * S + 500_000, () => send(sensor.sock(), { cmd: 'pingreq' }, 4));
  fault(8 * S, 'action: heal sensor<->broker', () => net.heal('sensor', 'broker', 'both'));
  at(9 * S, () => send(cam.sock(), { cmd: 'pingreq' }, 4)); // the NAT forgot the idle flow
  fault(12 * S, 'action: power-off phone', () => net.powerOff('phone'));
  at(12 * S + 500_000, () => send(brokerSockets.get('phone')!, { cmd: 'publish', topic: 'cmd', payload: Buffer.from('ring'), qos: 1, messageId: 9, retain: false, dup: false }, 5));
  fault(15 * S, 'action: power-on phone', () => net.powerOn('phone'));
  at(20 * S, () => { send(sensor.sock(), { cmd: 'disconnect' }, 4); sensor.sock().close(); });
  engine.runUntil(30 * S);

  const addresses: Run['addresses'] = {};
  for (const n of nodes) addresses[n] = net.address(n);
  return { wire, addresses, annotations, written, ends };
}

describe.skipIf(!haveTshark && !ci)('capture of the TCP model, read by tshark', () => {
  it('has tshark installed (required in CI)', () => {
    expect(haveTshark, 'tshark is missing; CI must install it').toBe(true);
  });
  if (!haveTshark) return;

  const run = simulate();
  const sorted = run.wire.slice().sort((a, b) => a.tUs - b.tUs);
  const path = writeTemp('network.pcapng', writeCapture(run.wire, run.addresses, run.annotations));
  const rows = fields(path, ['frame.time_epoch', 'frame.protocols', 'ip.checksum.status', 'tcp.checksum.status',
    'mqtt.msgtype', '_ws.expert.severity', 'frame.comment', 'tcp.analysis.retransmission',
    'tcp.analysis.fast_retransmission', 'tcp.analysis.spurious_retransmission', 'ip.src', 'ip.id']);

  it('exercises every kind of drop the network records', () => {
    const fates = new Set(run.wire.map((g) => g.fate));
    for (const f of ['delivered', 'loss', 'cut', 'nat', 'host-down'] as const) expect(fates, f).toContain(f);
    expect(run.wire.some((g) => g.retransmit)).toBe(true);
    expect(run.wire.some((g) => (g.flags & 0x04) !== 0)).toBe(true); // the rebooted phone's RST
    expect(run.wire.some((g) => g.payload.length === 1460)).toBe(true); // MSS-sized segment
  });

  it('decodes every frame with good checksums, virtual timestamps and no expert errors', () => {
    expectGoodFrames(rows, sorted, 'network');
  });

  it('numbers IPv4 datagrams 1, 2, 3 … per sending host', () => {
    const bySrc = new Map<string, number[]>();
    for (const r of rows) bySrc.set(r[10] as string, [...(bySrc.get(r[10] as string) ?? []), Number(r[11])]);
    for (const [src, ids] of bySrc) expect(ids, src).toEqual(ids.map((_, i) => i + 1));
  });

  it('comments drops and retransmissions, and Wireshark agrees on the retransmissions', () => {
    rows.forEach((r, i) => {
      const g = sorted[i] as WireSegment;
      const c = r[6] ?? '';
      if (g.fate === 'loss') expect(c).toContain('dropped: lost on link');
      if (g.fate === 'cut') expect(c).toContain('dropped: link cut');
      if (g.fate === 'nat') expect(c).toContain('dropped: NAT forgot the flow');
      if (g.fate === 'host-down') expect(c).toContain('dropped: host powered off');
      if (g.retransmit) {
        expect(c).toContain('retransmission');
        // Wireshark's own analysis labels it (SYN retransmissions too).
        expect(r[7] !== '' || r[8] !== '' || r[9] !== '', `frame ${i + 1}: not seen as a retransmission`).toBe(true);
      }
    });
    const all = rows.map((r) => r[6]).join('|');
    for (const t of ['action: cut sensor<->broker', 'action: power-off phone', 'action: power-on phone']) expect(all).toContain(t);
  });

  it('dissects every MQTT packet put on the wire with its type, in order, per direction', () => {
    const seen = new Map<string, number[]>();
    rows.forEach((r, i) => {
      const g = sorted[i] as WireSegment;
      if (r[4] === '' || r[4] === undefined) return;
      const key = `${g.conn} ${g.src}`;
      seen.set(key, [...(seen.get(key) ?? []), ...r[4].split('|').map(Number)]);
    });
    // Every packet whose bytes reached the wire; a packet written while the sender was in loss
    // recovery (cwnd 1, its head unacknowledged) may never leave the send queue.
    const onWire = bytesOnWire(sorted);
    const expected = new Map<string, number[]>();
    for (const [key, types] of run.written) {
      const kept = types.filter((_, i) => run.ends.get(key)![i]! <= (onWire.get(key) ?? 0));
      if (kept.length > 0) expected.set(key, kept);
    }
    expect(Object.fromEntries(seen)).toEqual(Object.fromEntries(expected));
    // Not every packet waited: the queue holds only what followed a loss.
    expect([...expected.values()].flat().length).toBeGreaterThan([...run.written.values()].flat().length - 5);
    // The 3000-byte PUBLISH spans three segments and is reassembled into one message:
    // Remaining Length = 2 + 3 (topic "big") + 2 (packet id) + 3000 = 3007.
    expect(fields(path, ['mqtt.len'], 'mqtt.msgtype == 3 && mqtt.topic == "big"').map((r) => r[0])).toEqual(['3007']);
  });
});
