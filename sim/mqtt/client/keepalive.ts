/**
 * Client-side keep-alive, per library profile (behaviour.md §6). One engine timer slot per
 * client; what it means depends on the profile's model:
 *
 * - `reschedule-ticks` (MQTT.js ≥ 5.6 KeepaliveManager): an interval of ceil(K·1000/2) ms is
 *   restarted by every reschedule (CONNACK, PINGRESP and received acks; sends do not). Tick 2
 *   (K after the reschedule) sends PINGREQ, tick 3 (1.5 K) is 'Keepalive timeout'.
 * - `idle-check` (Paho Python `_check_keepalive` on its ~1 s loop): PINGREQ once K has passed
 *   since the last packet sent or received; if that holds again with the ping outstanding
 *   (i.e. K after the PINGREQ without PINGRESP) the client closes.
 *
 * The client's obligation itself is [MQTT-3.1.2-23] (3.1.1) / [MQTT-3.1.2-20] (5.0); the
 * give-up rule is the library's reading of "a reasonable amount of time" (§3.1.2.10).
 */
import type { Timer } from '../../engine/types.ts';
import type { ClientKeepAliveModel } from '../../profiles/client-profiles.ts';

export interface KeepAliveState {
  model: ClientKeepAliveModel;
  timer: Timer;
  kUs: number;
  /** MQTT.js: time of the last reschedule; half interval. */
  rescheduledUs: number;
  halfUs: number;
  pingSent: boolean;
  /** Paho: last packet out / in, and loop tick grid origin. */
  lastOutUs: number;
  lastInUs: number;
  originUs: number;
}

export function createKeepAlive(model: ClientKeepAliveModel, timer: Timer, originUs: number): KeepAliveState {
  return {
    model, timer, kUs: 0, rescheduledUs: 0, halfUs: 0, pingSent: false,
    lastOutUs: 0, lastInUs: 0, originUs,
  };
}

/** Start after CONNACK with K in force (K = 0: no keep-alive). Returns the next due or null. */
export function startKeepAlive(ka: KeepAliveState, kSeconds: number, nowUs: number, connectSentUs: number): number | null {
  ka.kUs = kSeconds * 1_000_000;
  ka.pingSent = false;
  if (kSeconds === 0) { ka.timer.clear(); return null; }
  if (ka.model.kind === 'reschedule-ticks') {
    ka.halfUs = Math.ceil((kSeconds * 1000) / 2) * 1000;
    return reschedule(ka, nowUs);
  }
  ka.lastOutUs = connectSentUs;
  ka.lastInUs = nowUs;
  return armIdleCheck(ka);
}

/** MQTT.js reschedule(): counter back to 0, next PINGREQ two ticks from now. */
export function reschedule(ka: KeepAliveState, nowUs: number): number {
  ka.rescheduledUs = nowUs;
  ka.pingSent = false;
  const due = nowUs + 2 * ka.halfUs;
  ka.timer.set(due);
  return due;
}

/** Does a received packet reschedule MQTT.js's pings? */
export function reschedulesOn(ka: KeepAliveState, cmd: string): boolean {
  return ka.model.kind === 'reschedule-ticks' && ka.model.rescheduledBy.includes(cmd);
}

function loopTick(ka: KeepAliveState): number {
  return ka.model.kind === 'idle-check' ? ka.model.loopTickUs : 1_000_000;
}

/** Paho: arm the check for the first loop tick at or after min(lastOut, lastIn) + K. */
function armIdleCheck(ka: KeepAliveState): number {
  const base = ka.lastOutUs < ka.lastInUs ? ka.lastOutUs : ka.lastInUs;
  const due = ceilToTick(base + ka.kUs, ka.originUs, loopTick(ka));
  ka.timer.set(due);
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
    ka.timer.set(due);
    PING.nextDueUs = due;
    return PING;
  }
  const base = ka.lastOutUs < ka.lastInUs ? ka.lastOutUs : ka.lastInUs;
  if (nowUs - base < ka.kUs) {
    REARM.nextDueUs = armIdleCheck(ka);
    return REARM;
  }
  if (ka.pingSent) return GIVE_UP;
  ka.pingSent = true;
  ka.lastOutUs = nowUs;
  ka.lastInUs = nowUs;
  PING.nextDueUs = armIdleCheck(ka);
  return PING;
}

/** Paho bookkeeping of traffic (MQTT.js ignores sends). */
export function notePacketOut(ka: KeepAliveState, nowUs: number): void { ka.lastOutUs = nowUs; }
export function notePacketIn(ka: KeepAliveState, nowUs: number, cmd: string): void {
  ka.lastInUs = nowUs;
  if (cmd === 'pingresp' && ka.model.kind === 'idle-check') ka.pingSent = false;
}
