/**
 * Bands: each end's belief that a TCP connection is open, from its `conn.open` to its
 * `conn.closed` (CONTRACT.md §3: "the node's side of the connection is gone, as that node
 * sees it"), and the half-open intervals, both as sim/world's history states them
 * (sim/world/history.ts): a socket that vanished with its host's power says so
 * (`host: "off"`), and a connection is half-open while one end believes it is open, the other
 * does not, and no FIN or RST is on its way (RFC 9293 §3.5.1). Nothing here knows a TCP rule;
 * this file only places the intervals in lanes. A disagreement that lasts no virtual time
 * (the instant between a close and its FIN going out) is not drawn.
 */
import type { WorldHistory } from '../../sim/index.ts';
import type { Band, HalfOpen } from './layoutTypes.ts';
import type { LaneContext } from './laneContext.ts';

export function bandsFromHistory(h: WorldHistory, ctx: LaneContext): { bands: Band[]; halfOpen: HalfOpen[] } {
  const bands: Band[] = [];
  const bandOf = new Map<string, number>();
  for (const e of h.connEnds) {
    const index = bands.length;
    bandOf.set(`${e.node}|${e.conn}`, index);
    bands.push({
      index, conn: e.conn, node: e.node, peer: e.peer, lane: ctx.laneForConn(e.conn, e.node), row: -1,
      fromMs: e.openMs, toMs: e.closeMs, openSeq: e.openSeq, closeSeq: e.closeSeq,
      cause: e.hostOff ? 'power-off' : e.cause, start: e.openMs, end: e.closeMs,
    });
  }
  const halfOpen: HalfOpen[] = [];
  for (const x of h.halfOpen) {
    if (x.toMs <= x.fromMs) continue;
    const openBand = bandOf.get(`${x.believer}|${x.conn}`);
    const closedBand = bandOf.get(`${x.closed}|${x.conn}`);
    if (openBand === undefined || closedBand === undefined) continue;
    halfOpen.push({
      index: halfOpen.length, conn: x.conn, lane: bands[closedBand]!.lane, closedRow: -1, openRow: -1,
      openNode: x.believer, closedNode: x.closed, closedBand, openBand,
      fromMs: x.fromMs, toMs: x.toMs, fromSeq: x.fromSeq, toSeq: x.toSeq, start: x.fromMs, end: x.toMs,
    });
  }
  return { bands, halfOpen };
}
