/**
 * The trace event kinds an `expect` entry may name (CONTRACT.md section 3 plus the
 * extensions in trace/types.ts). An entry naming any other kind is refused, because it could
 * never match: `{ "kind": "will.publish", "none": true }` would pass silently forever.
 * Keep this list in step with trace/types.ts when a kind is added, and give the kind its
 * fields in trace/fields.ts (the `where` keys an entry may use; a test checks both agree).
 */
export const REQUIRED_KINDS: readonly string[] = [
  'action', 'mqtt.send', 'mqtt.recv', 'conn.open', 'conn.closed', 'client.connected',
  'client.keepalive-timeout', 'broker.keepalive-expired', 'broker.takeover', 'will.scheduled',
  'will.published', 'will.discarded', 'session.expired',
];

export const EXTENSION_KINDS: readonly string[] = [
  'tcp.state', 'seg.send', 'seg.deliver', 'seg.drop', 'timer.set', 'timer.clear', 'host.state',
  'client.state', 'client.gave-up', 'session.created', 'session.resumed', 'session.discarded',
  'message.delivered', 'nat.expired', 'run.end', 'broker.protocol-error', 'broker.connect-timeout',
];

export const EVENT_KINDS: readonly string[] = [...REQUIRED_KINDS, ...EXTENSION_KINDS];
