/**
 * The world as the Inspector and the Topology show it at the cursor: a pure reducer over the
 * trace events 0..cursorSeq, seeded with the resolved scenario (what each client was
 * configured with: keep-alive, Will, Session Expiry...). Nothing here simulates: every change
 * comes from a trace event. Timers come from timer.set, and end at their timer.clear (the trace
 * clears every timer a power-off or crash forgets) or timer.fire (so a timer due exactly at the
 * cursor's instant is shown until the trace says it went off). Remaining time = dueMs − cursorMs
 * (virtual time).
 *
 * For speed, `stateAt` keeps a few checkpoints per trace (a trace is immutable once computed)
 * and replays from the nearest one, so moving the cursor during playback costs a few events.
 */
import type {
  CloseCause, ResolvedScenario, TcpStateName, TimerName, TraceEvent, WillSpec,
} from '../../sim/index.ts';

export interface ConnView {
  conn: string; peer: string; tcpState: TcpStateName;
  /** conn.open seen and no conn.closed yet: the application still uses it. */
  open: boolean;
  closedCause: CloseCause | null;
}

export interface TimerView {
  timer: TimerName; dueMs: number; setMs: number; remainingMs: number;
  conn: string | null; clientId: string | null;
}

export interface ClientMqttView {
  /**
   * Keep-alive in force: the configured one until a CONNACK; then the one `client.connected`
   * reports (an MQTT 5 Server Keep Alive replaces the client's value, MQTT 5 §3.2.2.3.14).
   */
  clientId: string; protocol: string; library: string; keepAliveSeconds: number;
  cleanStart: boolean; sessionExpirySeconds: number;
  will: Required<WillSpec> | null;
  subscriptions: { topic: string; qos: number }[];
  /** Last client.state seen ("connecting", "connected", ...), or "idle". */
  state: string;
  connectedConn: string | null;
  sessionPresent: boolean | null;
}

export type WillStatus = 'none' | 'armed' | 'scheduled' | 'published' | 'discarded';

export interface BrokerSessionView {
  clientId: string;
  /** Node the session's last CONNECT came from. */
  fromNode: string;
  conn: string | null;
  status: 'connected' | 'disconnected' | 'expired' | 'discarded';
  /** The CONNECT's keep-alive, or the CONNACK's Server Keep Alive when the broker sent one. */
  keepAliveSeconds: number | null;
  lastRecvMs: number | null;
  sessionExpirySeconds: number | null;
  /** The Will of the session's latest CONNECT; `conn` is the connection that CONNECT came on. */
  will: { topic: string; status: WillStatus; dueMs: number | null; conn: string | null } | null;
  subscriptions: string[];
}

export interface NodeView {
  id: string;
  role: 'broker' | 'client';
  host: 'up' | 'off' | 'crashed';
  conns: ConnView[];
  timers: TimerView[];
  client: ClientMqttView | null;
  sessions: BrokerSessionView[];
}

export interface LinkView {
  /** [client, broker]. */
  between: [string, string];
  latencyMs: number; jitterMs: number; loss: number;
  /** Segments client → broker are dropped. */
  cutUp: boolean;
  /** Segments broker → client are dropped. */
  cutDown: boolean;
}

export interface WorldView {
  cursorMs: number;
  cursorSeq: number;
  nodes: Record<string, NodeView>;
  links: LinkView[];
}

interface TimerRec {
  timer: TimerName; dueMs: number; setMs: number; conn: string | null; clientId: string | null;
  /** seq of the timer.set (not shown). */
  setSeq: number;
}

/** Mutable working state (never escapes: `snapshot` copies it). */
interface Work {
  nodes: Map<string, {
    id: string; role: 'broker' | 'client'; host: 'up' | 'off' | 'crashed';
    conns: Map<string, ConnView>; timers: Map<string, TimerRec>;
    client: ClientMqttView | null; sessions: Map<string, BrokerSessionView>;
  }>;
  links: LinkView[];
  scenario: ResolvedScenario;
}

function initial(s: ResolvedScenario): Work {
  const nodes: Work['nodes'] = new Map();
  nodes.set(s.broker.id, {
    id: s.broker.id, role: 'broker', host: 'up', conns: new Map(), timers: new Map(),
    client: null, sessions: new Map(),
  });
  for (const c of s.clients) {
    nodes.set(c.id, {
      id: c.id, role: 'client', host: 'up', conns: new Map(), timers: new Map(),
      client: {
        clientId: c.clientId, protocol: c.protocol, library: c.library,
        keepAliveSeconds: c.keepAliveSeconds, cleanStart: c.cleanStart,
        sessionExpirySeconds: c.sessionExpirySeconds, will: c.will,
        subscriptions: c.subscriptions.map((x) => ({ topic: x.topic, qos: x.qos })),
        state: 'idle', connectedConn: null, sessionPresent: null,
      },
      sessions: new Map(),
    });
  }
  const links = s.links.map((l) => ({
    between: [l.between[0], l.between[1]] as [string, string],
    latencyMs: l.latencyMs, jitterMs: l.jitterMs, loss: l.loss, cutUp: false, cutDown: false,
  }));
  return { nodes, links, scenario: s };
}

function clone(w: Work): Work {
  const nodes: Work['nodes'] = new Map();
  for (const [id, n] of w.nodes) {
    const sessions = new Map<string, BrokerSessionView>();
    for (const [k, v] of n.sessions) {
      sessions.set(k, { ...v, will: v.will && { ...v.will }, subscriptions: [...v.subscriptions] });
    }
    const conns = new Map<string, ConnView>();
    for (const [k, v] of n.conns) conns.set(k, { ...v });
    nodes.set(id, {
      ...n, conns, timers: new Map(n.timers), sessions,
      client: n.client && { ...n.client, subscriptions: [...n.client.subscriptions] },
    });
  }
  return { nodes, links: w.links.map((l) => ({ ...l })), scenario: w.scenario };
}

const timerKey = (t: string, conn: unknown, clientId: unknown): string =>
  `${t}|${typeof conn === 'string' ? conn : ''}|${typeof clientId === 'string' ? clientId : ''}`;

function linkFor(w: Work, pair: unknown): { link: LinkView; forward: boolean } | null {
  if (!Array.isArray(pair) || pair.length !== 2) return null;
  const [a, b] = pair as [string, string];
  for (const link of w.links) {
    if (link.between[0] === a && link.between[1] === b) return { link, forward: true };
    if (link.between[0] === b && link.between[1] === a) return { link, forward: false };
  }
  return null;
}

function applyAction(w: Work, e: Readonly<Record<string, unknown>>): void {
  const found = linkFor(w, e['link']);
  if (!found) return;
  const { link, forward } = found;
  const dir = (e['direction'] as string | undefined) ?? 'both';
  // 'a->b' is from the first name of the action's pair to the second.
  const up = dir === 'both' || (dir === 'a->b') === forward;
  const down = dir === 'both' || (dir === 'b->a') === forward;
  if (e['do'] === 'cut') { if (up) link.cutUp = true; if (down) link.cutDown = true; }
  if (e['do'] === 'heal') { if (up) link.cutUp = false; if (down) link.cutDown = false; }
  if (e['do'] === 'set-link') {
    if (typeof e['latencyMs'] === 'number') link.latencyMs = e['latencyMs'];
    if (typeof e['jitterMs'] === 'number') link.jitterMs = e['jitterMs'];
    if (typeof e['loss'] === 'number') link.loss = e['loss'];
  }
}

function session(n: ReturnType<Work['nodes']['get']> & object, clientId: string, from: string): BrokerSessionView {
  let s = n.sessions.get(clientId);
  if (!s) {
    s = {
      clientId, fromNode: from, conn: null, status: 'disconnected', keepAliveSeconds: null,
      lastRecvMs: null, sessionExpirySeconds: null, will: null, subscriptions: [],
    };
    n.sessions.set(clientId, s);
  }
  return s;
}

/** Applies one trace event to the working state. */
function apply(w: Work, ev: TraceEvent): void {
  const e: Readonly<Record<string, unknown>> = ev;
  if (ev.kind === 'action') { applyAction(w, e); return; }
  const n = w.nodes.get(e['node'] as string);
  if (!n) return;
  switch (ev.kind) {
    case 'host.state':
      n.host = ev.state;
      if (ev.state !== 'up') {
        // Power loss forgets every connection (its timers ended with timer.clear events).
        if (ev.state === 'off') n.conns.clear();
        // The simulated broker keeps sessions, retained messages and pending Wills in memory
        // only: it comes back empty (behaviour.md), so its sessions are gone, not disconnected.
        if (n.role === 'broker') n.sessions.clear();
        if (n.client) { n.client.connectedConn = null; n.client.state = ev.state; }
      } else if (n.client) n.client.state = 'idle';
      return;
    case 'tcp.state': {
      const c = n.conns.get(ev.conn);
      if (c) c.tcpState = ev.to;
      else n.conns.set(ev.conn, { conn: ev.conn, peer: ev.peer, tcpState: ev.to, open: false, closedCause: null });
      return;
    }
    case 'conn.open': {
      const c = n.conns.get(ev.conn);
      if (c) c.open = true;
      else n.conns.set(ev.conn, { conn: ev.conn, peer: ev.peer, tcpState: 'ESTABLISHED', open: true, closedCause: null });
      return;
    }
    case 'conn.closed': {
      const c = n.conns.get(ev.conn);
      if (c) { c.open = false; c.closedCause = ev.cause; }
      if (n.client && n.client.connectedConn === ev.conn) n.client.connectedConn = null;
      for (const s of n.sessions.values()) {
        if (s.conn === ev.conn) { s.conn = null; if (s.status === 'connected') s.status = 'disconnected'; }
      }
      return;
    }
    case 'timer.set':
      n.timers.set(timerKey(ev.timer, ev.conn, ev.clientId), {
        timer: ev.timer, dueMs: ev.dueMs, setMs: ev.tMs, conn: ev.conn ?? null, clientId: ev.clientId ?? null,
        setSeq: ev.seq,
      });
      return;
    case 'timer.clear': case 'timer.fire':
      n.timers.delete(timerKey(ev.timer, ev.conn, ev.clientId));
      return;
    case 'client.state':
      if (n.client) n.client.state = ev.state;
      return;
    case 'client.connected':
      if (n.client) {
        n.client.connectedConn = ev.conn; n.client.sessionPresent = ev.sessionPresent; n.client.state = 'connected';
        if (ev.keepAliveSeconds !== undefined) n.client.keepAliveSeconds = ev.keepAliveSeconds;
      }
      return;
    case 'mqtt.recv':
      if (n.role === 'broker') applyBrokerRecv(w, n, ev);
      return;
    case 'mqtt.send': {
      // MQTT 5 §3.2.2.3.14: a Server Keep Alive in the CONNACK is the keep-alive the broker uses.
      const ska = e['serverKeepAliveSeconds'];
      if (n.role === 'broker' && ev.packet === 'CONNACK' && typeof ska === 'number') {
        for (const s of n.sessions.values()) if (s.conn === ev.conn) s.keepAliveSeconds = ska;
      }
      return;
    }
    default:
      applyBrokerEvent(n, ev);
  }
}

type WorkNode = NonNullable<ReturnType<Work['nodes']['get']>>;

function applyBrokerRecv(w: Work, n: WorkNode, ev: TraceEvent & { kind: 'mqtt.recv' }): void {
  if (ev.packet === 'CONNECT' && ev.clientId !== undefined) {
    const s = session(n, ev.clientId, ev.peer);
    const cfg = w.scenario.clients.find((c) => c.id === ev.peer);
    s.fromNode = ev.peer;
    s.conn = ev.conn;
    s.status = 'connected';
    s.keepAliveSeconds = ev.keepAliveSeconds ?? cfg?.keepAliveSeconds ?? null;
    s.sessionExpirySeconds = cfg ? cfg.sessionExpirySeconds : null;
    s.will = cfg?.will ? { topic: cfg.will.topic, status: 'armed', dueMs: null, conn: ev.conn } : null;
    if (ev.cleanStart ?? cfg?.cleanStart) s.subscriptions = [];
  }
  for (const s of n.sessions.values()) if (s.conn === ev.conn) s.lastRecvMs = ev.tMs;
  if (ev.packet === 'SUBSCRIBE' && ev.topic !== undefined) {
    for (const s of n.sessions.values()) {
      if (s.conn === ev.conn && !s.subscriptions.includes(ev.topic)) s.subscriptions.push(ev.topic);
    }
  }
}

/** Whether a Will event for `conn` (absent: unnamed) concerns the session's current Will. */
const ownWill = (s: BrokerSessionView, conn: string | undefined): boolean =>
  conn === undefined || s.will === null || s.will.conn === null || s.will.conn === conn;

function applyBrokerEvent(n: WorkNode, ev: TraceEvent): void {
  const clientId = 'clientId' in ev ? ev.clientId : undefined;
  if (typeof clientId !== 'string' || n.role !== 'broker') return;
  const s = n.sessions.get(clientId);
  switch (ev.kind) {
    case 'session.created': case 'session.resumed':
      session(n, ev.clientId, '').status = 'connected';
      return;
    case 'session.discarded': if (s) s.status = 'discarded'; return;
    case 'session.expired': if (s) { s.status = 'expired'; s.conn = null; } return;
    case 'broker.takeover': if (s) s.conn = ev.newConn; return;
    case 'broker.keepalive-expired': if (s) s.lastRecvMs = ev.lastRecvMs; return;
    // A Will event names the connection whose Will it is: after a takeover or a reconnect the
    // old connection's Will is settled while the new CONNECT's Will is already armed.
    case 'will.scheduled': if (s?.will && ownWill(s, ev.conn)) { s.will.status = 'scheduled'; s.will.dueMs = ev.dueMs; } return;
    case 'will.published':
      if (s && (s.will === null ? ev.conn === undefined : ownWill(s, ev.conn))) {
        s.will = { topic: ev.topic, status: 'published', dueMs: null, conn: s.will?.conn ?? null };
      }
      return;
    case 'will.discarded': if (s?.will && ownWill(s, ev.conn)) s.will.status = 'discarded'; return;
    default:
  }
}

function snapshot(w: Work, trace: readonly TraceEvent[], cursorSeq: number, cursorMs: number): WorldView {
  const nodes: Record<string, NodeView> = {};
  for (const [id, n] of w.nodes) {
    const timers: TimerView[] = [];
    for (const t of n.timers.values()) {
      if (t.dueMs < cursorMs) continue; // the cursor is past its due time (its timer.fire comes later in the trace)
      const { setSeq: _setSeq, ...view } = t;
      timers.push({ ...view, remainingMs: t.dueMs - cursorMs });
    }
    timers.sort((a, b) => a.dueMs - b.dueMs);
    nodes[id] = {
      id, role: n.role, host: n.host,
      conns: [...n.conns.values()].map((c) => ({ ...c })),
      timers,
      client: n.client && { ...n.client, subscriptions: [...n.client.subscriptions] },
      sessions: [...n.sessions.values()].map((s) => ({ ...s, will: s.will && { ...s.will }, subscriptions: [...s.subscriptions] })),
    };
  }
  return { cursorMs, cursorSeq, nodes, links: w.links.map((l) => ({ ...l })) };
}

const CHECKPOINT_EVERY = 2000;
/** `scenario` null: checkpoints built by the worker, adopted on first use (installCheckpoints). */
const cache = new WeakMap<readonly TraceEvent[], { scenario: ResolvedScenario | null; checkpoints: Work[] }>();

/** The state after events 0 .. k*CHECKPOINT_EVERY - 1, for each k (opaque outside this file). */
export type StateCheckpoint = Work;

/** checkpoints[k] gets the state after events 0 .. k*CHECKPOINT_EVERY - 1, up to `last`. */
function extend(trace: readonly TraceEvent[], cps: Work[], last: number): void {
  while (cps.length * CHECKPOINT_EVERY <= last + 1) {
    const k = cps.length;
    const w = clone(cps[k - 1]!);
    for (let i = (k - 1) * CHECKPOINT_EVERY; i < k * CHECKPOINT_EVERY; i++) apply(w, trace[i]!);
    cps.push(w);
  }
}

/**
 * Every checkpoint of a trace, built ahead (by the worker, app/worker/derived.ts), so that
 * the first cursor position after a re-run does not replay thousands of events on the UI
 * thread.
 */
export function buildCheckpoints(trace: readonly TraceEvent[], scenario: ResolvedScenario): StateCheckpoint[] {
  const cps = [initial(scenario)];
  extend(trace, cps, trace.length - 1);
  return cps;
}

/**
 * UI thread: uses `checkpoints` (from buildCheckpoints on the same trace and an equal
 * resolved scenario, in the worker) for `trace`. They take on the scenario object stateAt is
 * first called with, so later calls find them as if built here.
 */
export function installCheckpoints(trace: readonly TraceEvent[], checkpoints: StateCheckpoint[]): void {
  if (checkpoints.length > 0) cache.set(trace, { scenario: null, checkpoints });
}

/**
 * The world after events 0..cursorSeq (cursorSeq = -1: before the first event), with timers
 * counted down to cursorMs. Pure: same inputs, same output; the cache only saves work.
 */
export function stateAt(
  trace: readonly TraceEvent[], scenario: ResolvedScenario, cursorSeq: number, cursorMs: number,
): WorldView {
  let entry = cache.get(trace);
  if (entry && entry.scenario === null) {
    entry.scenario = scenario;
    for (const w of entry.checkpoints) w.scenario = scenario;
  }
  if (!entry || entry.scenario !== scenario) {
    entry = { scenario, checkpoints: [initial(scenario)] };
    cache.set(trace, entry);
  }
  const last = Math.min(cursorSeq, trace.length - 1);
  const cps = entry.checkpoints;
  extend(trace, cps, last);
  const k = Math.floor((last + 1) / CHECKPOINT_EVERY);
  const w = clone(cps[k]!);
  for (let i = k * CHECKPOINT_EVERY; i <= last; i++) apply(w, trace[i]!);
  return snapshot(w, trace, last, cursorMs);
}
