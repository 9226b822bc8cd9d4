/**
 * Timer ribbons: one bar per armed timer, from its `timer.set` to its due time, or to the
 * moment it was cleared or re-armed (timers are named slots: setting one overwrites the
 * slot, style.md lesson 6). A host that loses power loses all its timers; a crash kills the
 * process and its timers, but the kernel's TCP timers (tcp.*) keep running.
 *
 * Timers a node keeps about a client connection (the broker's keep-alive deadline
 * [MQTT-3.1.2-24], the Will Delay of MQTT 5 §3.1.3.2.2, the broker's TCP retransmissions)
 * are drawn in that client's lane, next to the connection they watch (see laneContext.ts).
 */
import type { TimerName, TraceEvent } from '../../sim/index.ts';
import type { Ribbon } from './layoutTypes.ts';
import type { LaneContext } from './laneContext.ts';

/** What each timer means to a student, as the ribbon's label. */
export const TIMER_LABELS: Record<TimerName, string> = {
  'client.ping': 'PINGREQ due',
  'client.pingresp': 'give up if no PINGRESP',
  'client.reconnect': 'reconnect',
  'client.connect-timeout': 'CONNACK timeout',
  'client.publish': 'next PUBLISH',
  'broker.keepalive': 'keep-alive deadline',
  'broker.connect-wait': 'CONNECT wait',
  'broker.will-delay': 'Will Delay',
  'broker.session-expiry': 'session expiry',
  'tcp.rto': 'TCP retransmit (RTO)',
  'tcp.tlp': 'TCP loss probe',
  'tcp.syn': 'SYN retransmit',
  'tcp.keepalive': 'TCP keepalive probe',
  'tcp.time-wait': 'TIME-WAIT',
  'nat.idle': 'NAT idle timeout',
};

/** Timers left out: they fire constantly and tell nothing about keep-alive or Wills. */
export const HIDDEN_TIMERS: ReadonlySet<TimerName> = new Set<TimerName>(['client.publish', 'tcp.time-wait']);

type Ev<K extends TraceEvent['kind']> = Extract<TraceEvent, { kind: K }>;

export interface RibbonBuilder {
  handle(e: TraceEvent, seq: number): void;
  finish(endMs: number): Ribbon[];
}

function slotKey(e: Ev<'timer.set'> | Ev<'timer.clear'>): string {
  return `${e.node}|${e.timer}|${e.conn ?? ''}|${e.clientId ?? ''}`;
}

export function createRibbonBuilder(ctx: LaneContext): RibbonBuilder {
  const ribbons: Ribbon[] = [];
  const armed = new Map<string, number>();

  function stop(key: string, tMs: number, seq: number, outcome: 'cleared' | 'replaced'): void {
    const index = armed.get(key);
    if (index === undefined) return;
    armed.delete(key);
    const r = ribbons[index] as Ribbon;
    if (r.dueMs <= tMs) {
      r.outcome = 'fired'; // it was due before this clear/re-arm: it fired
      r.endMs = r.dueMs;
    } else {
      r.outcome = outcome;
      r.endMs = tMs;
      r.endSeq = seq;
    }
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

  function onClear(e: Ev<'timer.clear'>, seq: number): void {
    let key = slotKey(e);
    if (!armed.has(key)) {
      // Tolerate a clear that names fewer fields than its set did.
      const prefix = `${e.node}|${e.timer}|`;
      key = [...armed.keys()].find((k) => k.startsWith(prefix)) ?? key;
    }
    stop(key, e.tMs, seq, 'cleared');
  }

  function hostDown(node: string, tMs: number, seq: number, kernelToo: boolean): void {
    for (const key of [...armed.keys()]) {
      if (!key.startsWith(`${node}|`)) continue;
      if (!kernelToo && key.startsWith(`${node}|tcp.`)) continue;
      stop(key, tMs, seq, 'cleared');
    }
  }

  return {
    handle(e, seq) {
      switch (e.kind) {
        case 'timer.set': onSet(e, seq); return;
        case 'timer.clear': onClear(e, seq); return;
        case 'host.state': if (e.state !== 'up') hostDown(e.node, e.tMs, seq, e.state === 'off'); return;
        case 'action':
          if ((e.do === 'power-off' || e.do === 'crash') && typeof e.node === 'string') {
            hostDown(e.node, e.tMs, seq, e.do === 'power-off');
          }
          return;
        default: return;
      }
    },
    finish(endMs) {
      for (const index of armed.values()) {
        const r = ribbons[index] as Ribbon;
        if (r.dueMs <= endMs) r.outcome = 'fired';
      }
      return ribbons;
    },
  };
}
