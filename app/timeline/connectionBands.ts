/**
 * Bands: each end's belief that a TCP connection is open, from its `conn.open` to its
 * `conn.closed` (CONTRACT.md §3: "the node's side of the connection is gone, as that node
 * sees it"). A host that loses power forgets its connections at once, so its bands end
 * there even if the trace has no `conn.closed` for it (behaviour.md: power-off loses all TCP
 * state). A crash is different: the process dies but the kernel closes its sockets (FIN) and
 * keeps their TCP state, so the bands follow the trace's `conn.closed` events.
 *
 * Half-open (RFC 9293 §3.5.1, "half-open connections and other anomalies"): one end has
 * closed or forgotten the connection while the other still believes it is open. We record
 * the interval from the first end's close to the second end's close. The few round trips
 * of an orderly FIN exchange also leave the ends briefly out of step; intervals shorter
 * than `minHalfOpenMs` are that and not a half-open connection, so they are left out.
 */
import type { TraceEvent } from '../../sim/index.ts';
import type { Band, BandCause, HalfOpen } from './layoutTypes.ts';
import type { LaneContext } from './laneContext.ts';

export interface BandBuilder {
  handle(e: TraceEvent, seq: number): void;
  finish(endMs: number, minHalfOpenMs: number): { bands: Band[]; halfOpen: HalfOpen[] };
}

export function createBandBuilder(ctx: LaneContext): BandBuilder {
  const bands: Band[] = [];
  const halfOpen: HalfOpen[] = [];
  const open = new Map<string, number>();
  const openHalf = new Map<string, number>();

  function close(node: string, conn: string, tMs: number, seq: number, cause: BandCause): void {
    const key = `${node}|${conn}`;
    const index = open.get(key);
    if (index === undefined) return;
    open.delete(key);
    const band = bands[index] as Band;
    band.toMs = tMs;
    band.end = tMs;
    band.closeSeq = seq;
    band.cause = cause;
    const half = openHalf.get(conn);
    if (half !== undefined) {
      const h = halfOpen[half] as HalfOpen;
      h.toMs = tMs;
      h.end = tMs;
      h.toSeq = seq;
      openHalf.delete(conn);
      return;
    }
    const other = open.get(`${band.peer}|${conn}`);
    if (other === undefined) return;
    openHalf.set(conn, halfOpen.length);
    halfOpen.push({
      index: halfOpen.length, conn, lane: band.lane, closedRow: -1, openRow: -1,
      openNode: band.peer, closedNode: node, closedBand: index, openBand: other,
      fromMs: tMs, toMs: tMs, fromSeq: seq, toSeq: null, start: tMs, end: tMs,
    });
  }

  function hostDown(node: string, tMs: number, seq: number, cause: BandCause): void {
    for (const key of [...open.keys()]) {
      if (key.startsWith(`${node}|`)) close(node, key.slice(node.length + 1), tMs, seq, cause);
    }
  }

  return {
    handle(e, seq) {
      switch (e.kind) {
        case 'conn.open': {
          const key = `${e.node}|${e.conn}`;
          if (open.has(key)) return;
          open.set(key, bands.length);
          bands.push({
            index: bands.length, conn: e.conn, node: e.node, peer: e.peer,
            lane: ctx.laneForConn(e.conn, e.node), row: -1,
            fromMs: e.tMs, toMs: e.tMs, openSeq: seq, closeSeq: null, cause: null,
            start: e.tMs, end: e.tMs,
          });
          return;
        }
        case 'conn.closed':
          close(e.node, e.conn, e.tMs, seq, e.cause);
          return;
        case 'host.state':
          if (e.state === 'off') hostDown(e.node, e.tMs, seq, 'power-off');
          return;
        case 'action':
          if (e.do === 'power-off' && typeof e.node === 'string') hostDown(e.node, e.tMs, seq, 'power-off');
          return;
        default:
          return;
      }
    },
    finish(endMs, minHalfOpenMs) {
      for (const index of open.values()) {
        const band = bands[index] as Band;
        band.toMs = endMs;
        band.end = endMs;
      }
      for (const index of openHalf.values()) {
        const h = halfOpen[index] as HalfOpen;
        h.toMs = endMs;
        h.end = endMs;
      }
      const kept = halfOpen.filter((h) => h.toMs - h.fromMs >= minHalfOpenMs);
      kept.forEach((h, i) => { h.index = i; });
      return { bands, halfOpen: kept };
    },
  };
}
