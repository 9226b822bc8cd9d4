/**
 * The simulator's entry point, as the CLI, the app's worker and the tests call it:
 * `runScenario(resolved, options)` in sim/run.ts.
 */
import type { BrokerProfileName } from './scenario/types.ts';
import type { Kind, TraceEvent, TraceFields } from './trace/types.ts';
import type { WireSegment } from './net/api.ts';

export interface RunOptions {
  /** Overrides the scenario's seed. */
  seed?: number;
  /** Overrides broker.profile. */
  brokerProfile?: BrokerProfileName;
  /** Stop at this virtual time instead of durationMs. */
  untilMs?: number;
  /** Called for every trace event, in order. */
  onEvent?: (event: TraceEvent) => void;
  /**
   * Lighter than onEvent (which it cannot be combined with; it needs keepTrace: false): the
   * fields of each event of `kinds` as its emit site made them (`kind` first, then the
   * kind's fields in trace order), its seq and the virtual time in µs; no event object is
   * built. The object is lent for the call: read it then, keep nothing of it (copy what you
   * keep; it may be reused). A key whose value is undefined counts as absent.
   * `{ seq, tMs: nowUs / 1000, ...fields }` is the event onEvent would have received.
   */
  onFields?: (fields: TraceFields, seq: number, nowUs: number) => void;
  /** The kinds onFields reads (events of other kinds are not built); default: all. */
  kinds?: readonly Kind[];
  /**
   * Nodes whose every event onFields reads, whatever `kinds` says (a sampled fleet run: every
   * event of a few devices and the broker, a few kinds of everyone's). onFields may then also
   * get other nodes' events of other kinds, which it ignores.
   */
  focusNodes?: readonly string[];
  /**
   * Called about every 4,096 engine events with the virtual time and the events processed so
   * far (the CLI's progress line); reads nothing else and changes nothing in the run.
   */
  onProgress?: (tMs: number, events: number) => void;
  /** Keep the events in `result.trace` (default true). The benchmark turns this off. */
  keepTrace?: boolean;
  /** Record every segment put on the wire in `result.wire` (capture export). Default false. */
  recordWire?: boolean;
  /** Check the invariants after every event (default true). */
  checkInvariants?: boolean;
  /**
   * Test-only: after every engine event, compare the world sim/world reduces from the trace
   * with the simulator's live state (sim/paired-check.ts). Needs keepTrace.
   */
  pairedCheck?: boolean;
  /**
   * Record, after every engine event that emitted trace events, the seq of its last one
   * (`result.stepEnds`): where a jump to an event shows its effects applied (world/effects.ts).
   */
  stepEnds?: boolean;
  /** Hard bound on processed events (default 5,000,000); exceeding it throws. */
  maxEvents?: number;
}

export interface RunSummary {
  seed: number;
  brokerProfile: BrokerProfileName;
  endMs: number;
  /** Engine events processed (queue pops). */
  events: number;
  /** Trace events emitted. */
  traceEvents: number;
  connections: number;
  willsPublished: number;
}

export interface RunResult {
  trace: TraceEvent[];
  wire: WireSegment[];
  /** IPv4 address per node (for captures). */
  addresses: Record<string, [number, number, number, number]>;
  summary: RunSummary;
  /** With RunOptions.stepEnds: ascending seqs, the last trace event of each engine event. */
  stepEnds?: number[];
}

/** Thrown when an invariant breaks: the run stops loudly, naming the seed and event. */
export interface InvariantViolationInfo {
  invariant: string;
  message: string;
  seed: number;
  /** Index of the trace event (seq) after which the check failed, and its time. */
  eventIndex: number;
  tMs: number;
}
