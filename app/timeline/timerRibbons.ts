/**
 * Timer ribbons: one bar per armed timer, from its `timer.set` to its `timer.fire`, or to the
 * moment it was cleared or re-armed (timers are named slots: setting one overwrites the
 * slot, style.md lesson 6). The trace ends every timer a power-off or crash forgets with a
 * `timer.clear`, and every clear or fire names exactly the fields of its set.
 *
 * Timers a node keeps about a client connection (the broker's keep-alive deadline
 * [MQTT-3.1.2-24], the Will Delay of MQTT 5 §3.1.3.2.2, the broker's TCP retransmissions)
 * are drawn in that client's lane, next to the connection they watch (see laneContext.ts).
 */
import type { TimerName, TraceEvent } from '../../sim/index.ts';
import { TIMER_LABELS } from '../model/timerLabels.ts';

export { TIMER_LABELS };
import type { Ribbon } from './layoutTypes.ts';
import type { LaneContext } from './laneContext.ts';

/** Timers left out: they fire constantly and tell nothing about keep-alive or Wills. */
export const HIDDEN_TIMERS: ReadonlySet<TimerName> = new Set<TimerName>(['client.publish', 'tcp.time-wait']);

type Ev<K extends TraceEvent['kind']> = Extract<TraceEvent, { kind: K }>;

export interface RibbonBuilder {
  handle(e: TraceEvent, seq: number): void;
  finish(endMs: number): Ribbon[];
}

function slotKey(e: Ev<'timer.set'> | Ev<'timer.clear'> | Ev<'timer.fire'>): string {
  return `${e.node}|${e.timer}|${e.conn ?? ''}|${e.clientId ?? ''}`;
}

export function createRibbonBuilder(ctx: LaneContext): RibbonBuilder {
  const ribbons: Ribbon[] = [];
  const armed = new Map<string, number>();

  function stop(key: string, tMs: number, seq: number, outcome: 'cleared' | 'replaced' | 'fired'): void {
    const index = armed.get(key);
    if (index === undefined) return;
    armed.delete(key);
    const r = ribbons[index] as Ribbon;
    r.outcome = outcome;
    r.endMs = tMs;
    r.endSeq = seq;
    r.end = Math.max(r.setMs, r.endMs);
  }

  function laneFor(e: Ev<'timer.set'>): number {
    if (e.node !== ctx.broker) return ctx.laneOf(e.node);
    if (e.conn !== undefined) return ctx.laneForConn(e.conn, e.node);
    if (e.clientId !== undefined) return ctx.laneForClientId(e.clientId, e.node);
    return ctx.laneOf(e.node);
  }

  function onSet(e: Ev<'timer.set'>, seq: number): void {
    if (HIDDEN_TIMERS.has(e.timer)) return;
    const key = slotKey(e);
    stop(key, e.tMs, seq, 'replaced');
    armed.set(key, ribbons.length);
    ribbons.push({
      index: ribbons.length, node: e.node, timer: e.timer, label: TIMER_LABELS[e.timer] ?? e.timer,
      lane: laneFor(e), row: -1, setSeq: seq, setMs: e.tMs, dueMs: e.dueMs, endMs: e.dueMs,
      endSeq: null, outcome: 'pending', conn: e.conn ?? null, clientId: e.clientId ?? null,
      start: e.tMs, end: Math.max(e.tMs, e.dueMs),
    });
  }

  return {
    handle(e, seq) {
      switch (e.kind) {
        case 'timer.set': onSet(e, seq); return;
        case 'timer.clear': stop(slotKey(e), e.tMs, seq, 'cleared'); return;
        case 'timer.fire': stop(slotKey(e), e.tMs, seq, 'fired'); return;
        default: return;
      }
    },
    // A timer still armed at the end is pending: one due by then has fired (timer.fire).
    finish(_endMs) {
      return ribbons;
    },
  };
}
