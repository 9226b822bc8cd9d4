/**
 * The discrete-event engine: virtual time in integer microseconds, a (time, seq) queue, timer
 * slots, seeded random streams and the trace sink.
 *
 * Timer slots exist because protocol timers are re-armed far more often than they fire (a
 * broker pushes its keep-alive deadline forward on every packet, for 100,000 clients). A slot
 * keeps at most one live queue entry: moving the deadline later only updates `due` (the entry
 * fires early and re-queues itself for `due`); moving it earlier queues a new entry and bumps
 * the slot's generation so the old one is ignored when popped. Stale pops run no callback and
 * are not counted as processed events.
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
  /** Time of this slot's live queue entry, or -1 when none is queued. */
  queuedAt = -1;
  gen = 0;
  constructor(readonly fn: () => void, private readonly eng: Engine_) {}

  set(at: Instant): void {
    const e = this.eng;
    if (!(at >= e.nowUs)) throw new RangeError(`timer set in the past: ${at} < now ${e.nowUs}`);
    this.due = at;
    if (this.queuedAt < 0 || at < this.queuedAt) {
      this.gen++;
      this.queuedAt = at;
      e.queue.push(at, null, this, this.gen);
    }
  }

  clear(): void {
    this.due = null;
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
    this.queue.push(at, fn as (arg: unknown) => void, arg, 0);
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
    const ev = { seq: this.traceCount++, tMs: this.nowUs / 1000, ...fields } as unknown as TraceEvent;
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
      if (fn === null) {
        // Timer-slot entry.
        const slot = arg as TimerSlot;
        const gen = q.outGen;
        if (gen !== slot.gen) continue; // superseded by an earlier set()
        slot.queuedAt = -1;
        const due = slot.due;
        if (due === null) continue; // cleared
        if (due > this.nowUs) {
          slot.queuedAt = due; // moved later: re-queue for the real deadline
          q.push(due, null, slot, gen);
          continue;
        }
        slot.due = null;
        if (++this.eventsProcessed > this.maxEvents) this.overLimit();
        slot.fn();
      } else {
        if (++this.eventsProcessed > this.maxEvents) this.overLimit();
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
