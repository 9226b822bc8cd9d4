/**
 * The fleet aggregator: from the trace, event by event, the numbers an operator of thousands
 * of devices looks at. Each event costs O(1) (a broker losing power costs its connected
 * sessions), so it can run beside the simulator (RunOptions.onEvent) without keeping the
 * trace, or over a stored trace.
 *
 * Two levels are tracked, and their difference is the dashboard's lie:
 * - believed: ClientIds whose session the broker holds bound to an open connection. A CONNACK
 *   accepting a CONNECT puts a ClientId online; the broker's end of that connection closing
 *   (keep-alive expiry, FIN, RST, its host going down) takes it offline. The same rule as the
 *   world reducer's session `status: 'connected'` (sim/world/apply.ts), tested against it.
 * - alive: devices whose host is up and that have sent CONNECT on a connection whose two ends
 *   are both open (conn.open without conn.closed on the client and on the broker), broker up.
 *   Counting from the CONNECT (not the CONNACK) keeps the lie from flickering positive for the
 *   CONNACK's trip while a device connects: the device is there before the broker says so.
 *
 * Nothing here re-derives a simulator rule: every change is an event the simulator emitted.
 */
import type { ResolvedScenario } from '../scenario/types.ts';
import type { TraceEvent, TraceFields } from '../trace/types.ts';
import { COUNTER_ROWS, rowsByKind, type CounterRow } from './counters.ts';
import { memberIds, type FleetGroup } from './groups.ts';
import { SynTable } from './syn-table.ts';
import { percentileSorted, spread } from './percentile.ts';
import type { FleetPhase, FleetReport, FleetSeries } from './types.ts';

export interface FleetOptions {
  /** Where the run ends (default: the scenario's durationMs). */
  endMs?: number;
  /** Bucket width; default 1 s, widened in whole seconds so a run has at most 3,600 buckets. */
  bucketMs?: number;
  /** The scenario's client groups (groups.ts fleetGroups): names phases by group. */
  groups?: FleetGroup[];
  /** Counted kinds (default COUNTER_ROWS). */
  rows?: readonly CounterRow[];
  /**
   * Keep the per-group levels over time (series.groupBelieved / groupAlive; default true).
   * They take groups × buckets × 8 bytes: without groups every device is a group of its own,
   * so 100,000 devices over an hour would take 2.9 GB. A reader that never looks at them
   * (the CLI's human summary) turns them off: they are then empty, nothing else changes.
   */
  groupSeries?: boolean;
}

export const MAX_BUCKETS = 3600;

export function defaultBucketMs(endMs: number): number {
  return 1000 * Math.max(1, Math.ceil(endMs / 1000 / MAX_BUCKETS));
}

interface PhaseWork extends Omit<FleetPhase, 'reconnections' | 'counts'> {
  counts: number[];
  reconnectMs: number[];
  nodes: string[];
}

/** Every kind `FleetAggregator.wants` can take (an engine `kinds` filter for runs that build nothing else). */
export const FLEET_KINDS: readonly string[] = [...new Set([
  'action', 'host.state', 'conn.open', 'conn.closed', 'client.connected', 'seg.send', 'seg.deliver', 'seg.drop',
  'mqtt.recv', 'mqtt.send', ...COUNTER_ROWS.flatMap((r) => r.kinds),
])];

/** Whether a seg.send's flags text names SYN ("SYN", "SYN,ACK"), remembered per text (a handful). */
const synText = new Map<string, boolean>();
function hasSyn(flags: string): boolean {
  let v = synText.get(flags);
  if (v === undefined) { v = flags.split(',').includes('SYN'); if (synText.size < 64) synText.set(flags, v); }
  return v;
}

export class FleetAggregator {
  private readonly rows: readonly CounterRow[];
  private readonly byKind: ReturnType<typeof rowsByKind>;
  private readonly endMs: number;
  private readonly bucketMs: number;
  private readonly n: number;
  private readonly series: FleetSeries;
  private readonly brokerId: string;
  private readonly index = new Map<string, number>();
  private readonly groups: FleetGroup[];
  private readonly groupOf: Int32Array;

  // Devices (by index in resolved.clients).
  private readonly hostUp: Uint8Array;
  private readonly isAlive: Uint8Array;
  private readonly everConnected: Uint8Array;
  private readonly clientConn: (string | null)[];
  private brokerUp = true;
  /** conn → device index (from the client's end). */
  private readonly connClient = new Map<string, number>();
  /** Broker ends open. */
  private readonly brokerOpen = new Set<string>();
  /** Broker: conn → ClientId of the CONNECT received on it. */
  private readonly brokerConnId = new Map<string, string>();
  /** Broker: ClientId → the connection its session is bound to (online). */
  private readonly online = new Map<string, string>();
  /** Client: conn → when its CONNECT was sent. */
  private readonly connectSentMs = new Map<string, number>();
  private readonly synFlags = new SynTable();
  private readonly ctx = { flagsOf: (id: number) => this.synFlags.get(id) };

  private believed = 0;
  private alive = 0;
  /** ClientId → device index (the first device with it), for the per-group levels. */
  private readonly byClientId = new Map<string, number>();
  private readonly groupBelieved: Int32Array;
  private readonly groupAlive: Int32Array;
  /** Whether series.groupBelieved / groupAlive are kept (FleetOptions.groupSeries). */
  private readonly perGroup: boolean;
  private bucket = 0;
  private bucketConnack: number[] = [];
  private readonly allConnack: number[] = [];
  private readonly totals: number[];
  private readonly phases: PhaseWork[] = [];
  private phase: PhaseWork;
  private maxLie = 0;
  private maxLieAtMs = 0;
  private finished: FleetReport | null = null;

  constructor(scenario: ResolvedScenario, opts: FleetOptions = {}) {
    this.rows = opts.rows ?? COUNTER_ROWS;
    this.byKind = rowsByKind(this.rows);
    this.endMs = opts.endMs ?? scenario.durationMs;
    this.bucketMs = opts.bucketMs ?? defaultBucketMs(this.endMs);
    this.n = Math.max(1, Math.ceil(this.endMs / this.bucketMs));
    this.brokerId = scenario.broker.id;
    const d = scenario.clients.length;
    scenario.clients.forEach((c, i) => { this.index.set(c.id, i); if (!this.byClientId.has(c.clientId)) this.byClientId.set(c.clientId, i); });
    this.hostUp = new Uint8Array(d).fill(1);
    this.isAlive = new Uint8Array(d);
    this.everConnected = new Uint8Array(d);
    this.clientConn = new Array<string | null>(d).fill(null);
    this.groupOf = new Int32Array(d).fill(-1);
    this.groups = opts.groups ?? scenario.clients.map((c) => ({ id: c.id, count: 1, grouped: false }));
    this.groups.forEach((g, gi) => {
      for (const id of memberIds(g, g.grouped)) { const i = this.index.get(id); if (i !== undefined) this.groupOf[i] = gi; }
    });
    this.groupBelieved = new Int32Array(this.groups.length);
    this.groupAlive = new Int32Array(this.groups.length);
    this.perGroup = opts.groupSeries ?? true;
    const perGroupLength = this.perGroup ? this.groups.length * this.n : 0;
    const nan = (): Float64Array => new Float64Array(this.n).fill(Number.NaN);
    const counters: Record<string, Int32Array> = {};
    for (const r of this.rows) counters[r.key] = new Int32Array(this.n);
    this.series = {
      bucketMs: this.bucketMs, buckets: this.n,
      believed: new Int32Array(this.n), alive: new Int32Array(this.n),
      connects: new Int32Array(this.n), disconnects: new Int32Array(this.n), counters,
      connackP50: nan(), connackP99: nan(), connackMax: nan(),
      groupBelieved: new Int32Array(perGroupLength), groupAlive: new Int32Array(perGroupLength),
    };
    this.totals = this.rows.map(() => 0);
    this.phase = this.newPhase(0, 'start', 0);
  }

  /**
   * Whether `add` would do anything with an event of these fields: a caller that builds event
   * objects only on demand (the CLI, engine onFields) asks first and skips the rest, most of
   * the trace (timers, TCP states, data segments, pings). Kept beside `apply`, which it mirrors.
   */
  wants(f: { kind: string; flags?: unknown; id?: unknown; packet?: unknown }): boolean {
    switch (f.kind) {
      case 'action': case 'host.state': case 'conn.open': case 'conn.closed': case 'client.connected': case 'seg.drop':
        return true;
      case 'seg.send': return typeof f.flags === 'string' && hasSyn(f.flags);
      case 'seg.deliver': return typeof f.id === 'number' && this.synFlags.has(f.id);
      case 'mqtt.recv': case 'mqtt.send': return f.packet === 'CONNECT' || f.packet === 'CONNACK';
      default: return this.byKind.has(f.kind);
    }
  }

  /** Feed the next trace event (in trace order). */
  add(ev: TraceEvent): void {
    this.addFields(ev, ev.tMs);
  }

  /**
   * Feed the next event as its fields and time (the engine's lent fields, RunOptions.onFields,
   * when `wants` says yes): no event object needed. Nothing of `ev` is kept past the call but
   * its strings and numbers.
   */
  addFields(ev: Readonly<TraceFields>, tMs: number): void {
    this.advance(tMs);
    if (ev.kind === 'action') this.onAction(ev, tMs);
    const rows = this.byKind.get(ev.kind);
    if (rows !== undefined) {
      const b = this.bucketOf(tMs);
      for (const { index, row } of rows) {
        if (row.test !== undefined && !row.test(ev, this.ctx)) continue;
        this.series.counters[row.key]![b]!++;
        this.totals[index]!++;
        this.phase.counts[index]!++;
      }
    }
    this.apply(ev, tMs);
  }

  private apply(ev: Readonly<TraceFields>, tMs: number): void {
    switch (ev.kind) {
      case 'seg.send': if (hasSyn(ev.flags)) this.synFlags.set(ev.id, ev.flags); return;
      case 'seg.deliver': case 'seg.drop': this.synFlags.delete(ev.id); return;
      case 'host.state': {
        if (ev.node === this.brokerId) { this.brokerState(ev.state === 'up', tMs); return; }
        const i = this.index.get(ev.node);
        if (i === undefined) return;
        this.hostUp[i] = ev.state === 'up' ? 1 : 0;
        if (ev.state !== 'up') this.clientConn[i] = null;
        this.recheck(i, tMs);
        return;
      }
      case 'conn.open':
        if (ev.node === this.brokerId) { this.brokerOpen.add(ev.conn); this.recheckConn(ev.conn, tMs); }
        else { const i = this.index.get(ev.node); if (i !== undefined) this.connClient.set(ev.conn, i); }
        return;
      case 'conn.closed':
        if (ev.node === this.brokerId) {
          this.brokerOpen.delete(ev.conn);
          const id = this.brokerConnId.get(ev.conn);
          this.brokerConnId.delete(ev.conn);
          if (id !== undefined && this.online.get(id) === ev.conn) this.setOffline(id, tMs);
          this.recheckConn(ev.conn, tMs);
        } else {
          const i = this.index.get(ev.node);
          if (i === undefined) return;
          if (this.clientConn[i] === ev.conn) { this.clientConn[i] = null; this.recheck(i, tMs); }
          // Most closes in a storm are refused attempts that sent no CONNECT: no lookup then.
          if (this.connectSentMs.size > 0) this.connectSentMs.delete(ev.conn);
        }
        return;
      case 'client.connected': {
        const i = this.index.get(ev.node);
        if (i === undefined) return;
        if (this.everConnected[i]) this.phase.reconnectMs.push(tMs);
        else { this.phase.firstConnections++; this.everConnected[i] = 1; }
        this.recheck(i, tMs);
        return;
      }
      case 'mqtt.recv':
        if (ev.node === this.brokerId) {
          if (ev.packet === 'CONNECT' && ev.clientId !== undefined) this.brokerConnId.set(ev.conn, ev.clientId);
        } else if (ev.packet === 'CONNACK') {
          const t0 = this.connectSentMs.get(ev.conn);
          if (t0 !== undefined) {
            this.connectSentMs.delete(ev.conn);
            // Times are whole µs written in ms; their difference in binary floating point is
            // not (28185.05 came out as 28185.050000000047 in the summary): back to whole µs.
            const ms = Math.round((tMs - t0) * 1000) / 1000;
            this.bucketConnack.push(ms);
            this.allConnack.push(ms);
          }
        }
        return;
      case 'mqtt.send':
        if (ev.node === this.brokerId) {
          if (ev.packet === 'CONNACK' && (ev.reasonCode ?? 0) === 0) {
            const id = this.brokerConnId.get(ev.conn);
            if (id !== undefined) this.setOnline(id, ev.conn, tMs);
          }
        } else if (ev.packet === 'CONNECT') {
          this.connectSentMs.set(ev.conn, tMs);
          const i = this.index.get(ev.node);
          if (i !== undefined) { this.connClient.set(ev.conn, i); this.clientConn[i] = ev.conn; this.recheck(i, tMs); }
        }
        return;
      default:
    }
  }

  private setOnline(id: string, conn: string, tMs: number): void {
    if (!this.online.has(id)) { this.believed++; this.groupAdd(this.groupBelieved, id, 1); this.series.connects[this.bucketOf(tMs)]!++; this.phase.connects++; }
    this.online.set(id, conn);
    this.lie(tMs);
  }

  private setOffline(id: string, tMs: number): void {
    this.online.delete(id);
    this.believed--;
    this.groupAdd(this.groupBelieved, id, -1);
    this.series.disconnects[this.bucketOf(tMs)]!++;
    this.phase.disconnects++;
    this.lie(tMs);
  }

  private brokerState(up: boolean, tMs: number): void {
    this.brokerUp = up;
    if (up) return;
    // Its sessions live in memory only (behaviour.md): they are gone with its host.
    for (const id of [...this.online.keys()]) this.setOffline(id, tMs);
    this.brokerOpen.clear();
    this.brokerConnId.clear();
    for (let i = 0; i < this.isAlive.length; i++) if (this.isAlive[i]) this.recheck(i, tMs);
  }

  private recheckConn(conn: string, tMs: number): void {
    const i = this.connClient.get(conn);
    if (i !== undefined) this.recheck(i, tMs);
  }

  private recheck(i: number, tMs: number): void {
    const c = this.clientConn[i]!;
    const now = this.hostUp[i] === 1 && this.brokerUp && c !== null && this.brokerOpen.has(c) ? 1 : 0;
    if (now === this.isAlive[i]) return;
    this.isAlive[i] = now;
    this.alive += now ? 1 : -1;
    const g = this.groupOf[i]!;
    if (g >= 0) this.groupAlive[g]! += now ? 1 : -1;
    this.lie(tMs);
  }

  private groupAdd(levels: Int32Array, clientId: string, by: number): void {
    const i = this.byClientId.get(clientId);
    const g = i === undefined ? -1 : this.groupOf[i]!;
    if (g >= 0) levels[g]! += by;
  }

  private lie(tMs: number): void {
    const l = this.believed - this.alive;
    if (l > this.phase.maxLie) { this.phase.maxLie = l; this.phase.maxLieAtMs = tMs; }
    if (l > this.maxLie) { this.maxLie = l; this.maxLieAtMs = tMs; }
  }

  private bucketOf(tMs: number): number {
    return Math.min(this.n - 1, Math.max(0, Math.floor(tMs / this.bucketMs)));
  }

  /** Close every bucket that ends at or before tMs. */
  private advance(tMs: number): void {
    const to = this.bucketOf(tMs);
    while (this.bucket < to) this.closeBucket();
  }

  private closeBucket(): void {
    const b = this.bucket;
    const s = this.series;
    s.believed[b] = this.believed;
    s.alive[b] = this.alive;
    for (let g = 0, n = this.perGroup ? this.groups.length : 0; g < n; g++) {
      s.groupBelieved[g * this.n + b] = this.groupBelieved[g]!;
      s.groupAlive[g * this.n + b] = this.groupAlive[g]!;
    }
    if (this.bucketConnack.length > 0) {
      const sorted = Float64Array.from(this.bucketConnack).sort();
      s.connackP50[b] = percentileSorted(sorted, 50)!;
      s.connackP99[b] = percentileSorted(sorted, 99)!;
      s.connackMax[b] = sorted[sorted.length - 1]!;
      this.bucketConnack = [];
    }
    this.bucket++;
  }

  private onAction(ev: Readonly<Extract<TraceFields, { kind: 'action' }>>, tMs: number): void {
    const p = this.phase;
    // A group's action is one action event per member, at one instant: one phase.
    if (p.index > 0 && p.atMs === tMs && p.action === ev.do) { p.actionEvents++; if (ev.node !== undefined) p.nodes.push(ev.node); return; }
    this.closePhase(tMs);
    this.phase = this.newPhase(this.phases.length, ev.do, tMs);
    this.phase.actionEvents = 1;
    if (ev.node !== undefined) this.phase.nodes.push(ev.node);
    else if (ev.link !== undefined) this.phase.target = `link ${ev.link[0]} ↔ ${ev.link[1]}`;
  }

  private newPhase(index: number, action: string, atMs: number): PhaseWork {
    return {
      index, atMs, untilMs: this.endMs, action, target: '', actionEvents: 0,
      counts: this.rows.map(() => 0), connects: 0, disconnects: 0, firstConnections: 0, reconnectMs: [], nodes: [],
      believedAtStart: this.believed, aliveAtStart: this.alive, believedAtEnd: 0, aliveAtEnd: 0,
      maxLie: this.believed - this.alive, maxLieAtMs: atMs,
    };
  }

  private closePhase(untilMs: number): void {
    const p = this.phase;
    p.untilMs = untilMs;
    p.believedAtEnd = this.believed;
    p.aliveAtEnd = this.alive;
    if (p.nodes.length > 0) p.target = this.targetWords(p.nodes);
    this.phases.push(p);
  }

  /** "meter (500 devices)" when the nodes are exactly one group; else names, or a count. */
  private targetWords(nodes: string[]): string {
    const gis = new Set<number>();
    for (const id of nodes) gis.add(this.index.has(id) ? this.groupOf[this.index.get(id)!]! : -1);
    if (gis.size === 1) {
      const gi = [...gis][0]!;
      const g = gi >= 0 ? this.groups[gi] : undefined;
      if (g !== undefined && g.grouped && g.count === nodes.length) return `${g.id} (${g.count} devices)`;
    }
    return nodes.length <= 3 ? nodes.join(', ') : `${nodes.slice(0, 3).join(', ')} and ${nodes.length - 3} more`;
  }

  /** Ends the run: closes the last buckets and phase. Idempotent. */
  finish(): FleetReport {
    if (this.finished) return this.finished;
    while (this.bucket < this.n) this.closeBucket();
    this.closePhase(this.endMs);
    const rec = (counts: number[]): Record<string, number> => Object.fromEntries(this.rows.map((r, i) => [r.key, counts[i]!]));
    const phases: FleetPhase[] = this.phases.map(({ reconnectMs, nodes: _n, counts, ...p }) => ({
      ...p, counts: rec(counts), reconnections: spread(reconnectMs),
    }));
    const all = Float64Array.from(this.allConnack).sort();
    this.finished = {
      devices: this.index.size,
      groups: this.groups.map((g) => ({ id: g.id, count: g.count })),
      endMs: this.endMs, series: this.series, phases, totals: rec(this.totals),
      connack: { count: all.length, p50: percentileSorted(all, 50), p99: percentileSorted(all, 99), max: all.length > 0 ? all[all.length - 1]! : null },
      maxLie: this.maxLie, maxLieAtMs: this.maxLieAtMs,
    };
    return this.finished;
  }
}

/** The report of a whole stored trace. */
export function fleetReport(scenario: ResolvedScenario, trace: Iterable<TraceEvent>, opts: FleetOptions = {}): FleetReport {
  const a = new FleetAggregator(scenario, opts);
  for (const ev of trace) a.add(ev);
  return a.finish();
}
