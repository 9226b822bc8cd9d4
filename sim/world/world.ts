/**
 * The world reducer: from the resolved scenario and the trace, the state of every node,
 * connection end, session, Will, timer, link and segment in flight after any event index.
 *
 * Nothing here simulates and nothing is guessed: every change comes from one trace event
 * (apply.ts), seeded with what the resolved scenario configured. The simulator says in the
 * trace what ended when a host lost power or a process crashed (timer.clear, conn.closed,
 * tcp.state), when a timer went off (timer.fire), which MQTT packets a segment carries
 * (seg.send `packets`) and which connection a Will belongs to (will.* `conn`), so no rule of
 * the simulator is written here a second time.
 *
 * Moving: every change goes through an undo journal (journal.ts), so `seek(k)` costs the
 * changes of the events between the old and the new position, in either direction, whatever
 * the number of nodes. `view()` copies only the nodes that changed since the last view.
 */
import type { ResolvedScenario } from '../scenario/types.ts';
import type { TraceEvent } from '../trace/types.ts';
import { Journal } from './journal.ts';
import { applyEvent, initialWork, type Work } from './apply.ts';
import type { ConnPairView, FlightView, NodeView, WorldView } from './types.ts';

export class World {
  private readonly work: Work;
  private readonly journal: Journal;
  /** marks[i]: journal length before event i was applied (i < position). */
  private readonly marks: number[] = [];
  private position = 0;
  private dirty = new Set<string>();
  private nodeViews = new Map<string, NodeView>();
  private lastView: WorldView | null = null;

  constructor(readonly scenario: ResolvedScenario, readonly trace: readonly TraceEvent[]) {
    this.journal = new Journal((owner) => { this.dirty.add(owner); });
    this.work = initialWork(scenario);
    for (const id of this.work.nodes.keys()) this.dirty.add(id);
    this.dirty.add('#links');
  }

  /** Index of the last applied event (-1: none). */
  get seq(): number { return this.position - 1; }

  /** Apply or undo events until events 0..seq are applied (seq = -1: none). */
  seek(seq: number): void {
    const target = Math.max(0, Math.min(seq + 1, this.trace.length));
    if (target < this.position) {
      this.journal.rewind(this.marks[target]!);
      this.marks.length = target;
      this.position = target;
      return;
    }
    while (this.position < target) {
      this.marks.push(this.journal.length);
      const ev = this.trace[this.position]!;
      applyEvent(this.work, this.journal, ev, ev.tMs);
      this.position++;
    }
  }

  /** A snapshot after events 0..seq, timers counted down to cursorMs (virtual ms). */
  view(cursorMs: number): WorldView {
    const cursorSeq = this.position - 1;
    const prev = this.lastView;
    if (prev !== null && this.dirty.size === 0 && prev.cursorMs === cursorMs && prev.cursorSeq === cursorSeq) return prev;
    const nodes: Record<string, NodeView> = {};
    for (const [id, n] of this.work.nodes) {
      let v = this.nodeViews.get(id);
      if (v === undefined || this.dirty.has(id) || (prev !== null && prev.cursorMs !== cursorMs && n.timers.size > 0)) {
        v = nodeView(n, cursorMs);
        this.nodeViews.set(id, v);
      }
      nodes[id] = v;
    }
    const links = prev !== null && !this.dirty.has('#links') ? prev.links : this.work.links.map((l) => ({ ...l }));
    const flights: FlightView[] = [];
    for (const f of this.work.flights.values()) flights.push({ ...f, packets: [...f.packets] });
    const view: WorldView = { cursorMs, cursorSeq, nodes, links, flights, pairs: pairsOf(this.work, nodes) };
    this.dirty.clear();
    this.lastView = view;
    return view;
  }
}

function nodeView(n: Work['nodes'] extends Map<string, infer N> ? N : never, cursorMs: number): NodeView {
  const timers = [];
  for (const t of n.timers.values()) {
    // A timer due before the cursor's instant has gone off (timer.fire) or been cleared; one due
    // exactly at it is still shown until its timer.fire event is applied.
    if (t.dueMs < cursorMs) continue;
    timers.push({ timer: t.timer, dueMs: t.dueMs, setMs: t.setMs, remainingMs: t.dueMs - cursorMs, conn: t.conn, clientId: t.clientId });
  }
  timers.sort((a, b) => a.dueMs - b.dueMs);
  return {
    id: n.id, role: n.role, host: n.host, paused: n.paused,
    conns: [...n.conns.values()].map((c) => ({ ...c })),
    timers,
    client: n.client && { ...n.client, subscriptions: [...n.client.subscriptions] },
    sessions: [...n.sessions.values()].map((s) => ({ ...s, will: s.will && { ...s.will }, subscriptions: [...s.subscriptions] })),
  };
}

/** Each connection seen from both ends; see ConnPairView for half-open and closing. */
function pairsOf(w: Work, nodes: Record<string, NodeView>): ConnPairView[] {
  const ends = new Map<string, { node: string; believes: boolean }[]>();
  for (const n of Object.values(nodes)) {
    for (const c of n.conns) {
      let e = ends.get(c.conn);
      if (e === undefined) ends.set(c.conn, e = []);
      e.push({ node: n.id, believes: believes(n.host, c) });
    }
  }
  const out: ConnPairView[] = [];
  for (const [conn, e] of ends) {
    if (e[0] === undefined || e[1] === undefined) continue;
    const [a, b] = e[0].node === w.scenario.broker.id ? [e[1], e[0]] : [e[0], e[1]];
    const believer = a.believes !== b.believes ? (a.believes ? a.node : b.node) : null;
    let closing = false;
    if (believer !== null) {
      for (const f of w.flights.values()) {
        if (f.conn === conn && f.to === believer && closingFlags(f.flags)) { closing = true; break; }
      }
    }
    out.push({ conn, ends: [a.node, b.node], halfOpen: believer !== null && !closing, closing, believer });
  }
  return out;
}

/** An end believes its connection is open: host up, application attached, ESTABLISHED. */
export const believes = (host: NodeView['host'], c: { open: boolean; tcpState: string }): boolean =>
  host === 'up' && c.open && c.tcpState === 'ESTABLISHED';

/** Whether a seg.send `flags` text ("FIN,ACK", "RST", tcp/segment.ts flagText) carries FIN or RST. */
export const closingFlags = (flags: string): boolean => flags.includes('FIN') || flags.includes('RST');

/**
 * The world after events 0..seq of `trace`, counted down to cursorMs, for a one-off look: a
 * new World each call, costing the events up to seq. A reader that moves a cursor holds its
 * own World (`new World(scenario, trace)`, then `seek` and `view`: the cost of the events in
 * between), as the app's store does (app/model/worldView.ts); this module keeps nothing.
 */
export function worldAt(trace: readonly TraceEvent[], scenario: ResolvedScenario, seq: number, cursorMs: number): WorldView {
  const w = new World(scenario, trace);
  w.seek(seq);
  return w.view(cursorMs);
}

export type { FlightView };
