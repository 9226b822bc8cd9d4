/**
 * Arrows for TCP segments: pair each `seg.send` with its `seg.deliver` / `seg.drop` by `id`,
 * and name each data segment after the MQTT packet(s) it carries.
 *
 * Which packets ride in a segment, the trace says: seg.send `packets` numbers them by their
 * place among the sender's mqtt.send events on that connection (a retransmission names the
 * packets whose bytes it resends).
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

/** A link's one-way latency as the resolved scenario sets it (set-link actions change it). */
export interface LinkLatency { between: readonly [string, string]; latencyMs: number }

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

export function createArrowBuilder(ctx: LaneContext, links: readonly LinkLatency[] = []): ArrowBuilder {
  const latency = new Map<string, number>();
  for (const l of links) latency.set([...l.between].sort().join('|'), l.latencyMs);
  const arrows: Arrow[] = [];
  const bySegId = new Map<number, number>();
  const byArrival = new Map<string, number>();
  /** Each sender's mqtt.send events per connection, in order: packet n is entry n - 1. */
  const written = new Map<string, { name: string; seq: number }[]>();

  /**
   * Latency in effect between two nodes; without a scenario (hand-written test traces) the
   * default. Only used to draw segments whose end the trace does not give: still in flight at
   * the end of the run, or lost on the link.
   */
  function latencyOf(from: string, to: string): number {
    return latency.get([from, to].sort().join('|')) ?? DEFAULT_LATENCY_MS;
  }

  function onSend(e: Ev<'seg.send'>, seq: number): void {
    const index = arrows.length;
    const fromLane = ctx.laneOf(e.node);
    const toLane = ctx.laneOf(e.peer);
    const data = e.len > 0;
    const retransmit = e.retransmit === true;
    // seg.send names the packets it carries (their place in the sender's stream).
    const stream = written.get(`${e.node}|${e.conn}`) ?? [];
    const carried = (e.packets ?? []).map((n) => stream[n - 1]).filter((p) => p !== undefined);
    arrows.push({
      index, segId: e.id, sendSeq: seq, endSeq: null, selectSeq: !retransmit && carried[0] ? carried[0].seq : seq,
      from: e.node, to: e.peer, conn: e.conn, fromLane, toLane,
      sendMs: e.tMs, endMs: e.tMs + latencyOf(e.node, e.peer), endLanePos: toLane,
      outcome: 'in-flight', dropReason: null, dropMs: null,
      kind: data ? 'mqtt' : 'control',
      label: data ? (carried.length > 0 ? joinPacketNames(carried.map((p) => p.name)) : 'data') : controlLabel(e.flags),
      flags: e.flags, len: e.len, retransmit, packetSeqs: carried.map((p) => p.seq),
      start: e.tMs, end: e.tMs,
    });
    bySegId.set(e.id, index);
  }

  function onPacket(e: Ev<'mqtt.send'>, seq: number): void {
    const key = `${e.node}|${e.conn}`;
    let list = written.get(key);
    if (list === undefined) written.set(key, list = []);
    list.push({ name: e.packet, seq });
  }

  function onAction(e: Ev<'action'>): void {
    if (e.do === 'set-link' && e.link !== undefined && e.latencyMs !== undefined) {
      latency.set([...e.link].sort().join('|'), e.latencyMs);
    }
  }

  function onDeliver(e: Ev<'seg.deliver'>, seq: number): void {
    const index = bySegId.get(e.id);
    if (index === undefined) return;
    const a = arrows[index] as Arrow;
    a.endSeq = seq;
    a.endMs = e.tMs;
    a.endLanePos = a.toLane;
    a.outcome = 'delivered';
    if (a.kind === 'mqtt') byArrival.set(`${a.to}|${a.conn}|${e.tMs}`, index);
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
        case 'action': onAction(e); break;
        default: break;
      }
    },
    finish() {
      for (const a of arrows) {
        a.start = Math.min(a.sendMs, a.endMs);
        a.end = Math.max(a.sendMs, a.endMs);
      }
      return arrows;
    },
  };
}
