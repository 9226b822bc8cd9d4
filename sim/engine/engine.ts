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
import type { Kind, TimerName, TraceEvent, TraceFieldsOf } from '../trace/types.ts';
import { TRACE_SCHEMA, TIMER_NAMES } from '../trace/schema.ts';
import type { EngineRunner, Instant, Rng, Timer, TimerTag, TraceFields, TraceSink, TracedTimer } from './types.ts';
import { EventQueue } from './queue.ts';
import { createRng } from './rng.ts';

export type { EngineRunner } from './types.ts';

export interface EngineOptions extends TraceSink {
  seed: number;
  /** Hard bound on processed events (default 5,000,000); exceeding it throws. */
  maxEvents?: number;
}

export const DEFAULT_MAX_EVENTS = 5_000_000;

class TimerSlot implements Timer {
  due: Instant | null = null;
  /** Id of this slot's queue entry, or -1 when none is queued. */
  qid = -1;
  constructor(readonly fn: () => void, protected readonly eng: Engine_) {}

  set(at: Instant): void {
    const e = this.eng;
    if (!(at >= e.nowUs)) throw new RangeError(`timer set in the past: ${at} < now ${e.nowUs}`);
    if (!Number.isInteger(at)) throw new RangeError(`timer time must be an integer (µs), got ${at}`);
    this.due = at;
    if (this.qid >= 0) e.queue.update(this.qid, at);
    else this.qid = e.queue.push(at, null, this);
  }

  clear(_why?: string): void {
    this.due = null;
    if (this.qid >= 0) {
      this.eng.queue.remove(this.qid);
      this.qid = -1;
    }
  }

  /** Called by the engine when the slot's entry is taken, before `fn`. */
  fired(): void {}
}

/**
 * A slot that traces itself: `timer`, `conn`, `clientId` are the label of the armed timer (or
 * of the next set). `wanted`: whether the sink builds events of this timer (decided once per
 * label, by the engine).
 */
class TracedSlot extends TimerSlot implements TracedTimer {
  readonly node: string;
  timer: TimerName;
  conn: string | undefined;
  readonly clientId: string | undefined;
  private wanted: boolean;
  /** Its node's events are all built (the sink's focusNodes). */
  readonly focused: boolean;

  constructor(fn: () => void, eng: Engine_, tag: TimerTag) {
    super(fn, eng);
    this.node = tag.node;
    this.timer = tag.timer;
    this.conn = tag.conn;
    this.clientId = tag.clientId;
    this.wanted = eng.wantsTimer(tag.timer);
    this.focused = eng.focuses(tag.node);
  }

  override set(at: Instant, timer?: TimerName, conn?: string | null): void {
    const armed = this.due !== null;
    const newConn = conn === undefined ? this.conn : conn === null ? undefined : conn;
    const renamed = timer !== undefined && timer !== this.timer;
    if (renamed && armed && newConn === this.conn) {
      // One timer that moves under another name (inet_csk_reset_xmit_timer changes
      // icsk_pending and mod_timer()s the one pending timer; MQTT.js's keep-alive slot goes
      // from waiting for PINGRESP to the next ping): one timer.set naming what it replaces.
      const old = this.timer;
      const oldWanted = this.wanted;
      this.timer = timer;
      this.wanted = this.eng.wantsTimer(timer);
      super.set(at);
      this.eng.timerEvent('timer.set', this, this.wanted || oldWanted, at, undefined, old);
      return;
    }
    if (renamed || newConn !== this.conn) {
      // Another connection: the armed timer ends (timer.clear names its own conn), a new one starts.
      if (armed) this.clear();
      if (renamed) {
        this.timer = timer;
        this.wanted = this.eng.wantsTimer(timer);
      }
      this.conn = newConn;
      super.set(at);
      this.eng.timerEvent('timer.set', this, this.wanted, at, undefined);
      return;
    }
    const same = armed && this.due === at;
    super.set(at);
    if (!same) this.eng.timerEvent('timer.set', this, this.wanted, at, undefined);
  }

  relabel(timer: TimerName, conn: string | undefined): void {
    if (this.due !== null) throw new Error(`relabel of the armed timer ${this.timer} of ${this.node}`);
    this.timer = timer;
    this.wanted = this.eng.wantsTimer(timer);
    this.conn = conn;
  }

  override clear(why?: string): void {
    if (this.due === null) return;
    super.clear();
    this.eng.timerEvent('timer.clear', this, this.wanted, 0, why);
  }

  override fired(): void {
    this.eng.timerEvent('timer.fire', this, this.wanted, 0, undefined);
  }
}

class Engine_ implements EngineRunner {
  nowUs: Instant = 0;
  readonly queue = new EventQueue();
  eventsProcessed = 0;
  traceCount = 0;
  private readonly seed: number;
  private readonly onEvent: ((e: TraceEvent) => void) | null;
  private readonly onFields: ((fields: TraceFields, seq: number, nowUs: number) => void) | null;
  /** A sink is attached: every event takes a seq (built or not). */
  private readonly listening: boolean;
  /** Kinds the sink builds; timer names whose timer.* events it builds. */
  private readonly kinds: Readonly<Record<string, boolean>>;
  private readonly timers: ReadonlySet<TimerName>;
  private readonly packets: boolean;
  /** The nodes whose mqtt.send / mqtt.recv are built (null: every node's). */
  private readonly mqttNodes: ReadonlySet<string> | null;
  /**
   * The kinds built for a node outside `focus` at the sites that name their node; `kinds` is
   * what every other site builds (all kinds when there is a focus: those sites do not say
   * whose event it is).
   */
  private readonly narrowKinds: Readonly<Record<string, boolean>>;
  /** The nodes whose every event is built (empty: none). */
  private readonly focus: ReadonlySet<string>;
  /** The sink borrows the fields object (onFields): timer events reuse one object per kind. */
  private readonly borrows: boolean;
  private readonly scratch: { set: TraceFieldsOf<'timer.set'>; clear: TraceFieldsOf<'timer.clear'>; fire: TraceFieldsOf<'timer.fire'> } = {
    set: { kind: 'timer.set', node: '', timer: 'tcp.rto', dueMs: 0, conn: undefined, clientId: undefined, replaces: undefined } as TraceFieldsOf<'timer.set'>,
    clear: { kind: 'timer.clear', node: '', timer: 'tcp.rto', conn: undefined, clientId: undefined, why: undefined } as TraceFieldsOf<'timer.clear'>,
    fire: { kind: 'timer.fire', node: '', timer: 'tcp.rto', conn: undefined, clientId: undefined } as TraceFieldsOf<'timer.fire'>,
  };
  private readonly maxEvents: number;
  private readonly hooks: (() => void)[] = [];

  constructor(opts: EngineOptions) {
    if (!Number.isInteger(opts.seed) || opts.seed < 0) throw new RangeError(`seed must be an integer >= 0, got ${opts.seed}`);
    this.seed = opts.seed;
    this.onEvent = opts.onEvent ?? null;
    this.onFields = this.onEvent === null ? opts.onFields ?? null : null;
    this.listening = this.onEvent !== null || this.onFields !== null;
    this.borrows = this.onFields !== null;
    const narrow = this.onFields !== null;
    const kinds: Record<string, boolean> = Object.create(null) as Record<string, boolean>;
    const only = narrow && opts.kinds !== undefined ? new Set<string>(opts.kinds) : null;
    for (const k of Object.keys(TRACE_SCHEMA)) kinds[k] = this.listening && (only === null || only.has(k));
    this.focus = new Set(narrow && opts.focusNodes !== undefined ? opts.focusNodes : []);
    if (this.focus.size > 0) {
      this.narrowKinds = kinds;
      const all: Record<string, boolean> = Object.create(null) as Record<string, boolean>;
      for (const k of Object.keys(TRACE_SCHEMA)) all[k] = true;
      this.kinds = all;
    } else {
      this.kinds = kinds;
      this.narrowKinds = kinds;
    }
    // A focus node's seg.send is built whatever the kinds, so with its packets.
    this.packets = this.kinds['seg.send']! && !(narrow && opts.segmentPackets === false);
    this.timers = new Set(!this.listening ? [] : narrow && opts.timers !== undefined ? opts.timers : TIMER_NAMES);

    this.mqttNodes = narrow && opts.mqttNodes !== undefined ? new Set(opts.mqttNodes) : null;
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
    this.queue.post(at, fn as (arg: unknown) => void, arg);
  }

  timer(fn: () => void): Timer;
  timer(fn: () => void, tag: TimerTag): TracedTimer;
  timer(fn: () => void, tag?: TimerTag): Timer {
    return tag === undefined ? new TimerSlot(fn, this) : new TracedSlot(fn, this, tag);
  }

  wants(kind: Kind): boolean {
    return this.kinds[kind]!;
  }

  wantsPackets(): boolean {
    return this.packets;
  }

  wantsPacketsOf(node: string): boolean {
    return this.packets && (this.focus.size === 0 || this.focus.has(node));
  }

  lends(): boolean {
    return this.borrows;
  }

  /** Whether every event of this node is built (the sink's `focusNodes`). */
  focuses(node: string): boolean {
    return this.focus.has(node);
  }

  /** Whether timer.* events of this timer are built (the sink's `timers`, and the kinds). */
  wantsTimer(timer: TimerName): boolean {
    return this.timers.has(timer);
  }

  /** A traced slot's event: its label's fields, exactly (trace/schema.ts key order). */
  timerEvent(
    kind: 'timer.set' | 'timer.clear' | 'timer.fire', t: TracedSlot, wanted: boolean, at: number, why: string | undefined,
    replaces?: TimerName,
  ): void {
    if (!this.listening) return;
    if (!t.focused && (!wanted || !this.narrowKinds[kind])) { this.traceCount++; return; }
    if (this.borrows) {
      // The sink reads the fields during the call and keeps nothing: one object per kind.
      const sc = this.scratch;
      const ev = kind === 'timer.set' ? sc.set : kind === 'timer.clear' ? sc.clear : sc.fire;
      ev.node = t.node; ev.timer = t.timer; ev.conn = t.conn; ev.clientId = t.clientId;
      if (kind === 'timer.set') { const e = ev as TraceFieldsOf<'timer.set'>; e.dueMs = at / 1000; e.replaces = replaces; }
      if (kind === 'timer.clear') (ev as TraceFieldsOf<'timer.clear'>).why = why;
      this.onFields!(ev, this.traceCount++, this.nowUs);
      return;
    }
    const ev = { kind, node: t.node, timer: t.timer } as Record<string, unknown>;
    if (kind === 'timer.set') ev['dueMs'] = at / 1000;
    if (t.conn !== undefined) ev['conn'] = t.conn;
    if (t.clientId !== undefined) ev['clientId'] = t.clientId;
    if (replaces !== undefined) ev['replaces'] = replaces;
    if (why !== undefined) ev['why'] = why;
    this.emit(ev as unknown as TraceFields);
  }

  rng(stream: string): Rng {
    return createRng(this.seed, stream);
  }

  emit(fields: TraceFields): void {
    if (!this.listening) return;
    const sink = this.onEvent;
    if (sink === null) {
      if (this.kinds[fields.kind]) this.onFields!(fields, this.traceCount++, this.nowUs);
      else this.traceCount++;
      return;
    }
    if ('seq' in fields || 'tMs' in fields) throw new Error(`trace fields must not set seq or tMs (${fields.kind})`);
    const ev: TraceEvent = { seq: this.traceCount++, tMs: this.nowUs / 1000, ...fields };
    sink(ev);
  }

  emitWith<K extends Kind, A>(kind: K, build: (arg: A) => TraceFieldsOf<K>, arg: A): void {
    if (!this.listening) return;
    if (this.kinds[kind]) this.emit(build(arg) as unknown as TraceFields);
    else this.traceCount++;
  }

  emitOf<K extends Kind, A>(kind: K, node: string, build: (arg: A) => TraceFieldsOf<K>, arg: A): void {
    if (!this.listening) return;
    if (this.narrowKinds[kind] || (this.focus.size > 0 && this.focus.has(node))) this.emit(build(arg) as unknown as TraceFields);
    else this.traceCount++;
  }

  emitPacket<K extends 'mqtt.send' | 'mqtt.recv', A>(kind: K, node: string, build: (arg: A) => TraceFieldsOf<K>, arg: A): void {
    if (!this.listening) return;
    // An event not built still takes its seq: seqs never depend on who reads.
    if ((this.narrowKinds[kind] && (this.mqttNodes === null || this.mqttNodes.has(node))) || (this.focus.size > 0 && this.focus.has(node))) {
      this.emit(build(arg) as unknown as TraceFields);
    } else this.traceCount++;
  }

  afterEach(fn: () => void): void {
    this.hooks.push(fn);
  }

  runUntil(untilUs: Instant, budget = Infinity): boolean {
    if (untilUs < this.nowUs) throw new RangeError(`runUntil(${untilUs}) is before now (${this.nowUs})`);
    const q = this.queue;
    const hooks = this.hooks;
    const stopAt = this.eventsProcessed + budget;
    while (q.size > 0 && q.peekAt() <= untilUs) {
      // Out of budget: stop between two events, at the time of the last one (see types.ts).
      if (this.eventsProcessed >= stopAt) return false;
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
        slot.fired();
        slot.fn();
      } else {
        fn(arg);
      }
      for (let i = 0; i < hooks.length; i++) hooks[i]!();
    }
    this.nowUs = untilUs;
    return true;
  }

  private overLimit(): never {
    throw new Error(`event limit exceeded: more than ${this.maxEvents} events by t=${this.nowUs / 1000} ms`);
  }
}

export function createEngine(opts: EngineOptions): EngineRunner {
  return new Engine_(opts);
}
