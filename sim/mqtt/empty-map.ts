/**
 * One empty Map shared by every client and broker session that has nothing in it yet: a fleet
 * of 100,000 devices that publish at QoS 0 and subscribe to nothing would otherwise hold five
 * empty Maps per device (a client's unacknowledged messages, its held QoS 2 messages and their
 * origins, a session's subscriptions and in-flight messages), ~180 bytes each, ~90 MB in all.
 * Reads see an empty Map; a writer first takes its own (`own`), and a write to the shared one
 * throws (a bug, not a state).
 */
class SharedEmpty extends Map<never, never> {
  override set(): never { throw new Error('a write to the shared empty Map: take own() first'); }
}
const SHARED_EMPTY = new SharedEmpty();

/** The shared empty Map, typed as the caller's. */
export function emptyMap<K, V>(): Map<K, V> {
  return SHARED_EMPTY as unknown as Map<K, V>;
}

/** `m` itself, or a new Map of its own when `m` is the shared empty one. */
export function own<K, V>(m: Map<K, V>): Map<K, V> {
  return m === (SHARED_EMPTY as unknown) ? new Map<K, V>() : m;
}
