/**
 * An empty Map that refuses writes, shared where most owners never hold anything: a link
 * without NAT has no flows (net/link.ts), a client node in the world holds no broker state
 * (world/apply.ts), and a quiet device's client and session keep no unacknowledged messages,
 * held QoS 2 messages, subscriptions or in-flight messages (mqtt/). An empty Map is ~180 bytes;
 * at 100,000 devices that is tens of MB per Map kind. Reads see an empty Map; a write throws
 * with the owner's words (a bug, not a state), or, where an owner may come to hold entries,
 * goes to a Map of its own taken with `own()` first.
 */
export class RefusingEmptyMap extends Map<never, never> {
  constructor(private readonly refusal: string) { super(); }
  override set(): never { throw new Error(this.refusal); }
}

/** `m` typed as the caller's Map (the shared instance holds nothing, so any types fit). */
export function shared<K, V>(m: RefusingEmptyMap): Map<K, V> {
  return m as unknown as Map<K, V>;
}

const UNOWNED = new RefusingEmptyMap('a write to the shared empty Map: take own() first');

/** The shared empty Map of mqtt/ owners, until they write (`own`). */
export function emptyMap<K, V>(): Map<K, V> {
  return shared(UNOWNED);
}

/** `m` itself, or a new Map of its own when `m` is a shared empty one. */
export function own<K, V>(m: Map<K, V>): Map<K, V> {
  return m instanceof RefusingEmptyMap ? new Map<K, V>() : m;
}
