/**
 * Markers for notable events (icons on a lifeline), and the shaded fault windows of sim/world's
 * history (a host down from its host.state to the next; a link cut per direction, or lossy,
 * for as long as the world says so).
 *
 * Each marker has a glyph *and* a colour tone, so meaning never rests on colour alone.
 */
import type { HostDownSpan, LinkFaultSpan, TraceEvent, WorldHistory } from '../../sim/index.ts';
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
  'proxy.timeout': { glyph: '⌀', tone: 'alert', label: () => 'proxy closed the idle flow' },
  action: { glyph: '⚡', tone: 'fault', label: (e) => actionLabel(e) },
};

export function actionLabel(e: TraceEvent): string {
  if (e.kind !== 'action') return e.kind;
  const link = Array.isArray(e.link) ? `${e.link[0]}↔${e.link[1]}` : '';
  const where = typeof e.node === 'string' ? e.node : link;
  return where ? `${e.do} ${where}` : e.do;
}

export interface MarkerBuilder {
  handle(e: TraceEvent, seq: number): void;
  finish(): Marker[];
}

export function createMarkerBuilder(ctx: LaneContext): MarkerBuilder {
  const markers: Marker[] = [];
  function linkLanes(link: readonly [string, string]): number[] {
    const clients = link.filter((n) => n !== ctx.broker);
    return (clients.length > 0 ? clients : [...link]).map((n) => ctx.laneOf(n));
  }
  function laneOfAction(e: Extract<TraceEvent, { kind: 'action' }>): number {
    if (typeof e.node === 'string') return ctx.laneOf(e.node);
    if (Array.isArray(e.link)) return linkLanes(e.link)[0] ?? 0;
    return 0;
  }

  return {
    handle(e, seq) {
      const style = MARKER_STYLES[e.kind];
      if (!style) return;
      const lane = e.kind === 'action' ? laneOfAction(e)
        : e.kind === 'nat.expired' || e.kind === 'proxy.timeout' ? (linkLanes(e.link)[0] ?? 0)
        : 'node' in e && typeof e.node === 'string' ? ctx.laneOf(e.node) : 0;
      markers.push({
        index: markers.length, seq, kind: e.kind, lane, tMs: e.tMs,
        glyph: style.glyph, label: style.label(e), tone: style.tone, start: e.tMs, end: e.tMs,
      });
    },
    finish() {
      return markers;
    },
  };
}

/** A fault as one label: a host down, a link cut both ways (one window) or one way, a loss rate. */
export interface FaultSpan { kind: 'host' | 'cut' | 'loss'; fromMs: number; toMs: number; seq: number; label: string; node?: string; link?: [string, string] }

/** Every fault window of a run, from sim/world's history, in time order. */
export function faultSpans(h: WorldHistory): FaultSpan[] {
  const out: FaultSpan[] = [];
  const host = (x: HostDownSpan): FaultSpan => ({
    kind: 'host', fromMs: x.fromMs, toMs: x.toMs, seq: x.fromSeq, label: `${x.node} ${x.state === 'off' ? 'powered off' : 'crashed'}`, node: x.node,
  });
  for (const x of h.hosts) out.push(host(x));
  const cuts = h.links.filter((l) => l.what === 'cut');
  const merged = new Set<LinkFaultSpan>();
  for (const c of cuts) {
    if (merged.has(c)) continue;
    // Both directions cut at one action and healed at one: a single "cut" window.
    const twin = cuts.find((o) => o !== c && !merged.has(o) && o.between.join() === c.between.join()
      && o.fromSeq === c.fromSeq && o.toSeq === c.toSeq && o.from === c.to);
    if (twin) { merged.add(twin); merged.add(c); out.push({ kind: 'cut', fromMs: c.fromMs, toMs: c.toMs, seq: c.fromSeq, label: `link ${c.between.join('–')} cut`, link: c.between }); continue; }
    out.push({ kind: 'cut', fromMs: c.fromMs, toMs: c.toMs, seq: c.fromSeq, label: `link cut ${c.from} → ${c.to}`, link: c.between });
  }
  for (const l of h.links) {
    if (l.what === 'loss') out.push({ kind: 'loss', fromMs: l.fromMs, toMs: l.toMs, seq: l.fromSeq, label: `loss ${Math.round(l.loss * 100)}% on ${l.between.join('–')}`, link: l.between });
  }
  return out.sort((a, b) => a.fromMs - b.fromMs || a.seq - b.seq);
}

/** The fault windows shaded on the sequence diagram (lanes of the node or the link's client). */
export function faultWindowsFromHistory(h: WorldHistory, ctx: LaneContext): FaultWindow[] {
  const lanesOf = (f: FaultSpan): number[] => {
    if (f.node !== undefined) return [ctx.laneOf(f.node)];
    if (f.link === undefined) return [];
    const clients = f.link.filter((n) => n !== ctx.broker);
    return (clients.length > 0 ? clients : [...f.link]).map((n) => ctx.laneOf(n));
  };
  return faultSpans(h).filter((f) => f.kind !== 'loss').map((f, index) => ({
    index, fromMs: f.fromMs, toMs: f.toMs, start: f.fromMs, end: f.toMs, label: f.label, lanes: lanesOf(f), seq: f.seq,
  }));
}
