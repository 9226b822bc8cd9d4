/**
 * A tiny hand-writing kit for traces: events are added with their time, in any order, and
 * `build()` sorts them by time (stable) and numbers them, as the simulator would.
 * Segments get a send plus a delivery or a drop after the link latency.
 */
import type { TraceEvent } from '../../../sim/index.ts';

type Fields = Record<string, unknown>;

export class TraceBuilder {
  private events: Array<{ tMs: number; order: number; kind: string; fields: Fields }> = [];
  private nextSegId = 1;
  constructor(readonly latencyMs = 10) {}

  add(tMs: number, kind: string, fields: Fields = {}): this {
    this.events.push({ tMs, order: this.events.length, kind, fields });
    return this;
  }

  /** A segment from `node` to `peer`; `drop` makes it die (on the link, or on arrival for host-down). */
  seg(tMs: number, node: string, peer: string, conn: string, flags: string, len: number,
    opts: { drop?: 'loss' | 'cut' | 'nat' | 'host-down'; retransmit?: boolean; packets?: number[] | 'last'; resendOf?: number } = {}): number {
    const id = this.nextSegId++;
    // `packets: 'last'`: the sender's latest mqtt.send on conn; `resendOf`: the packets of that
    // segment (both resolved in build(), in time order, as the simulator numbers them).
    const packets = opts.resendOf !== undefined ? { resendOf: opts.resendOf } : opts.packets ? { packets: opts.packets } : {};
    this.add(tMs, 'seg.send', { id, node, peer, conn, flags, tcpSeq: 0, ack: 0, len,
      ...(opts.retransmit ? { retransmit: true } : {}), ...packets });
    if (opts.drop === undefined) this.add(tMs + this.latencyMs, 'seg.deliver', { id, node: peer, peer: node, conn });
    else {
      const at = opts.drop === 'host-down' ? tMs + this.latencyMs : tMs;
      this.add(at, 'seg.drop', { id, node, peer, conn, reason: opts.drop });
    }
    return id;
  }

  /** An MQTT packet in one data segment, received a latency later (unless dropped). */
  packet(tMs: number, node: string, peer: string, conn: string, packet: string, bytes: number,
    extra: Fields = {}, drop?: 'loss' | 'cut' | 'nat' | 'host-down'): number {
    this.add(tMs, 'mqtt.send', { node, peer, conn, packet, ...extra, bytes });
    const id = this.seg(tMs, node, peer, conn, 'PSH,ACK', bytes, { packets: 'last', ...(drop ? { drop } : {}) });
    if (drop === undefined) {
      this.add(tMs + this.latencyMs, 'mqtt.recv', { node: peer, peer: node, conn, packet, ...extra, bytes });
      this.seg(tMs + this.latencyMs, peer, node, conn, 'ACK', 0);
    }
    return id;
  }

  /** SYN, SYN-ACK, ACK; `conn.open` at the client after SYN-ACK, at the server after ACK. */
  handshake(tMs: number, client: string, server: string, conn: string): number {
    const l = this.latencyMs;
    this.seg(tMs, client, server, conn, 'SYN', 0);
    this.seg(tMs + l, server, client, conn, 'SYN,ACK', 0);
    this.add(tMs + 2 * l, 'conn.open', { node: client, peer: server, conn });
    this.seg(tMs + 2 * l, client, server, conn, 'ACK', 0);
    this.add(tMs + 3 * l, 'conn.open', { node: server, peer: client, conn });
    return tMs + 3 * l;
  }

  build(): TraceEvent[] {
    const sorted = [...this.events].sort((a, b) => a.tMs - b.tMs || a.order - b.order);
    const written = new Map<string, number>();
    const packetsOf = new Map<unknown, unknown>();
    for (const e of sorted) {
      const f = e.fields;
      const key = `${String(f['node'])}|${String(f['conn'])}`;
      if (e.kind === 'mqtt.send') written.set(key, (written.get(key) ?? 0) + 1);
      if (e.kind !== 'seg.send') continue;
      if (f['packets'] === 'last') f['packets'] = [written.get(key) ?? 0];
      if (f['resendOf'] !== undefined) {
        const { resendOf, ...rest } = f;
        e.fields = { ...rest, ...(packetsOf.has(resendOf) ? { packets: packetsOf.get(resendOf) } : {}) };
      }
      if (e.fields['packets'] !== undefined) packetsOf.set(e.fields['id'], e.fields['packets']);
    }
    return sorted.map((e, seq) => ({ seq, tMs: e.tMs, kind: e.kind, ...e.fields }) as unknown as TraceEvent);
  }
}
