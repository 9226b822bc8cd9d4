/**
 * Segments in flight at the cursor, for the topology's moving dots (as RaftScope
 * interpolates a message between its send and receive times). Built once per trace: each
 * seg.send paired (by `id`) with its seg.deliver or seg.drop, labelled with the MQTT
 * packets written on that connection just before it (PINGREQ, CONNECT...). Built with the
 * run (derive.ts) and held in the store (`derived.flights`).
 */
import type { TraceEvent } from '../../sim/index.ts';

export interface SegmentFlight {
  id: number; from: string; to: string; sendMs: number; endMs: number;
  sendSeq: number; endSeq: number; dropped: boolean; label: string; retransmit: boolean;
}

export interface FlightIndex { flights: SegmentFlight[]; maxDurationMs: number }

export function buildFlightIndex(trace: readonly TraceEvent[]): FlightIndex {
  const flights: SegmentFlight[] = [];
  const byId = new Map<number, SegmentFlight>();
  const pending = new Map<string, string[]>();
  for (const e of trace) {
    if (e.kind === 'mqtt.send') {
      const key = `${e.node}|${e.conn}`;
      const list = pending.get(key) ?? [];
      list.push(e.packet);
      pending.set(key, list);
    } else if (e.kind === 'seg.send') {
      const key = `${e.node}|${e.conn}`;
      let label = e.flags;
      if (e.len > 0 && !e.retransmit) {
        const names = pending.get(key);
        if (names && names.length > 0) { label = names.join('+'); pending.delete(key); }
      }
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
