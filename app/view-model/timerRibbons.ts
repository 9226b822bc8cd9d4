/**
 * Timer ribbons: one bar per armed timer, from its `timer.set` to the event that ended it
 * (timers are named slots: setting one overwrites the slot, style.md lesson 6).
 *
 * Timers a node keeps about a client connection (the broker's keep-alive deadline
 * [MQTT-3.1.2-24], the Will Delay of MQTT 5 §3.1.3.2.2, the broker's TCP retransmissions)
 * are drawn in that client's lane, next to the connection they watch (see laneContext.ts).
 */
import type { TimerName, WorldHistory } from '../../sim/index.ts';
import { TIMERS } from '../../sim/index.ts';
import type { Ribbon } from './layoutTypes.ts';
import type { LaneContext } from './laneContext.ts';

/** Timers left out: they fire constantly and tell nothing about keep-alive or Wills. */
export const HIDDEN_TIMERS: ReadonlySet<TimerName> = new Set<TimerName>(['client.publish', 'tcp.time-wait']);

/**
 * One ribbon per armed timer of sim/world's history (sim/world/history.ts): it ends where the
 * trace ends it (timer.fire, timer.clear, or a timer.set that re-arms the slot or `replaces` it), so a host
 * that loses power or a crashed process needs no rule here: the trace clears what it forgot.
 */
export function ribbonsFromHistory(h: WorldHistory, ctx: LaneContext): Ribbon[] {
  const laneFor = (t: WorldHistory['timers'][number]): number => {
    if (t.node !== ctx.broker) return ctx.laneOf(t.node);
    if (t.conn !== null) return ctx.laneForConn(t.conn, t.node);
    if (t.clientId !== null) return ctx.laneForClientId(t.clientId, t.node);
    return ctx.laneOf(t.node);
  };
  const ribbons: Ribbon[] = [];
  for (const t of h.timers) {
    if (HIDDEN_TIMERS.has(t.timer)) continue;
    ribbons.push({
      index: ribbons.length, node: t.node, timer: t.timer, label: TIMERS[t.timer]?.label ?? t.timer,
      lane: laneFor(t), row: -1, setSeq: t.setSeq, setMs: t.setMs, dueMs: t.dueMs, endMs: t.endMs,
      endSeq: t.endSeq, outcome: t.outcome, conn: t.conn, clientId: t.clientId, keepAliveSeconds: t.keepAliveSeconds,
      start: t.setMs, end: Math.max(t.setMs, t.endMs),
    });
  }
  return ribbons;
}
