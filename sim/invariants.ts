/**
 * Named whole-run invariants, checked incrementally as trace events arrive and after every
 * engine event. A broken one throws `InvariantViolation`, naming the invariant, the seed and
 * the trace event, so the run can be replayed exactly (same scenario, same seed).
 *
 * The checker keeps no state of its own: it runs the world reducer (sim/world/apply.ts, the
 * one interpreter of the trace) forward and reads the world it holds just before and after
 * each event. Which connection a session is bound to, which timers are armed, what a link's
 * latency is, which segments are in flight: the world says, so no rule of the simulator is
 * written here a second time.
 *
 * - time-monotonic: virtual time never goes back.
 * - one-live-connection-per-clientid: the broker never accepts (CONNACK 0) a connection for a
 *   ClientId whose session is still bound to another connection ([MQTT-3.1.4-2] /
 *   [MQTT-3.1.4-3] takeover).
 * - will-once-per-connection: a Will is published at most once per network connection
 *   ([MQTT-3.1.2-10]: removed once published).
 * - segment-latency: no TCP segment is delivered sooner than its link's latency at send time.
 * - no-keepalive-deadline-after-close: the broker holds no keep-alive deadline for a
 *   connection it has closed (checked after each engine event, since a close reported by the
 *   peer reaches the broker app right after the network's conn.closed). Not for a close its
 *   kernel saw while the process was stopped (`pause`): the broker learns of it only when it
 *   continues, and checks keep-alive first (mqtt/broker/processor.ts).
 *
 * The checks read the trace, so checking needs events; runScenario turns tracing on when
 * `checkInvariants` is true (the benchmark also measures with false). Without a kept trace or
 * listener the checker is the engine's only sink (`onFields`: the caller's field object,
 * possibly a reused one, so nothing here may keep it, and the reducer keeps none), and it
 * declares what it reads, CHECKER_READS: the kinds that change what its checks read (not the
 * connection ends' TCP states nor the clients' own views: UNREAD_KINDS), and of the timer
 * events only those of the timers it reads, so its world holds only those timers (the most
 * frequent events, TCP and client timers, are never built). A check that reads another timer
 * adds it there, one that reads ends or client views takes their kinds out of UNREAD_KINDS;
 * no emit site knows who reads it. Its world forgets what no check can name again (Work
 * `forget`, sim/world/apply.ts), so a reconnect storm's hundreds of thousands of dead
 * connections do not stay in it.
 */
import type { InvariantViolationInfo } from './run-types.ts';
import type { ResolvedScenario } from './scenario/types.ts';
import type { TraceEvent } from './trace/types.ts';
import type { TraceFields } from './engine/types.ts';
import type { Kind, TimerName } from './trace/types.ts';
import { TRACE_SCHEMA } from './trace/schema.ts';
import { applyEvent, initialWork, type Work } from './world/apply.ts';
import { Journal } from './world/journal.ts';

/** The timers whose timer.* events the checker's world holds. */
const CHECKED_TIMERS: readonly TimerName[] = ['broker.keepalive'];

/**
 * Kinds whose every change to the world is to connection ends (`conns`: tcp.state, conn.open)
 * or a client's own view (`client`: client.state, client.connected), or to nothing
 * (tcp.listen-overflow, client.gave-up): no check reads those parts, so its world holds
 * neither and the engine builds none of these events for it (a reconnect storm's most frequent
 * after segments and timers: 1.8 M tcp.state, 1.4 M client.state and 0.56 M listen-queue
 * overflows for 10,000 devices). conn.closed stays: the broker's unbinds its session and
 * starts no-keepalive-deadline-after-close. test/world/forget.test.ts compares what the checks
 * read of this world with the full world's.
 */
const UNREAD_KINDS: readonly Kind[] = ['tcp.state', 'conn.open', 'client.state', 'client.connected', 'tcp.listen-overflow', 'client.gave-up'];

const unread: Readonly<Record<string, boolean>> = Object.assign(
  Object.create(null) as Record<string, boolean>, Object.fromEntries(UNREAD_KINDS.map((k) => [k, true])),
);

/** The kinds this checker reads, and the timers whose timer.* events it reads. */
export const CHECKER_READS: {
  readonly kinds: readonly Kind[]; readonly timers: readonly TimerName[]; readonly packets: boolean; readonly brokerPacketsOnly: boolean;
} = {
  kinds: (Object.keys(TRACE_SCHEMA) as Kind[]).filter((k) => !UNREAD_KINDS.includes(k)),
  timers: CHECKED_TIMERS,
  // Which MQTT packets a segment carries (seg.send `packets`): no check reads it, so TCP
  // keeps no map for it when the checker is the only reader.
  packets: false,
  // Of mqtt.send / mqtt.recv only the broker's: the world takes nothing from a client's
  // (world/apply.ts: its state comes from client.* events), so those are not built for it.
  brokerPacketsOnly: true,
};

/**
 * What the checker's world (initialWork(s, { forget: true })) takes of an event: only the
 * kinds and timers it reads, whoever the sink (a full trace hands it every event: onEvent).
 */
const checkedTimer: Readonly<Record<string, boolean>> = Object.assign(
  Object.create(null) as Record<string, boolean>, Object.fromEntries(CHECKED_TIMERS.map((t) => [t, true])),
);
/**
 * Kinds whose change to the checker's world is the broker's only: a client's conn.closed names
 * a connection end and a client view its world does not hold (conn.open, client.connected are
 * UNREAD_KINDS), so it changes nothing there (test/world/forget.test.ts).
 */
const BROKER_ONLY_KINDS: readonly Kind[] = ['conn.closed'];

/** 1: a kind the world does not take; 2: a timer event; 4: the broker's only. One lookup per event. */
const kindRoute: Readonly<Record<string, number>> = Object.assign(
  Object.create(null) as Record<string, number>,
  Object.fromEntries(Object.keys(TRACE_SCHEMA).map((k) => [k,
    (unread[k] === true ? 1 : 0) | (k.startsWith('timer.') ? 2 : 0) | (BROKER_ONLY_KINDS.includes(k as Kind) ? 4 : 0)])),
);

export function applyAsChecker(work: Work, journal: Journal, ev: TraceFields, tMs: number): void {
  const r = kindRoute[ev.kind]!;
  if ((r & 1) !== 0) return;
  if ((r & 4) !== 0 && (ev as { node: string }).node !== work.scenario.broker.id) return;
  if ((r & 2) !== 0 && checkedTimer[(ev as { timer: string }).timer] !== true) {
    // A timer it reads, moved under a name it does not read: for its world, that timer ended.
    if (ev.kind === 'timer.set' && ev.replaces !== undefined && checkedTimer[ev.replaces] === true) {
      applyEvent(work, journal, { kind: 'timer.clear', node: ev.node, timer: ev.replaces, conn: ev.conn, clientId: ev.clientId }, tMs);
    }
    return;
  }
  applyEvent(work, journal, ev, tMs);
}

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

export function createInvariantChecker(seed: number, scenario: ResolvedScenario): InvariantChecker {
  let lastTMs = -Infinity;
  let lastNowUs = -Infinity;
  const work = initialWork(scenario, { forget: true });
  const journal = new Journal(() => {}, false);
  const broker = work.nodes.get(scenario.broker.id)!;
  const arrivals = work.arrivals!;
  const brokerNode = broker.id;
  /** Connections the broker closed during the current engine event (checked after it). */
  let closedPending: string[] = [];
  /** The broker process is stopped (`pause` until `resume`, or until it is gone). */

  function fail(invariant: string, message: string, eventIndex: number, tMs: number): never {
    throw new InvariantViolation({ invariant, message, seed, eventIndex, tMs });
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
    // The world before the event, where a check needs it.
    switch (ev.kind) {
      case 'seg.send':
        // The hottest kinds (every segment of a run): straight to the world's arrival table.
        applyEvent(work, journal, ev, tMs);
        return;
      case 'seg.deliver': {
        const earliestUs = arrivals.get(ev.id);
        arrivals.delete(ev.id);
        if (earliestUs === undefined || earliestUs < 0) return;
        if (nowUs < earliestUs) {
          fail('segment-latency', `segment ${ev.id} from ${ev.node} to ${ev.peer} ` +
            `arrived at ${tMs} ms, before its link latency allows (${earliestUs / 1000} ms)`, seq, tMs);
        }
        return;
      }
      case 'seg.drop':
        arrivals.delete(ev.id);
        return;
      case 'mqtt.send':
        if (ev.node === brokerNode && ev.packet === 'CONNACK' && ev.reasonCode === 0 && typeof ev.clientId === 'string') {
          const s = broker.sessions.get(ev.clientId);
          if (s !== undefined && s.status === 'connected' && s.conn !== null && s.conn !== ev.conn) {
            fail('one-live-connection-per-clientid', `the broker accepted ${ev.conn} for ClientId ` +
              `${ev.clientId} while ${s.conn} was still live (takeover missing)`, seq, tMs);
          }
        }
        break;
      case 'will.published':
        // Any connection's, not only the session's latest: an old connection's Will published
        // again after its client reconnected is as wrong as a second one for the live connection.
        if (ev.conn !== undefined && broker.publishedWills.has(ev.conn)) {
          fail('will-once-per-connection', `the Will of ${ev.clientId} on ${ev.conn} was ` +
            'published a second time', seq, tMs);
        }
        break;
      case 'conn.closed':
        // A broker stopped by SIGSTOP learns of the close only at resume (sim/world `paused`).
        if (ev.node === brokerNode && !broker.paused) closedPending.push(ev.conn);
        break;
      default:
    }
    applyAsChecker(work, journal, ev, tMs);
  }

  function afterEach(nowUs: number, lastSeq: number): void {
    if (nowUs < lastNowUs) fail('time-monotonic', `engine time went from ${lastNowUs} µs back to ${nowUs} µs`, lastSeq, nowUs / 1000);
    lastNowUs = nowUs;
    if (closedPending.length === 0) return;
    const pending = closedPending;
    closedPending = [];
    for (const conn of pending) {
      // The broker's armed timers naming the connection: only keep-alive deadlines here.
      if ((broker.armedByConn.get(conn) ?? 0) > 0) {
        fail('no-keepalive-deadline-after-close', `the broker still has a keep-alive deadline for ` +
          `${conn}, which it has closed`, lastSeq, nowUs / 1000);
      }
    }
  }

  return { onEvent, onFields, afterEach };
}
