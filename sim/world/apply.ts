/**
 * One trace event's change to the world. Every change goes through the journal (so it can be
 * undone); nothing here decides what the simulator would do: the event says it.
 */
import type { ResolvedScenario } from '../scenario/types.ts';
import type { TimerName, TraceFields } from '../trace/types.ts';
import { TIMER_NAMES } from '../trace/schema.ts';
import type { Journal } from './journal.ts';
import { FlightTable } from './flights.ts';
import { ArrivalTable } from './arrivals.ts';
import { RefusingEmptyMap, shared } from '../empty-map.ts';
import { linkDirection } from '../scenario/direction.ts';
import type { BrokerSessionView, ClientMqttView, ConnView, FlightView, LinkView } from './types.ts';

export interface TimerRec {
  timer: TimerName; dueMs: number; setMs: number; conn: string | null; clientId: string | null;
}

export interface NodeWork {
  id: string; role: 'broker' | 'client'; host: 'up' | 'off' | 'crashed';
  /** Broker: its process is stopped by SIGSTOP (action pause) until a resume; its kernel goes on. */
  paused: boolean;
  /** Armed timers by key (timerKey: an integer for the name, connection and ClientId). */
  conns: Map<string, ConnView>; timers: Map<number, TimerRec>;
  client: ClientMqttView | null; sessions: Map<string, BrokerSessionView>;
  /** Broker: CONNECTs received and not yet answered, by connection. */
  connects: Map<string, PendingConnect>;
  /** Broker: the session bound to each connection (a session's `conn`, indexed: no scan per packet). */
  sessionByConn: Map<string, BrokerSessionView>;
  /** How many armed timers name each connection (the invariant checker asks after a close). */
  armedByConn: Map<string, number>;
  /**
   * Broker: the connections whose Will has been published, with its ClientId. Kept for the
   * whole run (connection ids are never reused, a broker restart included): the invariant
   * checker reads it, since a session's `will` only holds its latest connection's Will.
   */
  publishedWills: Map<string, string>;
}

export interface PendingConnect {
  clientId: string; from: string; atMs: number;
  keepAliveSeconds: number | null; sessionExpirySeconds: number | null; willTopic: string | null;
}

export interface Work {
  nodes: Map<string, NodeWork>;
  links: LinkView[];
  /** Each link by its sender, then its receiver; `forward`: from between[0] to between[1]. */
  linkIndex: Map<string, Map<string, { link: LinkView; forward: boolean }>>;
  /**
   * The link of each node that has exactly one (a client's, to its broker), with the node at
   * its other end: a segment's link in one lookup, without a cache per connection (linkOf).
   */
  soleLink: Map<string, { peer: string; link: LinkView }>;
  /**
   * The latency every link has now (null: they differ, or there is none), kept up to date by
   * set-link. Every client has exactly one link, to the broker (scenario/resolve.ts), so a
   * segment with the broker at one end takes one with this latency: a fleet of alike devices
   * needs no lookup per segment at all (a forgetting world's connLatency).
   */
  sameLatencyMs: number | null;
  /**
   * Each connection's link, found once (a segment's latency at send: one lookup by connection
   * instead of two by node names per seg.send).
   */
  connLinks: Map<string, ConnLink>;
  flights: FlightTable;
  /**
   * Flight records a forward-only reader is done with, for reuse (worldHistory sees every
   * segment of a run: no allocation per segment). Unused when the journal records (its undo
   * entries keep the old records) and in a forgetting world (`arrivals` instead).
   */
  spareFlights: FlightView[];
  /**
   * A forgetting world's segments in flight: only when each may arrive soonest (the one thing
   * a check reads of a segment), in place of `flights`, which it leaves empty. Null in a world
   * that keeps everything (the table is 1 MB, and worldAt makes a world per call).
   */
  arrivals: ArrivalTable | null;
  scenario: ResolvedScenario;
  /** Integer ids of the (connection, ClientId) pairs timers have named (timerKey). */
  owners: Map<string, TimerOwner>;
  ownerCount: number;
  /**
   * The scenario's clients by node id: a CONNECT looks up its client's configuration here (a
   * linear search made 100,000 devices' connects quadratic: ~5·10⁹ comparisons).
   */
  clientById: Map<string, ResolvedScenario['clients'][number]>;
  /**
   * A forward-only reader that keeps nothing of a connection once nothing can name it again
   * (the invariant checker; false for World and worldHistory, which show connections), so a
   * run that opens hundreds of thousands of connections (a reconnect storm: MQTT.js retries
   * every second while the broker is down) keeps a world the size of its live ones. Connection
   * ids are never reused in a run. Its rules: a timer's id (timerKey) is dropped when no timer
   * it keys is armed (the next one naming the connection gets a new id); a segment's link latency is
   * sameLatencyMs or its client's link's (linkOf), not cached by connection (connLinks stays
   * empty); a connection end is
   * dropped when finished (forgetEnd; the checker reads no ends, so it holds none). Kept:
   * sessions, sessionByConn and armedByConn (each empties itself at the close), pending
   * CONNECTs (a CONNACK must find its CONNECT) and publishedWills (for the whole run:
   * will-once-per-connection reads it).
   */
  forget: boolean;
  /** The owner timerKey found last (forget: the timer it keys is counted on it). */
  lastOwner: TimerOwner | null;
}

/** A connection's ends and the link between them (null: the scenario has none). */
interface ConnLink { readonly a: string; readonly b: string; readonly link: LinkView | null }

/** One connection's id for its timers, and those of the ClientIds named with it. */
interface TimerOwner {
  readonly id: number; byClient: Map<string, number> | null;
  /** The ClientId last named with it and its id (a connection's timers name one ClientId). */
  lastClient: string | null; lastId: number;
  /** Work `forget` only: its armed timers on any node (at 0 it is forgotten). */
  armed: number;
}

/** Shared by every flight that carries no MQTT packet (never mutated: views copy it). */
const NO_PACKETS: number[] = [];

/**
 * A client node holds no broker state: its sessions, pending CONNECTs, sessions by connection
 * and published Wills are written only by the broker's events. So every client node shares one
 * empty Map for each, and a write to it throws (a reducer bug, not a state). Four empty Maps are
 * ~740 bytes per device and world: ~74 MB of the checker's world at 100,000 devices.
 */
const NO_BROKER_STATE = new RefusingEmptyMap('a client node holds no broker state');
const noBrokerState = <K, V>(): Map<K, V> => shared(NO_BROKER_STATE);

const LINKS = '#links';
const FLIGHTS = '#flights';

export function initialWork(s: ResolvedScenario, options: { forget?: boolean } = {}): Work {
  const nodes = new Map<string, NodeWork>();
  nodes.set(s.broker.id, {
    id: s.broker.id, role: 'broker', host: 'up', paused: false, conns: new Map(), timers: new Map(), client: null, sessions: new Map(), connects: new Map(),
    sessionByConn: new Map(), armedByConn: new Map(), publishedWills: new Map(),
  });
  for (const c of s.clients) {
    nodes.set(c.id, {
      id: c.id, role: 'client', host: 'up', paused: false, conns: new Map(), timers: new Map(),
      client: {
        clientId: c.clientId, protocol: c.protocol, library: c.library,
        keepAliveSeconds: c.keepAliveSeconds, cleanStart: c.cleanStart,
        sessionExpirySeconds: c.sessionExpirySeconds, will: c.will,
        subscriptions: c.subscriptions.map((x) => ({ topic: x.topic, qos: x.qos })),
        state: 'idle', connectedConn: null, sessionPresent: null,
      },
      sessions: noBrokerState(), connects: noBrokerState(), sessionByConn: noBrokerState(),
      armedByConn: new Map(), publishedWills: noBrokerState(),
    });
  }
  const links = s.links.map((l) => ({
    between: [l.between[0], l.between[1]] as [string, string],
    latencyMs: l.latencyMs, jitterMs: l.jitterMs, loss: l.loss, cutUp: false, cutDown: false,
  }));
  const linkIndex: Work['linkIndex'] = new Map();
  const index = (from: string, to: string, link: LinkView, forward: boolean): void => {
    let m = linkIndex.get(from);
    if (m === undefined) linkIndex.set(from, m = new Map());
    m.set(to, { link, forward });
  };
  for (const link of links) {
    index(link.between[0], link.between[1], link, true);
    index(link.between[1], link.between[0], link, false);
  }
  const soleLink: Work['soleLink'] = new Map();
  for (const [from, m] of linkIndex) {
    if (m.size === 1) for (const [peer, { link }] of m) soleLink.set(from, { peer, link });
  }
  return {
    nodes, links, linkIndex, soleLink, sameLatencyMs: sameLatency(links), flights: new FlightTable(), spareFlights: [], arrivals: options.forget === true ? new ArrivalTable() : null, scenario: s, owners: new Map(), ownerCount: 0, connLinks: new Map(),
    clientById: new Map(s.clients.map((c) => [c.id, c])), forget: options.forget === true, lastOwner: null,
  };
}

const TIMER_INDEX: Readonly<Record<string, number>> = Object.assign(
  Object.create(null) as Record<string, number>, Object.fromEntries(TIMER_NAMES.map((t, i) => [t, i])),
);
const TIMER_KINDS = TIMER_NAMES.length;

/**
 * A timer's key on its node: its name, connection and ClientId as one integer (the name's
 * index + the number of names × the pair's id). Integers, not a string built per event: the
 * invariant checker looks a timer up on every broker keep-alive move, and a key string built
 * and hashed each time cost a microsecond (issue 11, test/bench/checker-cost.ts). The ids are
 * a naming, not state: the same pair always gets the same id in one Work, whatever the undo
 * journal does.
 */
export function timerKey(w: Work, t: string, conn: string | null | undefined, clientId: string | null | undefined): number {
  const c = conn ?? '';
  let o = w.owners.get(c);
  if (o === undefined) w.owners.set(c, o = { id: w.ownerCount++, byClient: null, lastClient: null, lastId: -1, armed: 0 });
  w.lastOwner = o;
  let id = o.id;
  if (clientId != null) {
    if (clientId === o.lastClient) id = o.lastId;
    else {
      const m = o.byClient ??= new Map();
      const known = m.get(clientId);
      if (known !== undefined) id = known;
      else { id = w.ownerCount++; m.set(clientId, id); }
      o.lastClient = clientId;
      o.lastId = id;
    }
  }
  return (TIMER_INDEX[t] ?? TIMER_KINDS) + (TIMER_KINDS + 1) * id;
}

type Ev<K extends TraceFields['kind']> = Extract<TraceFields, { kind: K }>;

/** The link between two nodes, and whether `a` is its first name (`between[0]`). */
export function linkFor(w: Work, a: string, b: string): { link: LinkView; forward: boolean } | null {
  return w.linkIndex.get(a)?.get(b) ?? null;
}

function sameLatency(links: readonly LinkView[]): number | null {
  const first = links[0];
  if (first === undefined) return null;
  for (const l of links) if (l.latencyMs !== first.latencyMs) return null;
  return first.latencyMs;
}

/** The link between two nodes, looked up from the end that has only that one when there is one. */
function linkOf(w: Work, a: string, b: string): LinkView | null {
  let s = w.soleLink.get(a);
  if (s !== undefined && s.peer === b) return s.link;
  s = w.soleLink.get(b);
  if (s !== undefined && s.peer === a) return s.link;
  return linkFor(w, a, b)?.link ?? null;
}

/** The latency now of the link a segment of `conn` from `from` to `to` takes. */
function connLatency(w: Work, conn: string, from: string, to: string): number | null {
  // A forgetting world keeps nothing per connection: the one latency all links share, or the
  // link of the end that has only one (a client): a lookup among the nodes, not the connections.
  if (w.forget) {
    const broker = w.scenario.broker.id;
    if (w.sameLatencyMs !== null && (from === broker || to === broker)) return w.sameLatencyMs;
    const l = linkOf(w, from, to);
    return l === null ? null : l.latencyMs;
  }
  let c = w.connLinks.get(conn);
  if (c === undefined || !((c.a === from && c.b === to) || (c.a === to && c.b === from))) {
    // A connection id names one pair of ends; anything else is looked up, not cached.
    const found = linkFor(w, from, to)?.link ?? null;
    if (c !== undefined) return found === null ? null : found.latencyMs;
    w.connLinks.set(conn, c = { a: from, b: to, link: found });
  }
  return c.link === null ? null : c.link.latencyMs;
}

/** cut / heal / set-link: the link's state as the action left it (its direction words: CONTRACT §2). */
function applyAction(w: Work, j: Journal, e: Ev<'action'>): void {
  if (e.node !== undefined && (e.do === 'pause' || e.do === 'resume' || e.do === 'stop')) {
    // SIGSTOP stops a running broker process (a paused, crashed or powered-off one stays as it
    // is: run.ts pauseProcessor); SIGCONT and an exit end the pause.
    const n = w.nodes.get(e.node);
    if (n !== undefined && n.role === 'broker') j.set(n.id, n, 'paused', e.do === 'pause' && n.host === 'up');
    return;
  }
  const found = e.link === undefined ? null : linkFor(w, e.link[0], e.link[1]);
  if (!found) return;
  const { link } = found;
  // The one way it acts on (scenario/direction.ts), as this link's halves: up is client → broker.
  const one = linkDirection(e.link!, e.direction);
  const up = one === null || one.from === link.between[0];
  const down = one === null || one.from === link.between[1];
  if (e.do === 'cut') { if (up) j.set(LINKS, link, 'cutUp', true); if (down) j.set(LINKS, link, 'cutDown', true); }
  if (e.do === 'heal') { if (up) j.set(LINKS, link, 'cutUp', false); if (down) j.set(LINKS, link, 'cutDown', false); }
  if (e.do === 'set-link') {
    if (e.latencyMs !== undefined) { j.set(LINKS, link, 'latencyMs', e.latencyMs); j.set(LINKS, w, 'sameLatencyMs', sameLatency(w.links)); }
    if (e.jitterMs !== undefined) j.set(LINKS, link, 'jitterMs', e.jitterMs);
    if (e.loss !== undefined) j.set(LINKS, link, 'loss', e.loss);
  }
}

function session(j: Journal, n: NodeWork, clientId: string, from: string): BrokerSessionView {
  let s = n.sessions.get(clientId);
  if (!s) {
    s = {
      clientId, fromNode: from, conn: null, status: 'disconnected', keepAliveSeconds: null,
      lastRecvMs: null, sessionExpirySeconds: null, will: null, subscriptions: [],
    };
    j.mapSet(n.id, n.sessions, clientId, s);
  }
  return s;
}

/** Bind a session to a connection (or to none), keeping the index by connection in step. */
function bindConn(j: Journal, n: NodeWork, s: BrokerSessionView, conn: string | null): void {
  if (s.conn === conn) return;
  if (s.conn !== null && n.sessionByConn.get(s.conn) === s) j.mapDelete(n.id, n.sessionByConn, s.conn);
  j.set(n.id, s, 'conn', conn);
  if (conn !== null) j.mapSet(n.id, n.sessionByConn, conn, s);
}

/** The session a connection is bound to, if it is still the ClientId's session. */
export function sessionOn(n: NodeWork, conn: string): BrokerSessionView | undefined {
  return n.sessionByConn.get(conn);
}

/** One more (+1) or one fewer (-1) armed timer naming `conn`. */
function countArmed(j: Journal, n: NodeWork, conn: string | null | undefined, delta: 1 | -1): void {
  if (conn == null) return;
  const k = (n.armedByConn.get(conn) ?? 0) + delta;
  if (k > 0) j.mapSet(n.id, n.armedByConn, conn, k);
  else j.mapDelete(n.id, n.armedByConn, conn);
}

/** `key` from timerKey, just called (w.lastOwner is its owner). */
function dropTimer(w: Work, j: Journal, n: NodeWork, key: number, conn: string | null | undefined): void {
  if (n.timers.has(key)) {
    j.mapDelete(n.id, n.timers, key);
    countArmed(j, n, conn, -1);
    if (w.forget) w.lastOwner!.armed--;
  }
  // A forgetting world keeps an id only while a timer holds it: the next timer naming the
  // connection gets a new one, and no armed timer is keyed by the old.
  if (w.forget && w.lastOwner!.armed === 0) w.owners.delete(conn ?? '');
}

/**
 * Applies one trace event: its fields (a TraceEvent will do) and its time. Keeps nothing of
 * `ev` itself (the invariant checker passes a reused fields object).
 */
export function applyEvent(w: Work, j: Journal, ev: TraceFields, tMs: number): void {
  switch (ev.kind) {
    case 'action': applyAction(w, j, ev); return;
    case 'seg.send': {
      const latency = connLatency(w, ev.conn, ev.node, ev.peer);
      if (w.forget) { w.arrivals!.sent(ev.id, Math.round(tMs * 1000), latency === null ? null : Math.round(latency * 1000)); return; }
      const f = j.recording ? undefined : w.spareFlights.pop();
      if (f === undefined) {
        j.mapSet(FLIGHTS, w.flights, ev.id, {
          id: ev.id, conn: ev.conn, from: ev.node, to: ev.peer, flags: ev.flags, len: ev.len, sentMs: tMs,
          linkLatencyMs: latency, retransmit: ev.retransmit === true, packets: ev.packets ?? NO_PACKETS,
        });
        return;
      }
      f.id = ev.id; f.conn = ev.conn; f.from = ev.node; f.to = ev.peer; f.flags = ev.flags; f.len = ev.len;
      f.sentMs = tMs; f.linkLatencyMs = latency; f.retransmit = ev.retransmit === true; f.packets = ev.packets ?? NO_PACKETS;
      w.flights.set(ev.id, f);
      return;
    }
    case 'seg.deliver': case 'seg.drop': {
      if (w.forget) { w.arrivals!.delete(ev.id); return; }
      if (j.recording) { j.mapDelete(FLIGHTS, w.flights, ev.id); return; }
      const f = w.flights.get(ev.id);
      if (f === undefined) return;
      w.flights.delete(ev.id);
      if (w.spareFlights.length < 4096) w.spareFlights.push(f);
      return;
    }
    default:
  }
  // A client's MQTT packets change nothing here (its state comes from client.* events).
  if ((ev.kind === 'mqtt.send' || ev.kind === 'mqtt.recv') && ev.node !== w.scenario.broker.id) return;
  const nodeId = (ev as { node?: unknown }).node;
  const n = typeof nodeId === 'string' ? w.nodes.get(nodeId) : undefined;
  if (!n) return;
  const id = n.id;
  switch (ev.kind) {
    case 'host.state':
      j.set(id, n, 'host', ev.state);
      // A process that dies or loses power is no longer stopped; a restart starts a running one.
      if (n.paused) j.set(id, n, 'paused', false);
      if (n.client) {
        if (ev.state !== 'up') { j.set(id, n.client, 'connectedConn', null); j.set(id, n.client, 'state', ev.state); }
        else j.set(id, n.client, 'state', 'idle');
      }
      // The broker keeps sessions, retained messages and pending Wills in memory: when its
      // host goes down they are gone, not disconnected; a restart with a store brings back
      // what it saved as session.restored events.
      if (n.role === 'broker' && ev.state !== 'up') {
        for (const k of [...n.sessions.keys()]) j.mapDelete(id, n.sessions, k);
        for (const k of [...n.sessionByConn.keys()]) j.mapDelete(id, n.sessionByConn, k);
      }
      return;
    case 'tcp.state': {
      const c = n.conns.get(ev.conn);
      if (c) {
        j.set(id, c, 'tcpState', ev.to);
        if (w.forget && ev.to === 'CLOSED' && !c.open && !j.recording) forgetEnd(n, ev.conn);
      } else j.mapSet(id, n.conns, ev.conn, { conn: ev.conn, peer: ev.peer, tcpState: ev.to, open: false, closedCause: null });
      return;
    }
    case 'conn.open': {
      const c = n.conns.get(ev.conn);
      if (c) j.set(id, c, 'open', true);
      else j.mapSet(id, n.conns, ev.conn, { conn: ev.conn, peer: ev.peer, tcpState: 'ESTABLISHED', open: true, closedCause: null });
      return;
    }
    case 'conn.closed': {
      const c = n.conns.get(ev.conn);
      if (c) { j.set(id, c, 'open', false); j.set(id, c, 'closedCause', ev.cause); }
      if (n.client && n.client.connectedConn === ev.conn) j.set(id, n.client, 'connectedConn', null);
      const s = n.sessionByConn.get(ev.conn);
      if (s !== undefined) { bindConn(j, n, s, null); if (s.status === 'connected') j.set(id, s, 'status', 'disconnected'); }
      if (w.forget && c !== undefined && c.tcpState === 'CLOSED' && !j.recording) forgetEnd(n, ev.conn);
      return;
    }
    case 'timer.set': {
      // The slot moved under another name: the timer it held ends here (as a timer.clear).
      if (ev.replaces !== undefined) dropTimer(w, j, n, timerKey(w, ev.replaces, ev.conn, ev.clientId), ev.conn);
      const key = timerKey(w, ev.timer, ev.conn, ev.clientId);
      const old = n.timers.get(key);
      // Re-armed (a broker's keep-alive deadline moves on every packet): a forward-only
      // reader moves the record it has; the journal needs a new one to undo to the old.
      if (old !== undefined && !j.recording) { old.dueMs = ev.dueMs; old.setMs = tMs; return; }
      if (old === undefined) { countArmed(j, n, ev.conn, 1); if (w.forget) w.lastOwner!.armed++; }
      j.mapSet(id, n.timers, key, {
        timer: ev.timer, dueMs: ev.dueMs, setMs: tMs, conn: ev.conn ?? null, clientId: ev.clientId ?? null,
      });
      return;
    }
    case 'timer.clear':
      dropTimer(w, j, n, timerKey(w, ev.timer, ev.conn, ev.clientId), ev.conn);
      return;
    case 'client.state':
      if (n.client) j.set(id, n.client, 'state', ev.state);
      return;
    case 'client.connected':
      if (n.client) {
        j.set(id, n.client, 'connectedConn', ev.conn);
        j.set(id, n.client, 'sessionPresent', ev.sessionPresent);
        j.set(id, n.client, 'state', 'connected');
        if (ev.keepAliveSeconds !== undefined) j.set(id, n.client, 'keepAliveSeconds', ev.keepAliveSeconds);
      }
      return;
    case 'mqtt.recv':
      if (n.role === 'broker') applyBrokerRecv(w, j, n, ev, tMs);
      return;
    case 'mqtt.send':
      if (n.role === 'broker' && ev.packet === 'CONNACK') applyBrokerConnack(j, n, ev);
      return;
    default:
      applyTimerFire(w, j, n, ev);
      applyBrokerEvent(j, n, ev);
  }
}

/**
 * Work `forget`: a finished connection end (CLOSED, and its application holds it no more) is
 * dropped; the simulator destroys a socket once, and a destroyed socket never changes state.
 */
function forgetEnd(n: NodeWork, conn: string): void {
  n.conns.delete(conn);
}

/** timer.fire (when the simulator traces it): the timer went off and its slot is empty. */
function applyTimerFire(w: Work, j: Journal, n: NodeWork, ev: TraceFields): void {
  const e = ev as { kind: string; timer?: string; conn?: string; clientId?: string };
  if (e.kind === 'timer.fire' && e.timer !== undefined) dropTimer(w, j, n, timerKey(w, e.timer, e.conn, e.clientId), e.conn);
}

function applyBrokerRecv(w: Work, j: Journal, n: NodeWork, ev: Ev<'mqtt.recv'>, tMs: number): void {
  const id = n.id;
  if (ev.packet === 'CONNECT' && ev.clientId !== undefined) {
    // What the CONNECT asked for; it takes effect with an accepting CONNACK (below). What it
    // leaves out is the scenario's configuration (a 3.1.1 CONNECT has no Session Expiry
    // Interval: the resolved client states the equivalent).
    const cfg = w.clientById.get(ev.peer);
    j.mapSet(id, n.connects, ev.conn, {
      clientId: ev.clientId, from: ev.peer, atMs: tMs,
      keepAliveSeconds: ev.keepAliveSeconds ?? cfg?.keepAliveSeconds ?? null,
      sessionExpirySeconds: ev.sessionExpirySeconds ?? cfg?.sessionExpirySeconds ?? null,
      willTopic: ev.willTopic ?? null,
    });
  }
  const s = n.sessionByConn.get(ev.conn);
  if (s === undefined) return;
  j.set(id, s, 'lastRecvMs', tMs);
  if (ev.packet === 'SUBSCRIBE') {
    const topics = ev.topics ?? (ev.topic !== undefined ? [ev.topic] : []);
    const added = [...new Set(topics)].filter((t) => !s.subscriptions.includes(t));
    if (added.length > 0) j.set(id, s, 'subscriptions', [...s.subscriptions, ...added]);
  }
}

/** The broker's CONNACK: accepting (reason 0) binds the CONNECT's session to its connection. */
function applyBrokerConnack(j: Journal, n: NodeWork, ev: Ev<'mqtt.send'>): void {
  const id = n.id;
  const c = n.connects.get(ev.conn);
  if (c === undefined) return;
  j.mapDelete(id, n.connects, ev.conn);
  if ((ev.reasonCode ?? 0) !== 0) return;
  const s = n.sessions.get(c.clientId);
  if (s === undefined) return;
  j.set(id, s, 'fromNode', c.from);
  bindConn(j, n, s, ev.conn);
  j.set(id, s, 'status', 'connected');
  j.set(id, s, 'lastRecvMs', c.atMs);
  // MQTT 5 §3.2.2.3.14: a Server Keep Alive in the CONNACK is the keep-alive the broker uses.
  j.set(id, s, 'keepAliveSeconds', ev.serverKeepAliveSeconds ?? c.keepAliveSeconds);
  j.set(id, s, 'sessionExpirySeconds', c.sessionExpirySeconds);
  j.set(id, s, 'will', c.willTopic !== null ? { topic: c.willTopic, status: 'armed', dueMs: null, conn: ev.conn } : null);
}

/** Whether a Will event for `conn` (absent: unnamed) concerns the session's current Will. */
const ownWill = (s: BrokerSessionView, conn: string | undefined): boolean =>
  conn === undefined || s.will === null || s.will.conn === null || s.will.conn === conn;

function applyBrokerEvent(j: Journal, n: NodeWork, ev: TraceFields): void {
  const clientId = 'clientId' in ev ? ev.clientId : undefined;
  if (typeof clientId !== 'string' || n.role !== 'broker') return;
  const id = n.id;
  const s = n.sessions.get(clientId);
  switch (ev.kind) {
    // A new session starts empty ([MQTT-3.1.2-4] / MQTT 5 §3.1.2.4): its subscriptions are
    // the ones SUBSCRIBE adds from now on.
    case 'session.created':
      if (s !== undefined) bindConn(j, n, s, null);
      j.mapSet(id, n.sessions, ev.clientId, {
        clientId: ev.clientId, fromNode: '', conn: null, status: 'disconnected', keepAliveSeconds: null,
        lastRecvMs: null, sessionExpirySeconds: null, will: null, subscriptions: [],
      });
      return;
    case 'session.resumed': session(j, n, ev.clientId, ''); return;
    // A restarted broker read the session from its store (broker.persistence): disconnected,
    // with the subscriptions it had when it was saved.
    case 'session.restored':
      j.mapSet(id, n.sessions, ev.clientId, {
        clientId: ev.clientId, fromNode: '', conn: null, status: 'disconnected', keepAliveSeconds: null,
        lastRecvMs: null, sessionExpirySeconds: null, will: null, subscriptions: [...ev.subscriptions],
      });
      return;
    case 'session.discarded': if (s) j.set(id, s, 'status', 'discarded'); return;
    case 'session.expired': if (s) { j.set(id, s, 'status', 'expired'); bindConn(j, n, s, null); } return;
    case 'broker.takeover': if (s) bindConn(j, n, s, ev.newConn); return;
    case 'broker.keepalive-expired': if (s) j.set(id, s, 'lastRecvMs', ev.lastRecvMs); return;
    // A Will event names the connection whose Will it is: after a takeover or a reconnect the
    // old connection's Will is settled while the new CONNECT's Will is already armed.
    case 'will.scheduled':
      if (s?.will && ownWill(s, ev.conn)) j.set(id, s, 'will', { ...s.will, status: 'scheduled', dueMs: ev.dueMs });
      return;
    case 'will.published':
      if (ev.conn !== undefined) j.mapSet(id, n.publishedWills, ev.conn, ev.clientId);
      if (s && (s.will === null ? ev.conn === undefined : ownWill(s, ev.conn))) {
        j.set(id, s, 'will', { topic: ev.topic, status: 'published', dueMs: null, conn: s.will?.conn ?? null });
      }
      return;
    case 'will.discarded':
      if (s?.will && ownWill(s, ev.conn)) j.set(id, s, 'will', { ...s.will, status: 'discarded' });
      return;
    default:
  }
}
