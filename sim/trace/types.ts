/**
 * Trace, version 1 (CONTRACT.md section 3): one event per line, in processing order.
 *
 * Every event has `seq`, `tMs` (virtual ms; fractions down to µs) and `kind`; the other
 * fields depend on the kind and are declared once, as data, in trace/schema.ts. The types
 * here are derived from it: add or change a field there, never here.
 *
 * Field order in the JSON is the order in which the emitting code builds the object: the
 * engine writes `seq, tMs`, then the emitter's object, which starts with `kind`.
 */
import type {
  CLOSE_CAUSES, CommonFields, FieldsOf, Kind, MESSAGE_ORIGINS, TCP_STATES, WILL_DISCARDED_CAUSES,
  WILL_PUBLISHED_CAUSES,
} from './schema.ts';

export type { CommonFields, FieldsOf, Kind } from './schema.ts';

export type CloseCause = (typeof CLOSE_CAUSES)[number];
/** RFC 9293 state names. */
export type TcpStateName = (typeof TCP_STATES)[number];
/** Timer names (trace/timers.ts says what each is for). */
export type { TimerName } from './timers.ts';
export type WillPublishedCause = (typeof WILL_PUBLISHED_CAUSES)[number];
export type WillDiscardedCause = (typeof WILL_DISCARDED_CAUSES)[number];

/** Where a forwarded application message came from (schema MESSAGE_ORIGINS): the trace's origin fields. */
export interface MessageOrigin {
  origin: (typeof MESSAGE_ORIGINS)[number];
  originClientId: string;
  originConn: string;
}

/** The kind `K` as an emitter writes it: `kind` first, then its fields (no seq/tMs). */
export type TraceFieldsOf<K extends Kind> = { kind: K } & FieldsOf<K>;

/** What `Engine.emit` takes: the fields of one event of any kind, `kind` first. */
export type TraceFields = { [K in Kind]: TraceFieldsOf<K> }[Kind];

/** One trace event of kind `K`. */
export type EventOf<K extends Kind> = { seq: number; tMs: number; kind: K } & FieldsOf<K>;

/** One trace event (a union discriminated by `kind`). */
export type TraceEvent = { [K in Kind]: EventOf<K> }[Kind];

/** Kinds a user would call notable: the app's "jump to next notable event" and the log's badges. */
export const NOTABLE_KINDS: readonly Kind[] = [
  'client.connected', 'client.keepalive-timeout', 'broker.keepalive-expired', 'broker.takeover',
  'will.scheduled', 'will.published', 'will.discarded', 'session.expired', 'action',
  'conn.closed', 'broker.connect-timeout', 'broker.store-restored',
];
