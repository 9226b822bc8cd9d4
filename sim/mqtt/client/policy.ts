/**
 * Client timing policies from the library profile (behaviour.md §6): how long to wait for
 * CONNACK and how long to wait before the next connection attempt.
 */
import type { ClientProfile } from '../../profiles/client-profiles.ts';
import type { ResolvedClient } from '../../scenario/types.ts';
import type { Rng } from '../../engine/types.ts';

/**
 * Time from the start of a connection attempt (the SYN) until the client gives up, or null:
 * the socket's own connect timeout where the library has one (then the CONNACK wait is armed
 * when CONNECT goes out), else the library's CONNACK timeout.
 */
export function connectTimeoutUs(p: ClientProfile, keepAliveSeconds: number): number | null {
  const socket = p.socketConnectTimeout.value;
  if (socket !== null) return socket.ms * 1000;
  const t = p.connectTimeout.value;
  if (t.kind === 'fixed') return t.ms * 1000;
  return keepAliveSeconds > 0 ? keepAliveSeconds * 1_000_000 : null;
}

/**
 * Delay before reconnecting, in ms, or null for "never". The scenario's `reconnect` wins
 * (false = never; else its own policy, reconnectPolicyDelayMs); else the profile: MQTT.js a
 * fixed 1000 ms, Paho doubling from 1 s to 120 s with every wait since the last accepted
 * CONNACK (`waits` = how many came before this one; Paho's _reconnect_wait starts at
 * min_delay when _reconnect_delay is None, as it is at start and after a CONNACK, then
 * doubles). Neither library adds jitter. `rng` is drawn from only when the policy has jitter.
 */
export function reconnectDelayMs(
  p: ClientProfile, override: ResolvedClient['reconnect'], waits: number, rng: () => Rng,
): number | null {
  if (override === false) return null;
  if (override !== null) return reconnectPolicyDelayMs(override, waits, rng);
  const r = p.reconnect.value;
  if (r.kind === 'fixed') return r.delayMs;
  let d = r.minMs;
  for (let i = 0; i < waits && d < r.maxMs; i++) d *= 2;
  return d > r.maxMs ? r.maxMs : d;
}

/**
 * A scenario's reconnect policy: delayMs × backoff^waits (each step floored to whole ms, no
 * pow), capped at maxDelayMs; then jitter j takes away a uniform random whole number of ms
 * from 0 to floor(d × j), so the wait lies in [d × (1 − j), d] (j = 1: "full jitter", anywhere
 * from 0 to d). Never below 1 ms: a reconnect is always a new event.
 */
export function reconnectPolicyDelayMs(
  r: Exclude<ResolvedClient['reconnect'], false | null>, waits: number, rng: () => Rng,
): number {
  let d = r.delayMs;
  for (let i = 0; i < waits && d < r.maxDelayMs; i++) d = Math.floor(d * r.backoff);
  if (d > r.maxDelayMs) d = r.maxDelayMs;
  if (r.jitter > 0) {
    const span = Math.floor(d * r.jitter);
    if (span > 0) d -= rng().intInclusive(0, span);
  }
  return d < 1 ? 1 : d;
}
