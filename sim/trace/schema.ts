/**
 * The trace schema, version 1 (CONTRACT.md section 3): every event kind, once, as data.
 *
 * Everything else about the trace's shape is derived from this one table:
 * - the TypeScript types (trace/types.ts: `TraceEvent`, `TraceFields`, `EventOf<K>`), so every
 *   `engine.emit({ kind, ... })` is checked by the compiler: a field the kind does not declare,
 *   a missing required field or a value of the wrong type does not compile;
 * - the `expect[].where` field table (trace/fields.ts) and the kinds `expect` accepts
 *   (scenario/event-kinds.ts);
 * - the reference table sim/trace/README.md (`npx tsx sim/trace/doc.ts --write`; a test
 *   checks it is up to date, and that README.md's "Traces" table names exactly these kinds).
 *
 * A kind's fields are listed in the order its emitters write them (trace/check.ts checks the
 * runs of test/scenario/event-fields.test.ts against it, except for MQTT packets, whose order
 * depends on the packet type); the JSON key order is the emitter's. `why`, `rule` and
 * `profile` (COMMON_FIELDS) may be on any event. Nothing here runs per event: the schema is
 * read at module load and by tests, never on the emit path.
 */
import type { ActionKind, Direction } from '../scenario/types.ts';
import { TIMER_NAMES } from './timers.ts';

// ---- field descriptors ----

export type FieldKind = 'string' | 'number' | 'boolean' | 'enum' | 'list' | 'pair';

/**
 * One field: its JSON type (`type`, `values` for an enum, `of` for a list) and whether events
 * may leave it out. `T` is the TypeScript type of the value; `__value` only carries it for
 * the type level and is never set.
 */
export interface Field<T = unknown, O extends boolean = boolean> {
  readonly type: FieldKind;
  readonly optional: O;
  /** `enum`: the values it takes. */
  readonly values?: readonly (string | number)[];
  /** `list`: the type of each item. */
  readonly of?: Field;
  /** A name for a string field's set of values kept elsewhere (documentation only). */
  readonly named?: string;
  /** The value may be JSON null. */
  readonly nullable?: boolean;
  readonly __value?: T;
}

export const str: Field<string, false> = { type: 'string', optional: false };
export const num: Field<number, false> = { type: 'number', optional: false };
export const bool: Field<boolean, false> = { type: 'boolean', optional: false };
/** `[a, b]`: a link's two node names. */
export const pair: Field<[string, string], false> = { type: 'pair', optional: false };

/** One of the given values (strings or numbers). */
export function oneOf<const V extends readonly (string | number)[]>(...values: V): Field<V[number], false> {
  return { type: 'enum', optional: false, values };
}

/** A list of values of one type. */
export function listOf<T>(of: Field<T, false>): Field<T[], false> {
  return { type: 'list', optional: false, of };
}

/** A string whose values are a type declared elsewhere (e.g. the scenario's action kinds). */
export function strOf<T extends string>(named: string): Field<T, false> {
  return { type: 'string', optional: false, named };
}

/** The value may be null (not merely absent). */
export function orNull<T>(f: Field<T, false>): Field<T | null, false> {
  return { ...f, nullable: true };
}

/** The field may be absent. */
export function opt<T>(f: Field<T, false>): Field<T, true> {
  return { ...f, optional: true };
}

// ---- value sets ----

export const CLOSE_CAUSES = ['fin', 'rst', 'timeout', 'local'] as const;

/** RFC 9293 state names. */
export const TCP_STATES = [
  'CLOSED', 'LISTEN', 'SYN-SENT', 'SYN-RECEIVED', 'ESTABLISHED',
  'FIN-WAIT-1', 'FIN-WAIT-2', 'CLOSE-WAIT', 'CLOSING', 'LAST-ACK', 'TIME-WAIT',
] as const;

/** Timer names, with what each is for: trace/timers.ts (the one list). */
export { TIMER_NAMES } from './timers.ts';

export const WILL_PUBLISHED_CAUSES = [
  'keepalive', 'connection-lost', 'takeover', 'disconnect-with-will',
  'delay-elapsed', 'session-ended', 'server-closed',
] as const;
export const WILL_DISCARDED_CAUSES = ['disconnect', 'reconnected', 'takeover'] as const;
/**
 * Where an application message the broker forwards came from, when the wire cannot say it
 * (`origin` on message.delivered and on the PUBLISH's mqtt.send / mqtt.recv): "will", the Last
 * Will of `originClientId` on its connection `originConn` (the same clientId and conn as its
 * `will.published`). Messages a client published carry no origin.
 */
export const MESSAGE_ORIGINS = ['will'] as const;
/** The origin fields (MESSAGE_ORIGINS), the same on every kind that carries them. */
const ORIGIN = { origin: opt(oneOf(...MESSAGE_ORIGINS)), originClientId: opt(str), originConn: opt(str) } as const;
export const DROP_REASONS = ['loss', 'cut', 'nat', 'proxy', 'host-down', 'no-route'] as const;
export const HOST_STATES = ['up', 'off', 'crashed'] as const;
/** What a listener did with a SYN or a handshake's last ACK its queues had no room for (tcp/listen-queue.ts). */
export const LISTEN_VERDICTS = [
  'cookie', 'drop-syn-queue-full', 'drop-accept-queue-full', 'drop-syn-backlog', 'drop-ack', 'reset',
] as const;
const QOS = oneOf(0, 1, 2);

// ---- the kinds ----

/** Fields any event may carry: a plain-language `why` (with the standard's statement id), the `rule` id, the deciding `profile`. */
export const COMMON_FIELDS = {
  why: opt(str),
  rule: opt(str),
  profile: opt(str),
} as const;

/** An MQTT packet on a connection, in the order mqtt/wire.ts packetEvent writes the fields. */
const PACKET = {
  node: str, peer: str, conn: str, packet: str,
  // CONNECT
  clientId: opt(str), keepAliveSeconds: opt(num), cleanStart: opt(bool), protocolVersion: opt(num),
  sessionExpirySeconds: opt(num), willTopic: opt(str), willDelaySeconds: opt(num),
  // CONNACK
  reasonCode: opt(num), sessionPresent: opt(bool), serverKeepAliveSeconds: opt(num),
  // PUBLISH
  topic: opt(str), payload: opt(str), qos: opt(QOS), messageId: opt(num), retain: opt(bool), dup: opt(bool),
  // SUBACK, SUBSCRIBE
  granted: opt(listOf(num)), topics: opt(listOf(str)),
  bytes: num,
  // PUBLISH of a Will (broker's mqtt.send, client's mqtt.recv): where the message came from
  ...ORIGIN,
} as const;

const SESSION = { node: str, clientId: str } as const;
const SEGMENT = { id: num, node: str, peer: str, conn: str } as const;

interface KindSpec {
  /** Required by CONTRACT.md section 3 (else a Halfopen extension). */
  readonly contract: boolean;
  /** What happened, for the reference table. */
  readonly doc: string;
  readonly fields: Readonly<Record<string, Field>>;
  /**
   * False when the emitted key order is not the fields' order here: an MQTT packet event
   * writes a packet type's own fields in that type's order (PUBACK: messageId, then reasonCode).
   */
  readonly ordered?: false;
}

/** Every trace event kind: the contract's kinds first, then the extensions. */
export const TRACE_SCHEMA = {
  'action': {
    contract: true,
    doc: 'a scenario action or an injected fault took effect; the fields are the action\'s (scenario/parse-actions.ts)',
    fields: {
      do: strOf<ActionKind>('action kind'), node: opt(str), link: opt(pair), reasonCode: opt(num),
      direction: opt(strOf<Direction>('direction')), latencyMs: opt(num), jitterMs: opt(num), loss: opt(num),
      topic: opt(str), payload: opt(str), qos: opt(QOS), retain: opt(bool),
    },
  },
  'mqtt.send': {
    contract: true, doc: 'a node wrote a whole MQTT packet (`bytes`: its size on the wire; `origin`: a PUBLISH of a Will, as on message.delivered)', fields: PACKET, ordered: false,
  },
  'mqtt.recv': { contract: true, doc: 'a node received a whole MQTT packet', fields: PACKET, ordered: false },
  'conn.open': {
    contract: true, doc: 'one side of a TCP connection became established', fields: { node: str, peer: str, conn: str },
  },
  'conn.closed': {
    contract: true, doc: 'one side of a TCP connection is gone, as that node sees it (`host: "off"`: the socket vanished with its host\'s power)',
    fields: { node: str, peer: str, conn: str, cause: oneOf(...CLOSE_CAUSES), host: opt(oneOf('off')) },
  },
  'client.connected': {
    contract: true, doc: 'the client got a CONNACK accepting it',
    fields: { node: str, conn: str, sessionPresent: bool, clientId: opt(str), keepAliveSeconds: opt(num) },
  },
  'client.keepalive-timeout': {
    contract: true, doc: 'the client gave up waiting for PINGRESP',
    fields: { node: str, conn: str, clientId: opt(str), keepAliveSeconds: opt(num) },
  },
  'broker.keepalive-expired': {
    contract: true, doc: 'the broker\'s keep-alive deadline for a connection passed',
    fields: { node: str, clientId: str, conn: str, lastRecvMs: num, keepAliveSeconds: opt(num) },
  },
  'broker.takeover': {
    contract: true, doc: 'a new CONNECT took over a live ClientId',
    fields: { node: str, clientId: str, oldConn: str, newConn: str },
  },
  'will.scheduled': {
    contract: true, doc: 'the Last Will waits for its Will Delay Interval',
    fields: { node: str, clientId: str, dueMs: num, conn: opt(str), delaySeconds: opt(num) },
  },
  'will.published': {
    contract: true, doc: 'the Last Will went out',
    fields: {
      node: str, clientId: str, topic: str, cause: oneOf(...WILL_PUBLISHED_CAUSES), conn: opt(str),
      payload: opt(str), qos: opt(QOS), retain: opt(bool),
    },
  },
  'will.discarded': {
    contract: true, doc: 'the Last Will was dropped unpublished',
    fields: { node: str, clientId: str, cause: oneOf(...WILL_DISCARDED_CAUSES), conn: opt(str) },
  },
  'session.expired': { contract: true, doc: 'the broker ended a stored session (Session Expiry Interval)', fields: SESSION },
  // Extensions.
  'tcp.state': {
    contract: false, doc: 'an RFC 9293 state change of one side of a connection',
    fields: { node: str, peer: str, conn: str, from: oneOf(...TCP_STATES), to: oneOf(...TCP_STATES) },
  },
  'seg.send': {
    contract: false,
    doc: 'a TCP segment went onto a link (`id` pairs it with its delivery or drop; `by: "nat"`: a NAT\'s own RST for a forgotten flow; `by: "proxy"`: a proxy\'s own FIN, RST or ACK for a flow it closed, `why` says which; `packets`: the MQTT packets whose bytes it carries, by their place in the sender\'s stream on the connection, 1 = its first mqtt.send there)',
    fields: {
      ...SEGMENT, flags: str, tcpSeq: num, ack: num, len: num, retransmit: opt(bool), by: opt(oneOf('nat', 'proxy')),
      packets: opt(listOf(num)),
    },
  },
  'seg.deliver': { contract: false, doc: 'a TCP segment arrived', fields: SEGMENT },
  'seg.drop': {
    contract: false, doc: 'a TCP segment died on the way (`reason: "proxy"`: a proxy that closed its flow took it; nothing is relayed after its close)', fields: { ...SEGMENT, reason: oneOf(...DROP_REASONS) },
  },
  'timer.set': {
    contract: false,
    doc: 'a timer was (re)armed to go off at `dueMs` (an armed timer that moves is one timer.set); `replaces`: the slot was armed under that other name (same node, conn and clientId) and is re-armed as `timer` in the same act, so that timer ends here unfired, as a timer.clear would end it (a client\'s PINGRESP wait becoming its next ping, a loss probe becoming the RTO: one timer that moves, as Linux\'s inet_csk_reset_xmit_timer modifies its pending timer)',
    fields: { node: str, timer: oneOf(...TIMER_NAMES), dueMs: num, conn: opt(str), clientId: opt(str), replaces: opt(oneOf(...TIMER_NAMES)) },
  },
  'timer.clear': {
    contract: false,
    doc: 'a timer stopped before it went off, naming exactly the fields of its `timer.set`; on a power-off every timer of the host ends so (`why`), on a crash those of the application (client.*, broker.*), while the kernel keeps its tcp.* timers',
    fields: { node: str, timer: oneOf(...TIMER_NAMES), conn: opt(str), clientId: opt(str) },
  },
  'timer.fire': {
    contract: false,
    doc: 'an armed timer went off, before what it does (the fields of its `timer.set`); the timers that are traced are set, then cleared, replaced (a timer.set naming it in `replaces`) or fired, only one of them',
    fields: { node: str, timer: oneOf(...TIMER_NAMES), conn: opt(str), clientId: opt(str) },
  },
  'host.state': { contract: false, doc: 'a host powered on or off, or its process crashed', fields: { node: str, state: oneOf(...HOST_STATES) } },
  'client.state': { contract: false, doc: 'the MQTT client\'s state changed', fields: { node: str, state: str, conn: opt(str) } },
  'client.gave-up': {
    contract: false, doc: 'the client abandoned a connection attempt', fields: { node: str, conn: str, reason: str },
  },
  'session.created': { contract: false, doc: 'the broker created a session', fields: SESSION },
  'session.resumed': { contract: false, doc: 'the broker resumed a stored session', fields: SESSION },
  'session.discarded': { contract: false, doc: 'the broker discarded a session', fields: SESSION },
  'message.delivered': {
    contract: false,
    doc: 'a client received an application message (`origin: "will"`: it is the Last Will of `originClientId`, published for its connection `originConn`, the clientId and conn of that `will.published`)',
    fields: { node: str, clientId: str, topic: str, payload: str, qos: QOS, retain: bool, ...ORIGIN },
  },
  'nat.expired': { contract: false, doc: 'a NAT forgot a flow: idle too long, or all at once (`nat-flush`, `why` says)', fields: { link: pair, conn: str } },
  'proxy.timeout': {
    contract: false, doc: 'a proxy on the link found a flow idle for `proxyIdleTimeoutMs` and closes both sides (`close`: FIN to both, RST to both, or FIN to the client and RST to the broker)',
    fields: { link: pair, conn: str, close: oneOf('fin', 'rst', 'rst-to-broker') },
  },
  'tcp.listen-overflow': {
    contract: false,
    doc: 'a listener\'s SYN or accept queue was full (Linux tcp_conn_request / tcp_check_req): a SYN dropped or answered with a SYN cookie, a handshake\'s last ACK (or the first data) dropped or answered with RST (`acceptQueued`, `synQueued`: the queues then; `backlog`: listen() capped to somaxconn)',
    fields: { node: str, peer: str, conn: str, verdict: oneOf(...LISTEN_VERDICTS), backlog: num, synQueued: num, acceptQueued: num },
  },
  'run.end': { contract: false, doc: 'the run ended (`events`: queue events processed)', fields: { events: num } },
  'broker.protocol-error': {
    contract: false, doc: 'the broker closed a connection for a malformed or out-of-order packet (`clientId` null: before CONNECT)',
    fields: { node: str, conn: str, clientId: opt(orNull(str)) },
  },
  'broker.store-saved': {
    contract: false,
    doc: 'the broker wrote its store (`reason`: the autosave interval passed, enough changes were counted, or an orderly stop); the counts are what the file holds: persistent sessions, their subscriptions, their queued and in-flight messages, retained messages',
    fields: {
      node: str, reason: oneOf('autosave', 'changes', 'shutdown'), sessions: num, subscriptions: num, messages: num, retained: num,
    },
  },
  'broker.store-restored': {
    contract: false,
    doc: 'a restarted broker read its store (`savedAtMs`: when it was written; null: nothing was ever saved, the broker starts empty); each restored session follows as `session.restored`',
    fields: {
      node: str, savedAtMs: orNull(num), sessions: num, subscriptions: num, messages: num, retained: num,
    },
  },
  'session.restored': {
    contract: false,
    doc: 'a session read from the broker\'s store at start, disconnected until its client connects (`messages`: queued and in-flight)',
    fields: { node: str, clientId: str, subscriptions: listOf(str), messages: num },
  },
  'broker.connect-timeout': {
    contract: false, doc: 'the broker closed a connection that sent no CONNECT in time',
    fields: { node: str, conn: str, waitedMs: num },
  },
} as const satisfies Record<string, KindSpec>;

// ---- types derived from the schema ----

export type Kind = keyof typeof TRACE_SCHEMA;

/** The TypeScript type of a field's value. */
export type ValueOf<F> = F extends Field<infer T, boolean> ? Exclude<T, undefined> : never;

type Simplify<T> = { [P in keyof T]: T[P] } & {};

type IsOptional<F> = F extends Field<unknown, true> ? true : false;

/** An object type from a field table: required fields, then optional ones (`?`). */
export type FieldsFrom<S> = Simplify<
  { -readonly [P in keyof S as IsOptional<S[P]> extends true ? never : P]: ValueOf<S[P]> } &
  { -readonly [P in keyof S as IsOptional<S[P]> extends true ? P : never]?: ValueOf<S[P]> }
>;

/** The common fields (why, rule, profile), all optional. */
export type CommonFields = FieldsFrom<typeof COMMON_FIELDS>;

/** The fields an event of kind `K` carries besides seq, tMs and kind (common fields included). */
export type FieldsOf<K extends Kind> = FieldsFrom<(typeof TRACE_SCHEMA)[K]['fields'] & typeof COMMON_FIELDS>;
