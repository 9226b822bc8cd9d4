/**
 * The discrete-event engine: virtual time in integer microseconds, a (time, seq) queue, timer
 * slots, seeded random streams and the trace sink.
 *
 * Timer slots exist because protocol timers are re-armed far more often than they fire (a
 * broker pushes its keep-alive deadline forward on every packet, an RTO is armed and cleared
 * per exchange, for 100,000 clients). A slot keeps at most one queue entry: setting it moves
 * that entry (or inserts one), clearing it removes the entry. A timer that is set counts as
 * inserted at that moment: among events due at the same time it runs after those queued
 * before its last `set`, and before those queued after.
 *
 * Leaves out: wall-clock time of any kind; events in the past (scheduling before now throws).
 */
import type { TraceEvent } from '../trace/types.ts';
import type { EngineRunner, Instant, Rng, Timer, TraceFields } from './types.ts';
import { EventQueue } from './queue.ts';
import { createRng } from './rng.ts';

export type { EngineRunner } from './types.ts';

export interface EngineOptions {
  seed: number;
  onEvent?: (e: TraceEvent) => void;
  /**
   * Lighter sink for consumers that read the fields but keep no event (the invariant checker
   * without a kept trace): called with the caller's fields object, the event's seq and the
   * time in µs, so no `{ seq, tMs, ...fields }` copy is built. Ignored when `onEvent` is set.
   */
  onFields?: (fields: TraceFields, seq: number, nowUs: number) => void;
  /** Hard bound on processed events (default 5,000,000); exceeding it throws. */
  maxEvents?: number;
}

export const DEFAULT_MAX_EVENTS = 5_000_000;

class TimerSlot implements Timer {
  due: Instant | null = null;
  /** Id of this slot's queue entry, or -1 when none is queued. */
  qid = -1;
  constructor(readonly fn: () => void, private readonly eng: Engine_) {}

  set(at: Instant): void {
    const e = this.eng;
    if (!(at >= e.nowUs)) throw new RangeError(`timer set in the past: ${at} < now ${e.nowUs}`);
    if (!Number.isInteger(at)) throw new RangeError(`timer time must be an integer (µs), got ${at}`);
    this.due = at;
    if (this.qid >= 0) e.queue.update(this.qid, at);
    else this.qid = e.queue.push(at, null, this);
  }

  clear(): void {
    this.due = null;
    if (this.qid >= 0) {
      this.eng.queue.remove(this.qid);
      this.qid = -1;
    }
  }
}

class Engine_ implements EngineRunner {
  nowUs: Instant = 0;
  readonly queue = new EventQueue();
  eventsProcessed = 0;
  traceCount = 0;
  readonly tracing: boolean;
  readonly checkOnly: boolean;
  private readonly seed: number;
  private readonly onEvent: ((e: TraceEvent) => void) | null;
  private readonly onFields: ((fields: TraceFields, seq: number, nowUs: number) => void) | null;
  private readonly maxEvents: number;
  private readonly hooks: (() => void)[] = [];

  constructor(opts: EngineOptions) {
    if (!Number.isInteger(opts.seed) || opts.seed < 0) throw new RangeError(`seed must be an integer >= 0, got ${opts.seed}`);
    this.seed = opts.seed;
    this.onEvent = opts.onEvent ?? null;
    this.onFields = this.onEvent === null ? opts.onFields ?? null : null;
    this.tracing = this.onEvent !== null || this.onFields !== null;
    this.checkOnly = this.onFields !== null;
    this.maxEvents = opts.maxEvents ?? DEFAULT_MAX_EVENTS;
  }

  get lastSeq(): number {
    return this.traceCount - 1;
  }

  get pending(): number {
    return this.queue.size;
  }

  now(): Instant {
    return this.nowUs;
  }

  schedule(at: Instant, fn: () => void): void {
    this.post(at, fn as (arg: unknown) => void, undefined);
  }

  post<T>(at: Instant, fn: (arg: T) => void, arg: T): void {
    if (!(at >= this.nowUs)) throw new RangeError(`event scheduled in the past: ${at} < now ${this.nowUs}`);
    if (!Number.isInteger(at)) throw new RangeError(`event time must be an integer (µs), got ${at}`);
    this.queue.push(at, fn as (arg: unknown) => void, arg);
  }

  timer(fn: () => void): Timer {
    return new TimerSlot(fn, this);
  }

  rng(stream: string): Rng {
    return createRng(this.seed, stream);
  }

  emit(fields: TraceFields): void {
    const sink = this.onEvent;
    if (sink === null) {
      const lite = this.onFields;
      if (lite !== null) lite(fields, this.traceCount++, this.nowUs);
      return;
    }
    if ('seq' in fields || 'tMs' in fields) throw new Error(`trace fields must not set seq or tMs (${fields.kind})`);
    const ev: TraceEvent = { seq: this.traceCount++, tMs: this.nowUs / 1000, ...fields };
    sink(ev);
  }

  skipTrace(): void {
    this.traceCount++;
  }

  afterEach(fn: () => void): void {
    this.hooks.push(fn);
  }

  runUntil(untilUs: Instant): void {
    if (untilUs < this.nowUs) throw new RangeError(`runUntil(${untilUs}) is before now (${this.nowUs})`);
    const q = this.queue;
    const hooks = this.hooks;
    while (q.size > 0 && q.peekAt() <= untilUs) {
      q.take();
      this.nowUs = q.outAt;
      const fn = q.outFn;
      const arg = q.outArg;
      q.outFn = null;
      q.outArg = undefined;
      if (++this.eventsProcessed > this.maxEvents) this.overLimit();
      if (fn === null) {
        // Timer-slot entry: the slot is no longer queued, then it fires.
        const slot = arg as TimerSlot;
        slot.qid = -1;
        slot.due = null;
        slot.fn();
      } else {
        fn(arg);
      }
      for (let i = 0; i < hooks.length; i++) hooks[i]!();
    }
    this.nowUs = untilUs;
  }

  private overLimit(): never {
    throw new Error(`event limit exceeded: more than ${this.maxEvents} events by t=${this.nowUs / 1000} ms`);
  }
}

export function createEngine(opts: EngineOptions): EngineRunner {
  return new Engine_(opts);
}
