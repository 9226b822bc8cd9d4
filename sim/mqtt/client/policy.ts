/**
 * Client timing policies from the library profile (behaviour.md §6): how long to wait for
 * CONNACK and how long to wait before the next connection attempt.
 */
import type { ClientProfile } from '../../profiles/client-profiles.ts';
import type { ResolvedClient } from '../../scenario/types.ts';

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
 * (false = never, { delayMs } = fixed); else the profile: MQTT.js a fixed 1000 ms, Paho
 * doubling from 1 s to 120 s with every wait since the last accepted CONNACK (`waits` = how
 * many came before this one; Paho's _reconnect_wait starts at min_delay when _reconnect_delay
 * is None, as it is at start and after a CONNACK, then doubles).
 */
export function reconnectDelayMs(
  p: ClientProfile, override: ResolvedClient['reconnect'], waits: number,
): number | null {
  if (override === false) return null;
  if (override !== null) return override.delayMs;
  const r = p.reconnect.value;
  if (r.kind === 'fixed') return r.delayMs;
  let d = r.minMs;
  for (let i = 0; i < waits && d < r.maxMs; i++) d *= 2;
  return d > r.maxMs ? r.maxMs : d;
}
