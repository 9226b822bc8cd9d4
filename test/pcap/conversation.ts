/**
 * Test helper: hand-built TCP conversations (WireSegment arrays) with consistent sequence and
 * acknowledgment numbers, carrying MQTT bytes from mqtt-packet. Lets the capture writer be
 * checked against tshark without the simulator's network.
 */
import mqttPacket from 'mqtt-packet';
import type { WireSegment } from '../../sim/net/api.ts';

export const FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10;

export type Side = 'client' | 'broker';
type Fate = WireSegment['fate'];

/** Bytes of one MQTT packet (object as mqtt-packet takes it). */
export function mqttBytes(packet: Record<string, unknown>, protocolVersion: 4 | 5 = 4): Uint8Array {
  return new Uint8Array(mqttPacket.generate(packet as unknown as mqttPacket.Packet, { protocolVersion }));
}

export class Conversation {
  readonly segments: WireSegment[] = [];
  /** Next sequence number each side sends; what the other side acknowledges once received. */
  private next: Record<Side, number>;
  private rcvNext: Record<Side, number> = { client: 0, broker: 0 };

  constructor(
    readonly conn: string, readonly client: string, readonly broker: string,
    readonly clientPort: number, clientIsn: number, private brokerIsn: number,
  ) {
    this.next = { client: clientIsn, broker: brokerIsn };
  }

  private other(side: Side): Side { return side === 'client' ? 'broker' : 'client'; }

  private push(side: Side, tUs: number, flags: number, payload: Uint8Array, seq: number,
    fate: Fate, retransmit: boolean): WireSegment {
    const c = side === 'client';
    const seg: WireSegment = {
      tUs, conn: this.conn,
      src: c ? this.client : this.broker, dst: c ? this.broker : this.client,
      srcPort: c ? this.clientPort : 1883, dstPort: c ? 1883 : this.clientPort,
      seq: seq >>> 0, ack: (flags & ACK) !== 0 ? this.rcvNext[side] >>> 0 : 0,
      flags, window: 64240, payload, fate, retransmit,
    };
    this.segments.push(seg);
    return seg;
  }

  /** Three-way handshake at t, t+d, t+2d. */
  handshake(tUs: number, d: number): void {
    this.push('client', tUs, SYN, new Uint8Array(0), this.next.client, 'delivered', false);
    this.next.client += 1;
    this.rcvNext.broker = this.next.client;
    this.push('broker', tUs + d, SYN | ACK, new Uint8Array(0), this.brokerIsn, 'delivered', false);
    this.next.broker += 1;
    this.rcvNext.client = this.next.broker;
    this.push('client', tUs + 2 * d, ACK, new Uint8Array(0), this.next.client, 'delivered', false);
  }

  /** A data segment; when delivered, the receiver's next ACK covers it. */
  data(side: Side, tUs: number, bytes: Uint8Array, fate: Fate = 'delivered'): WireSegment {
    const seg = this.push(side, tUs, PSH | ACK, bytes, this.next[side], fate, false);
    this.next[side] += bytes.length;
    if (fate === 'delivered') this.rcvNext[this.other(side)] = this.next[side];
    return seg;
  }

  /** Resend an earlier segment of this conversation (same seq and bytes). */
  retransmit(of: WireSegment, tUs: number, fate: Fate = 'delivered'): void {
    const side: Side = of.src === this.client ? 'client' : 'broker';
    this.push(side, tUs, of.flags, of.payload, of.seq, fate, true);
    const end = of.seq + of.payload.length + ((of.flags & (SYN | FIN)) !== 0 ? 1 : 0);
    if (fate === 'delivered') this.rcvNext[this.other(side)] = end;
  }

  ack(side: Side, tUs: number, fate: Fate = 'delivered'): void {
    this.push(side, tUs, ACK, new Uint8Array(0), this.next[side], fate, false);
  }

  fin(side: Side, tUs: number, fate: Fate = 'delivered'): void {
    this.push(side, tUs, FIN | ACK, new Uint8Array(0), this.next[side], fate, false);
    this.next[side] += 1;
    if (fate === 'delivered') this.rcvNext[this.other(side)] = this.next[side];
  }

  /** RST|ACK from a side that still has the connection. */
  rst(side: Side, tUs: number, fate: Fate = 'delivered'): void {
    this.push(side, tUs, RST | ACK, new Uint8Array(0), this.next[side], fate, false);
  }

  /**
   * RST from a side that lost all state, answering `to` (RFC 9293 §3.10.7.1: an incoming
   * segment with ACK gets <SEQ=SEG.ACK><CTL=RST>, no ACK flag).
   */
  rstReply(to: WireSegment, tUs: number): void {
    const side: Side = to.src === this.client ? 'broker' : 'client';
    this.push(side, tUs, RST, new Uint8Array(0), to.ack, 'delivered', false);
  }
}
