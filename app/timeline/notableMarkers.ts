/**
 * Markers for notable events (icons on a lifeline) and shaded fault windows.
 *
 * Each marker has a glyph *and* a colour tone, so meaning never rests on colour alone.
 * Fault windows pair an action with the one that ends it: power-off → power-on,
 * crash → restart, cut → heal (per link and direction); an unpaired one runs to the end.
 * The other actions (disconnect, connect, publish, set-link) are instants: markers only.
 */
import type { TraceEvent } from '../../sim/index.ts';
import type { FaultWindow, Marker, MarkerTone } from './layoutTypes.ts';
import type { LaneContext } from './laneContext.ts';

interface MarkerStyle { glyph: string; tone: MarkerTone; label(e: TraceEvent): string }

const field = (e: TraceEvent, name: string): string => {
  const fields: Readonly<Record<string, unknown>> = e;
  const value = fields[name];
  return typeof value === 'string' ? value : '';
};

/** The kinds drawn as markers, and how. */
export const MARKER_STYLES: Record<string, MarkerStyle> = {
  'client.connected': { glyph: '✓', tone: 'ok', label: () => 'connected' },
  'client.keepalive-timeout': { glyph: '◷', tone: 'alert', label: () => 'no PINGRESP: gives up' },
  'client.gave-up': { glyph: '◷', tone: 'alert', label: (e) => `gives up (${field(e, 'reason')})` },
  'broker.keepalive-expired': { glyph: '◷', tone: 'alert', label: () => 'keep-alive expired' },
  'broker.connect-timeout': { glyph: '◷', tone: 'alert', label: () => 'no CONNECT: closed' },
  'broker.takeover': { glyph: '⇄', tone: 'takeover', label: (e) => `takeover of ${field(e, 'clientId')}` },
  'will.scheduled': { glyph: '✉', tone: 'will', label: () => 'Will delayed' },
  'will.published': { glyph: '✉', tone: 'will', label: () => 'Will published' },
  'will.discarded': { glyph: '✉', tone: 'muted', label: () => 'Will discarded' },
  'session.expired': { glyph: '∅', tone: 'muted', label: () => 'session expired' },
  'nat.expired': { glyph: '⌀', tone: 'alert', label: () => 'NAT forgot the flow' },
  action: { glyph: '⚡', tone: 'fault', label: (e) => actionLabel(e) },
};

export function actionLabel(e: TraceEvent): string {
  if (e.kind !== 'action') return e.kind;
  const link = Array.isArray(e.link) ? `${e.link[0]}↔${e.link[1]}` : '';
  const where = typeof e.node === 'string' ? e.node : link;
  return where ? `${e.do} ${where}` : e.do;
}

const WINDOW_ENDS: Record<string, string> = { 'power-off': 'power-on', crash: 'restart', cut: 'heal' };

function windowLabel(e: Extract<TraceEvent, { kind: 'action' }>): string {
  const direction = typeof e.direction === 'string' ? e.direction : 'both';
  if (e.do === 'power-off') return `${String(e.node)} powered off`;
  if (e.do === 'crash') return `${String(e.node)} crashed`;
  const [a, b] = Array.isArray(e.link) ? e.link : ['?', '?'];
  if (direction === 'a->b') return `link cut ${a} → ${b}`;
  if (direction === 'b->a') return `link cut ${b} → ${a}`;
  return `link ${a}–${b} cut`;
}

export interface MarkerBuilder {
  handle(e: TraceEvent, seq: number): void;
  finish(endMs: number): { markers: Marker[]; faults: FaultWindow[] };
}

export function createMarkerBuilder(ctx: LaneContext): MarkerBuilder {
  const markers: Marker[] = [];
  const openWindows = new Map<string, number[]>();
  const faults: Array<FaultWindow & { direction: string }> = [];

  function linkLanes(link: readonly [string, string]): number[] {
    const clients = link.filter((n) => n !== ctx.broker);
    return (clients.length > 0 ? clients : [...link]).map((n) => ctx.laneOf(n));
  }

  function laneOfAction(e: Extract<TraceEvent, { kind: 'action' }>): number {
    if (typeof e.node === 'string') return ctx.laneOf(e.node);
    if (Array.isArray(e.link)) return linkLanes(e.link)[0] ?? 0;
    return 0;
  }

  function windowKey(e: Extract<TraceEvent, { kind: 'action' }>): string {
    if (typeof e.node === 'string') return `node:${e.node}`;
    if (Array.isArray(e.link)) return `link:${[...e.link].sort().join('|')}`;
    return 'all';
  }

  /**
   * The physical direction an action names, as 'from>to' ('both' for both): 'a->b' runs from
   * the first name of the action's pair to the second, so `cut [x,y] b->a` and
   * `heal [y,x] a->b` name the same direction.
   */
  function physicalDirection(e: Extract<TraceEvent, { kind: 'action' }>): string {
    const direction = typeof e.direction === 'string' ? e.direction : 'both';
    if (!Array.isArray(e.link) || (direction !== 'a->b' && direction !== 'b->a')) return 'both';
    const [a, b] = e.link;
    return direction === 'a->b' ? `${a}>${b}` : `${b}>${a}`;
  }

  function onAction(e: Extract<TraceEvent, { kind: 'action' }>, seq: number): void {
    const key = windowKey(e);
    if (WINDOW_ENDS[e.do] !== undefined) {
      const lanes = typeof e.node === 'string' ? [ctx.laneOf(e.node)]
        : Array.isArray(e.link) ? linkLanes(e.link) : [];
      const list = openWindows.get(`${e.do}|${key}`) ?? [];
      list.push(faults.length);
      openWindows.set(`${e.do}|${key}`, list);
      faults.push({
        index: faults.length, fromMs: e.tMs, toMs: e.tMs, start: e.tMs, end: e.tMs,
        label: windowLabel(e), lanes, seq, direction: physicalDirection(e),
      });
      return;
    }
    for (const [opener, closer] of Object.entries(WINDOW_ENDS)) {
      if (closer !== e.do) continue;
      const list = openWindows.get(`${opener}|${key}`);
      if (!list) continue;
      // A heal of one direction ends the oldest cut of that same direction; a heal of both
      // ends every cut of the link.
      const direction = physicalDirection(e);
      for (let i = 0; i < list.length;) {
        const w = faults[list[i] as number] as FaultWindow & { direction: string };
        if (direction !== 'both' && w.direction !== direction) { i++; continue; }
        list.splice(i, 1);
        w.toMs = e.tMs;
        w.end = e.tMs;
        if (direction !== 'both') break;
      }
    }
  }

  return {
    handle(e, seq) {
      const style = MARKER_STYLES[e.kind];
      if (!style) return;
      const lane = e.kind === 'action' ? laneOfAction(e)
        : e.kind === 'nat.expired' ? (linkLanes(e.link)[0] ?? 0)
        : 'node' in e && typeof e.node === 'string' ? ctx.laneOf(e.node) : 0;
      markers.push({
        index: markers.length, seq, kind: e.kind, lane, tMs: e.tMs,
        glyph: style.glyph, label: style.label(e), tone: style.tone, start: e.tMs, end: e.tMs,
      });
      if (e.kind === 'action') onAction(e, seq);
    },
    finish(endMs) {
      for (const list of openWindows.values()) {
        for (const index of list) {
          const w = faults[index] as FaultWindow;
          w.toMs = endMs;
          w.end = endMs;
        }
      }
      return { markers, faults };
    },
  };
}
