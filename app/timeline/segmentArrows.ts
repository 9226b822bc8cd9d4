/**
 * Arrows for TCP segments: pair each `seg.send` with its `seg.deliver` / `seg.drop` by `id`,
 * and name each data segment after the MQTT packet(s) it carries.
 *
 * Which packet rides in which segment is recovered by byte counting per (node, conn): the
 * `bytes` of each `mqtt.send` are matched in order against the `len` of each new data
 * segment, whichever of the two events comes first in the trace. A retransmission carries
 * no new bytes; it is named after the oldest lost data segment of the same sender and
 * connection (RFC 9293 §3.8.1: the sender retransmits its oldest unacknowledged data).
 *
 * A segment lost on the link (loss, cut, NAT, no route) dies as it leaves, so its cross is
 * drawn a little way along the path it would have taken; a segment that reached a host that
 * is down dies on arrival, so its arrow runs the full way and ends in the cross.
 */
import type { TraceEvent } from '../../sim/index.ts';
import type { Arrow, DropReason } from './layoutTypes.ts';
import type { LaneContext } from './laneContext.ts';

/** How far along the path a segment lost on the link is drawn before its cross. */
export const LINK_DROP_FRACTION = 0.4;
const DEFAULT_LATENCY_MS = 10;

type Ev<K extends TraceEvent['kind']> = Extract<TraceEvent, { kind: K }>;

interface PendingPacket { name: string; left: number; seq: number }
interface PendingSegment { arrow: number; left: number }
interface Stream {
  packets: PendingPacket[];
  segments: PendingSegment[];
  /** Arrows of original data segments that were dropped and not yet resent successfully. */
  lost: number[];
  lastData: number;
}

/** Control label from flags, written either as words ("SYN|ACK") or letters ("SA", "F."). */
export function controlLabel(flags: string): string {
  const upper = flags.toUpperCase();
  const words = new Set(upper.match(/[A-Z]{3}/g) ?? []);
  if (words.size === 0) {
    for (const ch of upper) {
      if (ch === 'S') words.add('SYN');
      else if (ch === 'F') words.add('FIN');
      else if (ch === 'R') words.add('RST');
      else if (ch === 'A' || ch === '.') words.add('ACK');
    }
  }
  if (words.has('RST')) return 'RST';
  if (words.has('SYN')) return words.has('ACK') ? 'SYN-ACK' : 'SYN';
  if (words.has('FIN')) return 'FIN';
  return '';
}

/** Average one-way latency per directed pair "a>b" over delivered segments. */
function latencies(trace: readonly TraceEvent[]): Map<string, number> {
  const sent = new Map<number, Ev<'seg.send'>>();
  const sums = new Map<string, [number, number]>();
  for (const e of trace) {
    if (e.kind === 'seg.send') sent.set(e.id, e);
    else if (e.kind === 'seg.deliver') {
      const s = sent.get(e.id);
      if (!s) continue;
      const key = `${s.node}>${s.peer}`;
      const acc = sums.get(key) ?? [0, 0];
      acc[0] += e.tMs - s.tMs;
      acc[1] += 1;
      sums.set(key, acc);
    }
  }
  const out = new Map<string, number>();
  for (const [key, [sum, n]] of sums) out.set(key, sum / n);
  return out;
}

/** "PUBLISH", "PUBLISH+PINGREQ", "PUBLISH×3" (consecutive repeats counted). */
export function joinPacketNames(names: readonly string[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < names.length) {
    let j = i;
    while (j < names.length && names[j] === names[i]) j++;
    parts.push(j - i > 1 ? `${names[i]}×${j - i}` : (names[i] as string));
    i = j;
  }
  return parts.join('+');
}

export interface ArrowBuilder {
  handle(e: TraceEvent, seq: number): void;
  finish(): Arrow[];
}

export function createArrowBuilder(trace: readonly TraceEvent[], ctx: LaneContext): ArrowBuilder {
  const latency = latencies(trace);
  const arrows: Arrow[] = [];
  const packetNames: string[][] = [];
  const retransmitOf = new Map<number, number>();
  const bySegId = new Map<number, number>();
  const byArrival = new Map<string, number>();
  const streams = new Map<string, Stream>();

  function stream(node: string, conn: string): Stream {
    const key = `${node}|${conn}`;
    let s = streams.get(key);
    if (!s) {
      s = { packets: [], segments: [], lost: [], lastData: -1 };
      streams.set(key, s);
    }
    return s;
  }

  function match(s: Stream): void {
    while (s.packets.length > 0 && s.segments.length > 0) {
      const p = s.packets[0] as PendingPacket;
      const g = s.segments[0] as PendingSegment;
      (packetNames[g.arrow] as string[]).push(p.name);
      (arrows[g.arrow] as Arrow).packetSeqs.push(p.seq);
      // A packet without a byte count is taken to fill the rest of the segment.
      const n = p.left === Infinity ? g.left : Math.min(p.left, g.left);
      p.left = p.left === Infinity ? 0 : p.left - n;
      g.left -= n;
      if (p.left <= 0) s.packets.shift();
      if (g.left <= 0) s.segments.shift();
    }
  }

  function latencyOf(from: string, to: string): number {
    return latency.get(`${from}>${to}`) ?? latency.get(`${to}>${from}`) ?? DEFAULT_LATENCY_MS;
  }

  function onSend(e: Ev<'seg.send'>, seq: number): void {
    const index = arrows.length;
    const fromLane = ctx.laneOf(e.node);
    const toLane = ctx.laneOf(e.peer);
    const data = e.len > 0;
    const retransmit = e.retransmit === true;
    arrows.push({
      index, segId: e.id, sendSeq: seq, endSeq: null, selectSeq: seq,
      from: e.node, to: e.peer, conn: e.conn, fromLane, toLane,
      sendMs: e.tMs, endMs: e.tMs + latencyOf(e.node, e.peer), endLanePos: toLane,
      outcome: 'in-flight', dropReason: null, dropMs: null,
      kind: data ? 'mqtt' : 'control', label: data ? '' : controlLabel(e.flags),
      flags: e.flags, len: e.len, retransmit, packetSeqs: [],
      start: e.tMs, end: e.tMs,
    });
    packetNames.push([]);
    bySegId.set(e.id, index);
    if (!data) return;
    const s = stream(e.node, e.conn);
    if (retransmit) {
      retransmitOf.set(index, s.lost[0] ?? s.lastData);
      return;
    }
    s.lastData = index;
    s.segments.push({ arrow: index, left: e.len });
    match(s);
  }

  function onPacket(e: Ev<'mqtt.send'>, seq: number): void {
    const s = stream(e.node, e.conn);
    const bytes = typeof e.bytes === 'number' && e.bytes > 0 ? e.bytes : Infinity;
    s.packets.push({ name: e.packet, left: bytes, seq });
    match(s);
  }

  function onDeliver(e: Ev<'seg.deliver'>, seq: number): void {
    const index = bySegId.get(e.id);
    if (index === undefined) return;
    const a = arrows[index] as Arrow;
    a.endSeq = seq;
    a.endMs = e.tMs;
    a.endLanePos = a.toLane;
    a.outcome = 'delivered';
    if (a.kind === 'mqtt') {
      byArrival.set(`${a.to}|${a.conn}|${e.tMs}`, index);
      if (a.retransmit) {
        const s = stream(a.from, a.conn);
        if (s.lost[0] === retransmitOf.get(index)) s.lost.shift();
      }
    }
  }

  function onDrop(e: Ev<'seg.drop'>, seq: number): void {
    const index = bySegId.get(e.id);
    if (index === undefined) return;
    const a = arrows[index] as Arrow;
    a.endSeq = seq;
    a.outcome = 'dropped';
    a.dropReason = e.reason as DropReason;
    a.dropMs = e.tMs;
    if (e.reason === 'host-down') {
      a.endMs = e.tMs;
      a.endLanePos = a.toLane;
    } else {
      a.endMs = e.tMs + LINK_DROP_FRACTION * latencyOf(a.from, a.to);
      a.endLanePos = a.fromLane + LINK_DROP_FRACTION * (a.toLane - a.fromLane);
    }
    if (a.kind === 'mqtt' && !a.retransmit) stream(a.from, a.conn).lost.push(index);
  }

  function onRecv(e: Ev<'mqtt.recv'>, seq: number): void {
    const index = byArrival.get(`${e.node}|${e.conn}|${e.tMs}`);
    if (index !== undefined) (arrows[index] as Arrow).packetSeqs.push(seq);
  }

  return {
    handle(e, seq) {
      switch (e.kind) {
        case 'seg.send': onSend(e, seq); break;
        case 'seg.deliver': onDeliver(e, seq); break;
        case 'seg.drop': onDrop(e, seq); break;
        case 'mqtt.send': onPacket(e, seq); break;
        case 'mqtt.recv': onRecv(e, seq); break;
        default: break;
      }
    },
    finish() {
      for (const a of arrows) {
        if (a.kind === 'mqtt') {
          const source = retransmitOf.get(a.index);
          const names = a.retransmit && source !== undefined && source >= 0
            ? (packetNames[source] as string[]) : (packetNames[a.index] as string[]);
          a.label = names.length > 0 ? joinPacketNames(names) : 'data';
        }
        const firstSend = a.packetSeqs[0];
        if (firstSend !== undefined && !a.retransmit) a.selectSeq = firstSend;
        a.start = Math.min(a.sendMs, a.endMs);
        a.end = Math.max(a.sendMs, a.endMs);
      }
      return arrows;
    },
  };
}
