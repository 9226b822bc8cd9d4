/**
 * The engine's surface, as used by the network, TCP and MQTT layers.
 *
 * Time is an `Instant`: an integer count of virtual microseconds since the run started.
 * Nothing in sim/ reads the wall clock; only the engine's queue advances `now()`.
 */
import type { TraceFields } from '../trace/types.ts';

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
  clear(): void;
}

export interface Engine {
  now(): Instant;
  /** One-shot callback at `at` (>= now). Equal times run in insertion order. */
  schedule(at: Instant, fn: () => void): void;
  /** A timer slot that calls `fn` when it fires. */
  timer(fn: () => void): Timer;
  /** An independent PRNG stream derived from the run's seed and the stream's name. */
  rng(stream: string): Rng;
  /** True when a trace sink is attached; hot paths skip building events otherwise. */
  readonly tracing: boolean;
  /**
   * Append a trace event: `kind` first, then the kind's fields as trace/schema.ts declares
   * them (checked by the compiler, not at run time). The engine adds seq and tMs in front;
   * keys keep the caller's order, which is the NDJSON's.
   */
  emit(fields: TraceFields): void;
  /**
   * Optional fast path (extension): true when the only trace consumer is the invariant checker
   * (no kept trace, no listener). Hot sites whose events the checker does not read
   * (sim/invariants.ts lists what it reads) may then call `skipTrace()` instead of building
   * the event: the event still takes its seq, so every other event's seq is unchanged.
   */
  readonly checkOnly?: boolean;
  /** Count one trace event without building it (only when `checkOnly`). */
  skipTrace?(): void;
  /**
   * Optional fast path (extension): like `schedule`, but calls `fn(arg)`, so hot paths
   * (segment delivery) can pass a shared function plus data instead of a new closure.
   */
  post?<T>(at: Instant, fn: (arg: T) => void, arg: T): void;
}

/** The engine as its owner (the runner, tests) drives it. */
export interface EngineRunner extends Engine {
  post<T>(at: Instant, fn: (arg: T) => void, arg: T): void;
  /** Process every event with time <= untilUs in (time, insertion) order, then now = untilUs. */
  runUntil(untilUs: Instant): void;
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
