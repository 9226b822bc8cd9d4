/**
 * The fields each trace event kind may carry (CONTRACT.md section 3 and the extensions in
 * trace/types.ts), besides `seq`, `tMs` and `kind` which every event has. Read by the
 * scenario validator: an `expect[].where` key that no event of the named kind can have is
 * refused, since the entry would silently match nothing (CONTRACT.md section 2, "unknown keys
 * are refused too").
 *
 * This is data. Keep it in step with trace/types.ts and with the emit sites: a field an
 * emitter adds must be listed here, or `where` on it is refused. Several emitters write more
 * than types.ts declares (e.g. `will.published` also has conn, payload, qos, retain), and
 * mqtt/wire.ts packetEvent adds packet-specific fields to `mqtt.send` / `mqtt.recv`.
 * test/scenario/event-fields.test.ts runs shipped and generated scenarios and fails when an
 * emitted field is missing here; the `satisfies` below fails to compile when a kind is.
 * Leaves out: which fields are required, and their types (trace/types.ts has those).
 */
import type { TraceEvent } from './types.ts';

/** Fields any notable event may carry (trace/types.ts ExtensionEvent comment). */
export const COMMON_FIELDS: readonly string[] = ['why', 'rule', 'profile'];

/** Fields of an MQTT packet event: mqtt/wire.ts packetEvent, in the order it writes them. */
const PACKET_FIELDS = [
  'node', 'peer', 'conn', 'packet',
  // CONNECT
  'clientId', 'keepAliveSeconds', 'cleanStart', 'protocolVersion', 'sessionExpirySeconds',
  'willTopic', 'willDelaySeconds',
  // CONNACK
  'reasonCode', 'sessionPresent', 'serverKeepAliveSeconds',
  // PUBLISH
  'topic', 'payload', 'qos', 'messageId', 'retain', 'dup',
  // SUBACK, SUBSCRIBE
  'granted', 'topics',
  'bytes',
] as const;

const SESSION_FIELDS = ['node', 'clientId'] as const;

/**
 * Per kind, the fields its events may carry, excluding seq/tMs/kind and COMMON_FIELDS.
 * `action` carries `do` and the fields of that scenario action (scenario/parse-actions.ts).
 */
export const EVENT_FIELDS = {
  // Required kinds (CONTRACT.md section 3).
  'action': [
    'do', 'node', 'link', 'reasonCode', 'direction', 'latencyMs', 'jitterMs', 'loss',
    'topic', 'payload', 'qos', 'retain',
  ],
  'mqtt.send': PACKET_FIELDS,
  'mqtt.recv': PACKET_FIELDS,
  'conn.open': ['node', 'peer', 'conn'],
  'conn.closed': ['node', 'peer', 'conn', 'cause'],
  'client.connected': ['node', 'conn', 'sessionPresent', 'clientId', 'keepAliveSeconds'],
  'client.keepalive-timeout': ['node', 'conn', 'clientId', 'keepAliveSeconds'],
  'broker.keepalive-expired': ['node', 'clientId', 'conn', 'lastRecvMs', 'keepAliveSeconds'],
  'broker.takeover': ['node', 'clientId', 'oldConn', 'newConn'],
  'will.scheduled': ['node', 'clientId', 'dueMs', 'conn', 'delaySeconds'],
  'will.published': ['node', 'clientId', 'topic', 'cause', 'conn', 'payload', 'qos', 'retain'],
  'will.discarded': ['node', 'clientId', 'cause', 'conn'],
  'session.expired': SESSION_FIELDS,
  // Extensions (trace/types.ts).
  'tcp.state': ['node', 'peer', 'conn', 'from', 'to'],
  'seg.send': ['id', 'node', 'peer', 'conn', 'flags', 'tcpSeq', 'ack', 'len', 'retransmit', 'by'],
  'seg.deliver': ['id', 'node', 'peer', 'conn'],
  'seg.drop': ['id', 'node', 'peer', 'conn', 'reason'],
  'timer.set': ['node', 'timer', 'dueMs', 'conn', 'clientId'],
  'timer.clear': ['node', 'timer', 'conn', 'clientId'],
  'host.state': ['node', 'state'],
  'client.state': ['node', 'state', 'conn'],
  'client.gave-up': ['node', 'conn', 'reason'],
  'session.created': SESSION_FIELDS,
  'session.resumed': SESSION_FIELDS,
  'session.discarded': SESSION_FIELDS,
  'message.delivered': ['node', 'clientId', 'topic', 'payload', 'qos', 'retain'],
  'nat.expired': ['link', 'conn'],
  'broker.protocol-error': ['node', 'conn', 'clientId'],
  'broker.connect-timeout': ['node', 'conn', 'waitedMs'],
  'run.end': ['events'],
} as const satisfies Record<TraceEvent['kind'], readonly string[]>;

export type EventFieldKind = keyof typeof EVENT_FIELDS;

/**
 * Fields whose values are lists (`link` is [a, b]; SUBACK `granted` and SUBSCRIBE `topics`).
 * `where` compares with a single value, so it can never match them.
 */
export const LIST_FIELDS: readonly string[] = ['link', 'granted', 'topics'];

/** Fields present on every event, whatever its kind. */
export const BASE_FIELDS: readonly string[] = ['seq', 'tMs', 'kind'];

const ALL_BY_KIND: ReadonlyMap<string, readonly string[]> = new Map(
  Object.entries(EVENT_FIELDS).map(([k, f]) => [k, [...f, ...COMMON_FIELDS]]),
);

/** Every field an event of `kind` may carry besides seq/tMs/kind (undefined: unknown kind). */
export function fieldsOfKind(kind: string): readonly string[] | undefined {
  return ALL_BY_KIND.get(kind);
}
