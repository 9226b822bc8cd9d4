/**
 * Client-side keep-alive, per library profile (behaviour.md §6). One engine timer slot per
 * client; what it means depends on the profile's model:
 *
 * - `reschedule-ticks` (MQTT.js ≥ 5.6 KeepaliveManager): an interval of ceil(K·1000/2) ms is
 *   restarted by every reschedule (CONNACK, PINGRESP and received acks; sends do not). Tick 2
 *   (K after the reschedule) sends PINGREQ, tick 3 (1.5 K) is 'Keepalive timeout'.
 * - `idle-check` (Paho Python loop_forever: select() with a 1 s timeout, then loop_misc →
 *   _check_keepalive): PINGREQ once K has passed since the last packet sent or received; the
 *   client closes when that holds again with the ping outstanding, or K after the PINGREQ
 *   without PINGRESP (loop_misc's `_ping_t` check, which also fires while other traffic flows).
 *   The checks run when the loop wakes: on every packet in or out, and 1 s after the last wake,
 *   so their 1 s grid restarts at each packet (the model re-arms its timer on each one).
 *
 * The client's obligation itself is [MQTT-3.1.2-23] (3.1.1) / [MQTT-3.1.2-20] (5.0); the
 * give-up rule is the library's reading of "a reasonable amount of time" (§3.1.2.10).
 */
import type { TracedTimer } from '../../engine/types.ts';
import type { ClientKeepAliveModel } from '../../profiles/client-profiles.ts';

export interface KeepAliveState {
  model: ClientKeepAliveModel;
  /**
   * One slot, traced as `client.ping` until a PINGREQ is out, then `client.pingresp` (arm()),
   * on the connection `conn`.
   */
  timer: TracedTimer;
  conn: string | null;
  kUs: number;
  /** MQTT.js: time of the last reschedule; half interval. */
  rescheduledUs: number;
  halfUs: number;
  pingSent: boolean;
  /** Paho: last packet out / in, when the PINGREQ went (`_ping_t`), and the network loop's last wake-up. */
  lastOutUs: number;
  lastInUs: number;
  pingSentUs: number;
  originUs: number;
  /** Paho: the check timer runs (connected with K > 0); traffic then re-arms it. */
  running: boolean;
}

export function createKeepAlive(model: ClientKeepAliveModel, timer: TracedTimer): KeepAliveState {
  return {
    model, timer, conn: null, kUs: 0, rescheduledUs: 0, halfUs: 0, pingSent: false,
    lastOutUs: 0, lastInUs: 0, pingSentUs: 0, originUs: 0, running: false,
  };
}

/**
 * Start after CONNACK with K in force (K = 0: no keep-alive). Returns the next due or null.
 * `pingIntervalMs` (scenario extension, firmware that pings at its own interval): the library's
 * timing runs on that period instead of K, whatever K the CONNECT declared; false: never pings.
 */
export function startKeepAlive(
  ka: KeepAliveState, kSeconds: number, nowUs: number, connectSentUs: number, pingIntervalMs: number | false | null = null,
): number | null {
  const periodMs = pingIntervalMs === false ? 0 : pingIntervalMs ?? kSeconds * 1000;
  ka.kUs = periodMs * 1000;
  ka.pingSent = false;
  ka.running = false;
  if (periodMs === 0) { ka.timer.clear(); return null; }
  if (ka.model.kind === 'reschedule-ticks') {
    ka.halfUs = Math.ceil(periodMs / 2) * 1000;
    return reschedule(ka, nowUs);
  }
  ka.lastOutUs = connectSentUs;
  ka.lastInUs = nowUs;
  ka.originUs = nowUs; // the CONNACK woke the loop
  ka.running = true;
  return armIdleCheck(ka);
}

/** The connection ended (or the process, `why`): Paho's checks stop with it. */
export function stopKeepAlive(ka: KeepAliveState, why?: string): void {
  ka.running = false;
  ka.timer.clear(why);
}

/** Arm the slot under the name the trace gives it now. */
function arm(ka: KeepAliveState, due: number): void {
  ka.timer.set(due, ka.pingSent ? 'client.pingresp' : 'client.ping', ka.conn);
}

/** MQTT.js reschedule(): counter back to 0, next PINGREQ two ticks from now. */
export function reschedule(ka: KeepAliveState, nowUs: number): number {
  ka.rescheduledUs = nowUs;
  ka.pingSent = false;
  const due = nowUs + 2 * ka.halfUs;
  arm(ka, due);
  return due;
}

/** Does a received packet reschedule MQTT.js's pings? */
export function reschedulesOn(ka: KeepAliveState, cmd: string): boolean {
  return ka.model.kind === 'reschedule-ticks' && ka.model.rescheduledBy.includes(cmd);
}

function loopTick(ka: KeepAliveState): number {
  return ka.model.kind === 'idle-check' ? ka.model.loopTickUs : 1_000_000;
}

/**
 * Paho: arm the check for the first loop wake-up (1 s steps from the last one) at or after
 * min(lastOut, lastIn) + K, or K after an unanswered PINGREQ if that comes first.
 */
function armIdleCheck(ka: KeepAliveState): number {
  let deadline = (ka.lastOutUs < ka.lastInUs ? ka.lastOutUs : ka.lastInUs) + ka.kUs;
  if (ka.pingSent && ka.pingSentUs + ka.kUs < deadline) deadline = ka.pingSentUs + ka.kUs;
  const due = ceilToTick(deadline, ka.originUs, loopTick(ka));
  arm(ka, due);
  return due;
}

export function ceilToTick(t: number, originUs: number, tickUs: number): number {
  const n = Math.ceil((t - originUs) / tickUs);
  return originUs + (n < 0 ? 0 : n) * tickUs;
}

export type KeepAliveAction =
  | { kind: 'ping'; nextDueUs: number }
  | { kind: 'give-up' }
  | { kind: 'rearm'; nextDueUs: number };

// Answers are shared objects (one ping per client per K, so no allocation per ping): read
// the returned action at once, before the next call.
const GIVE_UP: KeepAliveAction = Object.freeze({ kind: 'give-up' });
const PING: { kind: 'ping'; nextDueUs: number } = { kind: 'ping', nextDueUs: 0 };
const REARM: { kind: 'rearm'; nextDueUs: number } = { kind: 'rearm', nextDueUs: 0 };

/** The keep-alive timer fired: what the library does now (a shared object: read it at once). */
export function onKeepAliveTimer(ka: KeepAliveState, nowUs: number): KeepAliveAction {
  if (ka.model.kind === 'reschedule-ticks') {
    if (ka.pingSent) return GIVE_UP;
    ka.pingSent = true;
    const due = ka.rescheduledUs + 3 * ka.halfUs;
    arm(ka, due);
    PING.nextDueUs = due;
    return PING;
  }
  ka.originUs = nowUs; // the loop's own 1 s timeout woke it
  if (ka.pingSent && nowUs - ka.pingSentUs >= ka.kUs) return GIVE_UP; // loop_misc: _ping_t
  const base = ka.lastOutUs < ka.lastInUs ? ka.lastOutUs : ka.lastInUs;
  if (nowUs - base < ka.kUs) {
    REARM.nextDueUs = armIdleCheck(ka);
    return REARM;
  }
  if (ka.pingSent) return GIVE_UP; // _check_keepalive with a ping outstanding
  ka.pingSent = true;
  ka.pingSentUs = nowUs;
  ka.lastOutUs = nowUs;
  ka.lastInUs = nowUs;
  PING.nextDueUs = armIdleCheck(ka);
  return PING;
}

/**
 * Paho bookkeeping of traffic (MQTT.js ignores sends). A packet wakes Paho's loop, which
 * restarts its 1 s grid: the pending check moves. Returns the check's new due time when it
 * moved (for the trace), else null.
 */
export function notePacketOut(ka: KeepAliveState, nowUs: number): number | null {
  ka.lastOutUs = nowUs;
  return ka.model.kind === 'idle-check' ? wake(ka, nowUs) : null;
}
export function notePacketIn(ka: KeepAliveState, nowUs: number, cmd: string): number | null {
  ka.lastInUs = nowUs;
  if (ka.model.kind !== 'idle-check') return null;
  if (cmd === 'pingresp') ka.pingSent = false;
  return wake(ka, nowUs);
}

function wake(ka: KeepAliveState, nowUs: number): number | null {
  ka.originUs = nowUs;
  if (!ka.running) return null;
  const before = ka.timer.due;
  const due = armIdleCheck(ka);
  return due === before ? null : due;
}

/**
 * Paho, not yet connected: its loop closes the socket once K has passed since the attempt
 * began (reconnect() sets _last_msg_in then), checked on the 1 s grid that starts when the
 * CONNECT was written. Returns when.
 */
export function connackCheckDue(ka: KeepAliveState, attemptStartUs: number, connectSentUs: number, kSeconds: number): number {
  return ceilToTick(attemptStartUs + kSeconds * 1_000_000, connectSentUs, loopTick(ka));
}
