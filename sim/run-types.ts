/**
 * The simulator's entry point, as the CLI, the app's worker and the tests call it:
 * `runScenario(resolved, options)` in sim/run.ts.
 */
import type { BrokerProfileName } from './scenario/types.ts';
import type { TraceEvent } from './trace/types.ts';
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
