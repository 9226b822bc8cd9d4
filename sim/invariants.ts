/**
 * Named whole-run invariants, checked incrementally as trace events arrive and after every
 * engine event. A broken one throws `InvariantViolation`, naming the invariant, the seed and
 * the trace event, so the run can be replayed exactly (same scenario, same seed).
 *
 * - time-monotonic: virtual time never goes back.
 * - one-live-connection-per-clientid: the broker never has two accepted MQTT connections for
 *   one ClientId ([MQTT-3.1.4-2] / [MQTT-3.1.4-3] takeover).
 * - will-once-per-connection: a Will is published at most once per network connection
 *   ([MQTT-3.1.2-10]: removed once published).
 * - segment-latency: no TCP segment is delivered sooner than its link's latency at send time.
 * - no-keepalive-deadline-after-close: the broker holds no keep-alive deadline for a
 *   connection it has closed (checked after each engine event, since a close reported by the
 *   peer reaches the broker app right after the network's conn.closed).
 *
 * The checks read the trace, so checking needs events; runScenario turns tracing on when
 * `checkInvariants` is true (the benchmark also measures with false). Without a kept trace or
 * listener the checker is the engine's only sink (`onFields`: the caller's field object,
 * possibly a reused one, so nothing here may keep it), and it declares what it reads,
 * CHECKER_READS: the engine builds only those kinds (and timer events only of those timers);
 * every other event just takes its seq. A new check that reads another kind or timer adds it
 * there; no emit site knows who reads it.
 */
import type { InvariantViolationInfo } from './run-types.ts';
import type { ResolvedLink } from './scenario/types.ts';
import type { TraceEvent } from './trace/types.ts';
import type { TraceFields } from './engine/types.ts';
import type { Kind, TimerName } from './trace/types.ts';

/** The kinds this checker reads, and the timers whose timer.* events it reads. */
export const CHECKER_READS: { readonly kinds: readonly Kind[]; readonly timers: readonly TimerName[] } = {
  kinds: [
    'seg.send', 'seg.deliver', 'seg.drop', 'action', 'mqtt.send', 'broker.takeover', 'broker.keepalive-expired',
    'conn.closed', 'host.state', 'timer.set', 'timer.clear', 'will.published',
  ],
  timers: ['broker.keepalive'],
};

export class InvariantViolation extends Error {
  readonly info: InvariantViolationInfo;
  constructor(info: InvariantViolationInfo) {
    super(`Invariant "${info.invariant}" broken after trace event #${info.eventIndex} ` +
      `(t=${info.tMs} ms, seed ${info.seed}): ${info.message}. To replay, run the same scenario ` +
      `with --seed ${info.seed} (npx halfopen run FILE --seed ${info.seed} --trace -) and read ` +
      `the trace up to seq ${info.eventIndex}.`);
    this.name = 'InvariantViolation';
    this.info = info;
  }
}

export interface InvariantChecker {
  onEvent(ev: TraceEvent): void;
  /** Same check from the event's fields, seq and time (no trace event object needed). */
  onFields(fields: TraceFields, seq: number, nowUs: number): void;
  afterEach(nowUs: number, lastSeq: number): void;
}

export function createInvariantChecker(seed: number, brokerNode: string, links: readonly ResolvedLink[]): InvariantChecker {
  let lastTMs = -Infinity;
  let lastNowUs = -Infinity;
  const liveByClientId = new Map<string, string>();
  const clientIdByConn = new Map<string, string>();
  const willConns = new Set<string>();
  /** Link latency by sender, then receiver (nested: no key string built per segment). */
  const latencyUs = new Map<string, Map<string, number>>();
  const setLatency = (from: string, to: string, us: number): void => {
    let m = latencyUs.get(from);
    if (m === undefined) latencyUs.set(from, m = new Map());
    m.set(to, us);
  };
  // Earliest allowed delivery of each segment in flight, by segment id. Ids are sequential and
  // most segments land within moments, so a direct-mapped ring holds them without hashing; a
  // segment still in flight when its slot is reused moves to the overflow map.
  const RING = 1 << 16;
  const ringId = new Float64Array(RING).fill(-1);
  const ringUs = new Float64Array(RING);
  const overflowUs = new Map<number, number>();
  const putEarliest = (id: number, us: number): void => {
    const i = id & (RING - 1);
    const old = ringId[i]!;
    if (old >= 0) overflowUs.set(old, ringUs[i]!);
    ringId[i] = id;
    ringUs[i] = us;
  };
  /** Remove and return the segment's earliest delivery time, or -1 if not tracked. */
  const takeEarliest = (id: number): number => {
    const i = id & (RING - 1);
    if (ringId[i] === id) {
      ringId[i] = -1;
      return ringUs[i]!;
    }
    if (overflowUs.size === 0) return -1;
    const us = overflowUs.get(id);
    if (us === undefined) return -1;
    overflowUs.delete(id);
    return us;
  };
  const deadlines = new Set<string>();
  let closedPending: string[] = [];
  for (const l of links) {
    const us = Math.round(l.latencyMs * 1000);
    setLatency(l.between[0], l.between[1], us);
    setLatency(l.between[1], l.between[0], us);
  }

  function fail(invariant: string, message: string, eventIndex: number, tMs: number): never {
    throw new InvariantViolation({ invariant, message, seed, eventIndex, tMs });
  }

  function endLive(conn: string): void {
    const cid = clientIdByConn.get(conn);
    if (cid === undefined) return;
    clientIdByConn.delete(conn);
    if (liveByClientId.get(cid) === conn) liveByClientId.delete(cid);
  }

  function onEvent(e: TraceEvent): void {
    check(e, e.seq, e.tMs, Math.round(e.tMs * 1000));
  }

  function onFields(fields: TraceFields, seq: number, nowUs: number): void {
    check(fields, seq, nowUs / 1000, nowUs);
  }

  /** `ev` holds the event's fields; its seq and tMs are passed separately. */
  function check(ev: TraceFields, seq: number, tMs: number, nowUs: number): void {
    if (tMs < lastTMs) {
      fail('time-monotonic', `event at ${tMs} ms follows one at ${lastTMs} ms`, seq, tMs);
    }
    lastTMs = tMs;
    switch (ev.kind) {
      case 'seg.send': {
        const lat = latencyUs.get(ev.node)?.get(ev.peer);
        if (lat !== undefined) putEarliest(ev.id, nowUs + lat);
        return;
      }
      case 'seg.deliver': {
        const id = ev.id;
        const earliest = takeEarliest(id);
        if (earliest < 0) return;
        if (nowUs < earliest) {
          fail('segment-latency', `segment ${id} from ${ev.node} to ${ev.peer} ` +
            `arrived at ${tMs} ms, before its link latency allows (${earliest / 1000} ms)`, seq, tMs);
        }
        return;
      }
      case 'seg.drop': takeEarliest(ev.id); return;
      case 'action':
        if (ev.do === 'set-link' && typeof ev.latencyMs === 'number') {
          const [a, b] = ev.link!; // set-link always names its link
          const us = Math.round(ev.latencyMs * 1000);
          setLatency(a, b, us);
          setLatency(b, a, us);
        }
        return;
      case 'mqtt.send':
        if (ev.node === brokerNode && ev.packet === 'CONNACK' && ev.reasonCode === 0 && typeof ev.clientId === 'string') {
          const conn = ev.conn;
          const other = liveByClientId.get(ev.clientId);
          if (other !== undefined && other !== conn) {
            fail('one-live-connection-per-clientid', `the broker accepted ${conn} for ClientId ` +
              `${ev.clientId} while ${other} was still live (takeover missing)`, seq, tMs);
          }
          liveByClientId.set(ev.clientId, conn);
          clientIdByConn.set(conn, ev.clientId);
        }
        return;
      case 'broker.takeover': endLive(ev.oldConn); return;
      case 'broker.keepalive-expired':
        endLive(ev.conn);
        deadlines.delete(ev.conn);
        return;
      case 'conn.closed':
        if (ev.node === brokerNode) {
          endLive(ev.conn);
          closedPending.push(ev.conn);
        }
        return;
      case 'host.state':
        if (ev.node === brokerNode && ev.state !== 'up') {
          liveByClientId.clear();
          clientIdByConn.clear();
          deadlines.clear();
        }
        return;
      // A broker keep-alive timer always names its connection (mqtt/broker/connection.ts).
      case 'timer.set':
        if (ev.timer === 'broker.keepalive' && ev.node === brokerNode) deadlines.add(ev.conn!);
        return;
      case 'timer.clear':
        if (ev.timer === 'broker.keepalive' && ev.node === brokerNode) deadlines.delete(ev.conn!);
        return;
      case 'will.published': {
        const conn = ev.conn;
        if (conn === undefined) return;
        if (willConns.has(conn)) {
          fail('will-once-per-connection', `the Will of ${ev.clientId} on ${conn} was ` +
            'published a second time', seq, tMs);
        }
        willConns.add(conn);
        return;
      }
      default:
        return;
    }
  }

  function afterEach(nowUs: number, lastSeq: number): void {
    if (nowUs < lastNowUs) fail('time-monotonic', `engine time went from ${lastNowUs} µs back to ${nowUs} µs`, lastSeq, nowUs / 1000);
    lastNowUs = nowUs;
    if (closedPending.length === 0) return;
    const pending = closedPending;
    closedPending = [];
    for (const conn of pending) {
      if (deadlines.has(conn)) {
        fail('no-keepalive-deadline-after-close', `the broker still has a keep-alive deadline for ` +
          `${conn}, which it has closed`, lastSeq, nowUs / 1000);
      }
    }
  }

  return { onEvent, onFields, afterEach };
}
