/**
 * Segments in flight at the cursor, for the topology's moving dots (as RaftScope
 * interpolates a message between its send and receive times). Built once per trace: each
 * seg.send paired (by `id`) with its seg.deliver or seg.drop, labelled with the MQTT
 * packets it carries (PINGREQ, CONNECT...), as its `packets` field numbers them. Built with the
 * run (derive.ts) and held in the store (`derived.flights`).
 */
import type { TraceEvent } from '../../sim/index.ts';
import { joinPacketNames } from './segmentArrows.ts';

export interface SegmentFlight {
  id: number; from: string; to: string; sendMs: number; endMs: number;
  sendSeq: number; endSeq: number; dropped: boolean; label: string; retransmit: boolean;
}

export interface FlightIndex { flights: SegmentFlight[]; maxDurationMs: number }

export function buildFlightIndex(trace: readonly TraceEvent[]): FlightIndex {
  const flights: SegmentFlight[] = [];
  const byId = new Map<number, SegmentFlight>();
  /** Each sender's MQTT packets per connection, in order: seg.send `packets` n is entry n - 1. */
  const written = new Map<string, string[]>();
  for (const e of trace) {
    if (e.kind === 'mqtt.send') {
      const key = `${e.node}|${e.conn}`;
      let list = written.get(key);
      if (list === undefined) written.set(key, list = []);
      list.push(e.packet);
    } else if (e.kind === 'seg.send') {
      const stream = written.get(`${e.node}|${e.conn}`) ?? [];
      const names = (e.packets ?? []).map((n) => stream[n - 1]).filter((p) => p !== undefined);
      let label = e.len > 0 && names.length > 0 ? joinPacketNames(names) : e.flags;
      if (e.retransmit) label = `${label} (re)`;
      const f: SegmentFlight = {
        id: e.id, from: e.node, to: e.peer, sendMs: e.tMs, endMs: Infinity, sendSeq: e.seq,
        endSeq: Number.MAX_SAFE_INTEGER, dropped: false, label, retransmit: e.retransmit === true,
      };
      flights.push(f);
      byId.set(e.id, f);
    } else if (e.kind === 'seg.deliver' || e.kind === 'seg.drop') {
      const f = byId.get(e.id);
      if (f) { f.endMs = e.tMs; f.endSeq = e.seq; f.dropped = e.kind === 'seg.drop'; byId.delete(e.id); }
    }
  }
  let maxDurationMs = 0;
  for (const f of flights) if (Number.isFinite(f.endMs)) maxDurationMs = Math.max(maxDurationMs, f.endMs - f.sendMs);
  return { flights, maxDurationMs };
}

/** Segments sent at or before the cursor and not yet delivered or dropped, at most `limit`. */
export function inFlightAt(
  index: FlightIndex, cursorSeq: number, cursorMs: number, limit = 60,
): SegmentFlight[] {
  const { flights, maxDurationMs } = index;
  // flights are in send order; binary search the first one that could still be in flight.
  const from = cursorMs - maxDurationMs;
  let lo = 0;
  let hi = flights.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (flights[mid]!.sendMs < from) lo = mid + 1; else hi = mid; }
  const out: SegmentFlight[] = [];
  for (let i = lo; i < flights.length && out.length < limit; i++) {
    const f = flights[i]!;
    if (f.sendSeq > cursorSeq) break;
    if (f.endSeq > cursorSeq) out.push(f);
  }
  return out;
}
