/**
 * Client timing policies from the library profile (behaviour.md §6): how long to wait for
 * CONNACK and how long to wait before the next connection attempt.
 */
import type { ClientProfile } from '../../profiles/client-profiles.ts';
import type { ResolvedClient } from '../../scenario/types.ts';

/** Time from the start of a connection attempt until the client gives up on CONNACK, or null. */
export function connectTimeoutUs(p: ClientProfile, keepAliveSeconds: number): number | null {
  const t = p.connectTimeout.value;
  if (t.kind === 'fixed') return t.ms * 1000;
  return keepAliveSeconds > 0 ? keepAliveSeconds * 1_000_000 : null;
}

/**
 * Delay before reconnecting, in ms, or null for "never". The scenario's `reconnect` wins
 * (false = never, { delayMs } = fixed); else the profile: MQTT.js a fixed 1000 ms, Paho
 * doubling from 1 s to 120 s per consecutive failed attempt.
 */
export function reconnectDelayMs(
  p: ClientProfile, override: ResolvedClient['reconnect'], failures: number,
): number | null {
  if (override === false) return null;
  if (override !== null) return override.delayMs;
  const r = p.reconnect.value;
  if (r.kind === 'fixed') return r.delayMs;
  let d = r.minMs;
  for (let i = 0; i < failures && d < r.maxMs; i++) d *= 2;
  return d > r.maxMs ? r.maxMs : d;
}
