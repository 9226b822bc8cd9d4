/**
 * The engine's surface, as used by the network, TCP and MQTT layers.
 *
 * Time is an `Instant`: an integer count of virtual microseconds since the run started.
 * Nothing in sim/ reads the wall clock; only the engine's queue advances `now()`.
 */
import type { Kind, TimerName, TraceEvent, TraceFields, TraceFieldsOf } from '../trace/types.ts';

export type { TraceFields } from '../trace/types.ts';

export type Instant = number;
export type Duration = number;

export const US_PER_MS = 1000;
export const US_PER_S = 1_000_000;

/** A seeded PRNG stream with an integer API (no floats from engine-dependent Math). */
export interface Rng {
  /** Uniform integer in [0, 2^32). */
  nextU32(): number;
  /** Uniform integer in [0, n), n >= 1. */
  intBelow(n: number): number;
  /** Uniform integer in [lo, hi]. */
  intInclusive(lo: number, hi: number): number;
  /** True with probability p (0..1); p = 0 never, p = 1 always. */
  chance(p: number): boolean;
}

/**
 * A named timer slot: setting it moves its one queue entry (the timer counts as queued at the
 * moment of its last `set`), clearing it removes the entry.
 */
export interface Timer {
  readonly due: Instant | null;
  set(at: Instant): void;
  /** Stop the timer (nothing if it is not armed); `why` ends up on a traced timer's timer.clear. */
  clear(why?: string): void;
}

/** What a traced timer is called in the trace: its node, its name, and what it watches. */
export interface TimerTag {
  readonly node: string;
  readonly timer: TimerName;
  readonly conn?: string;
  readonly clientId?: string;
}

/**
 * A timer slot that traces itself (engine.timer(fn, tag)): `timer.set` when it is armed (not
 * when re-armed at the same due under the same name: the queue entry still moves),
 * `timer.clear` when it is stopped while armed, `timer.fire` when it goes off, before `fn`
 * runs. Every clear and fire names exactly the fields of the set that armed it. Setting an
 * armed slot under another name on the same connection (`timer`) is one timer that moves: one
 * `timer.set` whose `replaces` names the timer it ends. Setting it on another connection
 * (`conn`: undefined keeps the current one, null drops the connection) first ends the armed
 * one with a `timer.clear`.
 */
export interface TracedTimer extends Timer {
  set(at: Instant, timer?: TimerName, conn?: string | null): void;
  /**
   * Give a stopped slot another label (a recycled socket's timer for its next connection),
   * tracing nothing: the next `set` traces as a fresh slot's would. Throws while it is armed.
   */
  relabel(timer: TimerName, conn: string | undefined): void;
}

/**
 * Who listens to the trace, as the engine's owner attaches it. `kinds` / `timers` narrow what
 * is built: an event of another kind (a timer event of another timer) only takes its seq.
 */
export interface TraceSink {
  /** Every kept event (the engine adds seq and tMs). */
  onEvent?: (e: TraceEvent) => void;
  /**
   * Lighter: the caller's fields object, the event's seq and the time in µs, with no copy; the
   * listener must not keep the object (it may be reused). Ignored when `onEvent` is set.
   */
  onFields?: (fields: TraceFields, seq: number, nowUs: number) => void;
  /** Only these kinds are built (default: all). Ignored when `onEvent` is set. */
  kinds?: readonly Kind[];
  /** Of the timer events, only those of these timers are built (default: all). Ignored when `onEvent` is set. */
  timers?: readonly TimerName[];
  /**
   * Whether seg.send events carry `packets` (default true). False: no reader uses them (the
   * invariant checker alone), so TCP keeps no map of which packet rides in which segment.
   * Ignored when `onEvent` is set.
   */
  segmentPackets?: boolean;
  /**
   * Of the mqtt.send and mqtt.recv events, only those of these nodes are built (default: all):
   * the invariant checker alone reads the broker's, not its clients'. Ignored when `onEvent` is set.
   */
  mqttNodes?: readonly string[];
  /**
   * Events of these nodes are built whatever their kind; `kinds` and `timers` then narrow only
   * the other nodes' events, and only at the emit sites that name their node (timers,
   * `emitOf`, `emitPacket`), which are the most frequent: a sampled fleet run reads every
   * event of a few devices and a few kinds of everyone's (app/fleet/runFleet.ts). Any other
   * emit site builds its event for such a sink whatever its kind. The other nodes' seg.send
   * carry no `packets`. Ignored when `onEvent` is set.
   */
  focusNodes?: readonly string[];
}

export interface Engine {
  now(): Instant;
  /** One-shot callback at `at` (>= now). Equal times run in insertion order. */
  schedule(at: Instant, fn: () => void): void;
  /**
   * Like `schedule`, but calls `fn(arg)`, so hot paths (segment delivery) can pass a shared
   * function plus data instead of a new closure.
   */
  post<T>(at: Instant, fn: (arg: T) => void, arg: T): void;
  /** A timer slot that calls `fn` when it fires; with a tag it traces itself (TracedTimer). */
  timer(fn: () => void): Timer;
  timer(fn: () => void, tag: TimerTag): TracedTimer;
  /** An independent PRNG stream derived from the run's seed and the stream's name. */
  rng(stream: string): Rng;
  /**
   * Whether the trace sink builds events of this kind. `emit` already checks it; an emit site
   * asks only to skip work that only the event needs (describing a packet).
   */
  wants(kind: Kind): boolean;
  /** Whether seg.send events are built with their `packets` (TCP keeps the map only then). */
  wantsPackets(): boolean;
  /**
   * wantsPackets for the segments `node` sends: with focusNodes, only a focus node's (a reader
   * that narrows the other nodes' events to a few kinds reads no `packets` of theirs).
   */
  wantsPacketsOf(node: string): boolean;
  /**
   * Whether the sink only borrows the fields object during the call (onFields): a hot emit
   * site may then fill one reused object instead of building one per event.
   */
  lends(): boolean;
  /**
   * Record a trace event: `kind` first, then the kind's fields as trace/schema.ts declares
   * them (checked by the compiler). The engine adds seq and tMs in front; keys keep the
   * caller's order, which is the NDJSON's. An event nobody listens to only takes its seq.
   */
  emit(fields: TraceFields): void;
  /**
   * Like `emit`, for hot sites: `build(arg)` makes the fields only when the sink wants the kind
   * (pass a shared function, not a new closure).
   */
  emitWith<K extends Kind, A>(kind: K, build: (arg: A) => TraceFieldsOf<K>, arg: A): void;
  /**
   * emitWith for an event of `node`: built when the sink reads the kind, or every event of
   * that node (`focusNodes`).
   */
  emitOf<K extends Kind, A>(kind: K, node: string, build: (arg: A) => TraceFieldsOf<K>, arg: A): void;
  /** emitWith for an MQTT packet event of `node`: built only if the sink reads that node's (`mqttNodes`). */
  emitPacket<K extends 'mqtt.send' | 'mqtt.recv', A>(kind: K, node: string, build: (arg: A) => TraceFieldsOf<K>, arg: A): void;
}

/** The engine as its owner (the runner, tests) drives it. */
export interface EngineRunner extends Engine {
  /**
   * Process every event with time <= untilUs in (time, insertion) order, then now = untilUs;
   * returns true. With a `budget`, stops after that many events if some are still due by
   * untilUs and returns false (now stays at the last event's time): calling it again goes on
   * exactly where it stopped, so a run in slices is the same run (the CLI yields between
   * slices to answer Ctrl-C).
   */
  runUntil(untilUs: Instant, budget?: number): boolean;
  /** Hook called after every processed queue event (invariant checks). */
  afterEach(fn: () => void): void;
  /** Queue events processed (each ran its callback). */
  readonly eventsProcessed: number;
  /** Trace events emitted so far. */
  readonly traceCount: number;
  /** `seq` of the last emitted trace event (-1 before the first). */
  readonly lastSeq: number;
  /** Queue entries still pending (one per armed timer, one per scheduled callback). */
  readonly pending: number;
}
