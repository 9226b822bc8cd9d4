/**
 * The world over time: the same reducer as world.ts (apply.ts), run once forward, with every
 * change recorded as an interval. The timeline draws these: connection ends (bands), half-open
 * connections, timers (ribbons), hosts down and link faults (fault windows). Nothing here
 * knows a rule of the simulator; an interval opens and closes where the trace says the state
 * changed, and the half-open rule is world.ts's (pairs: one end believes, the other does
 * not, and no FIN/RST is on its way).
 */
import type { ResolvedScenario } from '../scenario/types.ts';
import type { CloseCause, TimerName, TraceEvent } from '../trace/types.ts';
import { applyEvent, initialWork, timerKey, type NodeWork, type Work } from './apply.ts';
import { Journal } from './journal.ts';
import { believes, closingFlags } from './world.ts';

export interface ConnEndSpan {
  node: string; peer: string; conn: string;
  openSeq: number; openMs: number; closeSeq: number | null; closeMs: number;
  /** Why it ended (conn.closed cause); null: still open at the end. */
  cause: CloseCause | null;
  /** The socket vanished with its host's power (conn.closed `host: "off"`). */
  hostOff: boolean;
}

export interface HalfOpenSpan {
  conn: string;
  /** The end that still believes the connection is open. */
  believer: string;
  /** The end that has closed or forgotten it. */
  closed: string;
  fromSeq: number; fromMs: number; toSeq: number | null; toMs: number;
}

export type TimerOutcome = 'fired' | 'cleared' | 'replaced' | 'pending';

export interface TimerSpan {
  node: string; timer: TimerName; conn: string | null; clientId: string | null;
  setSeq: number; setMs: number; dueMs: number;
  /** The event that ended it (timer.fire, timer.clear or the timer.set that re-armed it). */
  endSeq: number | null; endMs: number; outcome: TimerOutcome;
  /** The timer.clear's `why`, when the trace gives one (e.g. the host lost power). */
  why: string | null;
  /**
   * broker.keepalive: the keep-alive in force on its connection when it was set (the
   * session's: the CONNECT's, or the CONNACK's Server Keep Alive); null for other timers.
   */
  keepAliveSeconds: number | null;
}

export interface HostDownSpan {
  node: string; state: 'off' | 'crashed'; fromSeq: number; fromMs: number; toSeq: number | null; toMs: number;
}

export interface LinkFaultSpan {
  /** The link as the scenario names it: [client, broker]. */
  between: [string, string];
  /** 'cut': segments from `from` to `to` are dropped; 'loss': random loss `loss` (both ways). */
  what: 'cut' | 'loss';
  from: string; to: string; loss: number;
  fromSeq: number; fromMs: number; toSeq: number | null; toMs: number;
}

export interface WorldHistory {
  endMs: number;
  connEnds: ConnEndSpan[];
  halfOpen: HalfOpenSpan[];
  timers: TimerSpan[];
  hosts: HostDownSpan[];
  links: LinkFaultSpan[];
}

/** The keep-alive of the session that `conn` carries on `node` (the reducer's, already applied). */
function sessionKeepAlive(work: Work, node: string, conn: string | undefined): number | null {
  if (conn === undefined) return null;
  for (const s of work.nodes.get(node)?.sessions.values() ?? []) if (s.conn === conn) return s.keepAliveSeconds;
  return null;
}

export function worldHistory(scenario: ResolvedScenario, trace: readonly TraceEvent[], durationMs: number): WorldHistory {
  const work: Work = initialWork(scenario);
  const journal = new Journal(() => {}, false);
  const out: WorldHistory = { endMs: durationMs, connEnds: [], halfOpen: [], timers: [], hosts: [], links: [] };
  const openEnds = new Map<string, ConnEndSpan>();
  const openHalf = new Map<string, HalfOpenSpan>();
  const openTimers = new Map<string, TimerSpan>();
  const openHosts = new Map<string, HostDownSpan>();
  const openLinks = new Map<string, LinkFaultSpan>();
  let lastMs = 0;
  // The scenario's own link settings are not faults: a loss rate configured from the start is
  // held here without a span, so only changes made by actions are drawn.
  for (const l of work.links) {
    if (l.loss > 0) {
      openLinks.set(`${l.between[0]}~${l.between[1]}`, {
        between: l.between, what: 'loss', from: l.between[0], to: l.between[1], loss: l.loss, fromSeq: -1, fromMs: 0, toSeq: null, toMs: 0,
      });
    }
  }

  for (let seq = 0; seq < trace.length; seq++) {
    const ev = trace[seq]!;
    lastMs = ev.tMs;
    applyEvent(work, journal, ev, ev.tMs);
    switch (ev.kind) {
      case 'conn.open': {
        const key = `${ev.node}|${ev.conn}`;
        if (!openEnds.has(key)) {
          const span: ConnEndSpan = { node: ev.node, peer: ev.peer, conn: ev.conn, openSeq: seq, openMs: ev.tMs, closeSeq: null, closeMs: ev.tMs, cause: null, hostOff: false };
          openEnds.set(key, span);
          out.connEnds.push(span);
        }
        break;
      }
      case 'conn.closed': {
        const key = `${ev.node}|${ev.conn}`;
        const span = openEnds.get(key);
        if (span) { span.closeSeq = seq; span.closeMs = ev.tMs; span.cause = ev.cause; span.hostOff = ev.host === 'off'; openEnds.delete(key); }
        break;
      }
      case 'timer.set': {
        // `replaces`: the slot's other timer ends here unfired, drawn as a cleared one.
        if (ev.replaces !== undefined) endTimer(openTimers, `${ev.node}|${timerKey(work, ev.replaces, ev.conn, ev.clientId)}`, seq, ev.tMs, 'cleared', null);
        const key = `${ev.node}|${timerKey(work, ev.timer, ev.conn, ev.clientId)}`;
        endTimer(openTimers, key, seq, ev.tMs, 'replaced', null);
        const span: TimerSpan = {
          node: ev.node, timer: ev.timer, conn: ev.conn ?? null, clientId: ev.clientId ?? null,
          setSeq: seq, setMs: ev.tMs, dueMs: ev.dueMs, endSeq: null, endMs: ev.dueMs, outcome: 'pending', why: null,
          keepAliveSeconds: ev.timer === 'broker.keepalive' ? sessionKeepAlive(work, ev.node, ev.conn) : null,
        };
        openTimers.set(key, span);
        out.timers.push(span);
        break;
      }
      case 'timer.clear':
        endTimer(openTimers, `${ev.node}|${timerKey(work, ev.timer, ev.conn, ev.clientId)}`, seq, ev.tMs, 'cleared', ev.why ?? null);
        break;
      case 'host.state': {
        const open = openHosts.get(ev.node);
        if (open) { open.toSeq = seq; open.toMs = ev.tMs; openHosts.delete(ev.node); }
        if (ev.state !== 'up') {
          const span: HostDownSpan = { node: ev.node, state: ev.state, fromSeq: seq, fromMs: ev.tMs, toSeq: null, toMs: durationMs };
          openHosts.set(ev.node, span);
          out.hosts.push(span);
        }
        break;
      }
      case 'action':
        if (ev.do === 'cut' || ev.do === 'heal' || ev.do === 'set-link') linkSpans(work, openLinks, out, seq, ev.tMs, durationMs);
        break;
      default: {
        const e = ev as { kind: string; node?: string; timer?: string; conn?: string; clientId?: string };
        if (e.kind === 'timer.fire' && e.node !== undefined && e.timer !== undefined) {
          endTimer(openTimers, `${e.node}|${timerKey(work, e.timer, e.conn, e.clientId)}`, seq, ev.tMs, 'fired', null);
        }
      }
    }
    const conn = 'conn' in ev && typeof ev.conn === 'string' ? ev.conn : null;
    if (conn !== null) halfOpenStep(work, conn, openHalf, out, seq, ev.tMs, durationMs);
  }
  const endMs = Math.max(durationMs, lastMs);
  out.endMs = endMs;
  for (const s of openEnds.values()) s.closeMs = endMs;
  for (const s of openHalf.values()) s.toMs = endMs;
  // A timer left armed past the end of the trace, or due within it without a timer.fire (a
  // trace that does not record firing), is pending: its ribbon runs to its due time.
  for (const s of openTimers.values()) s.endMs = s.dueMs;
  for (const s of openHosts.values()) s.toMs = endMs;
  for (const s of openLinks.values()) s.toMs = endMs;
  return out;
}

function endTimer(open: Map<string, TimerSpan>, key: string, seq: number, tMs: number, outcome: TimerOutcome, why: string | null): void {
  const span = open.get(key);
  if (!span) return;
  open.delete(key);
  span.endSeq = seq; span.endMs = tMs; span.outcome = outcome; span.why = why;
}

/** Re-evaluate one connection's pair after an event that concerns it. */
function halfOpenStep(w: Work, conn: string, open: Map<string, HalfOpenSpan>, out: WorldHistory, seq: number, tMs: number, durationMs: number): void {
  const ends: { node: NodeWork; believes: boolean }[] = [];
  for (const n of w.nodes.values()) {
    const c = n.conns.get(conn);
    if (c !== undefined) ends.push({ node: n, believes: believes(n.host, c) });
  }
  let believer: string | null = null;
  let closed: string | null = null;
  if (ends.length === 2 && ends[0]!.believes !== ends[1]!.believes) {
    const [yes, no] = ends[0]!.believes ? [ends[0]!, ends[1]!] : [ends[1]!, ends[0]!];
    let closing = false;
    for (const f of w.flights.values()) if (f.conn === conn && f.to === yes.node.id && closingFlags(f.flags)) { closing = true; break; }
    if (!closing) { believer = yes.node.id; closed = no.node.id; }
  }
  const cur = open.get(conn);
  if (cur && cur.believer === believer) return;
  if (cur) { cur.toSeq = seq; cur.toMs = tMs; open.delete(conn); }
  if (believer !== null && closed !== null) {
    const span: HalfOpenSpan = { conn, believer, closed, fromSeq: seq, fromMs: tMs, toSeq: null, toMs: durationMs };
    open.set(conn, span);
    out.halfOpen.push(span);
  }
}

/** After a link action: open or close cut (per direction) and loss spans as the links now are. */
function linkSpans(w: Work, open: Map<string, LinkFaultSpan>, out: WorldHistory, seq: number, tMs: number, durationMs: number): void {
  for (const l of w.links) {
    const [c, b] = l.between;
    const cuts: [string, boolean, string, string][] = [[`${c}>${b}`, l.cutUp, c, b], [`${b}>${c}`, l.cutDown, b, c]];
    for (const [key, on, from, to] of cuts) {
      const cur = open.get(key);
      if (on && !cur) {
        const s: LinkFaultSpan = { between: [c, b], what: 'cut', from, to, loss: 0, fromSeq: seq, fromMs: tMs, toSeq: null, toMs: durationMs };
        open.set(key, s);
        out.links.push(s);
      } else if (!on && cur) { cur.toSeq = seq; cur.toMs = tMs; open.delete(key); }
    }
    // Loss: one span per rate in force (a new rate ends the old one's span).
    const key = `${c}~${b}`;
    const cur = open.get(key);
    if (cur && cur.loss !== l.loss) { cur.toSeq = seq; cur.toMs = tMs; open.delete(key); }
    if (l.loss > 0 && open.get(key) === undefined) {
      const s: LinkFaultSpan = { between: [c, b], what: 'loss', from: c, to: b, loss: l.loss, fromSeq: seq, fromMs: tMs, toSeq: null, toMs: durationMs };
      open.set(key, s);
      out.links.push(s);
    }
  }
}
