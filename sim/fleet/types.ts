/** What the fleet aggregator (aggregator.ts) produces. Times are virtual milliseconds. */
import type { Spread } from './percentile.ts';

/**
 * Per time bucket [b × bucketMs, (b + 1) × bucketMs). Levels (`believed`, `alive`) are the
 * values after the last event of the bucket; counts are events inside it. CONNACK latencies
 * are NaN in a bucket where no CONNACK arrived.
 */
export interface FleetSeries {
  bucketMs: number;
  buckets: number;
  /** ClientIds the broker holds as connected (a session bound to an open connection): the dashboard. */
  believed: Int32Array;
  /** Devices truly alive and connected: host up, CONNECT sent on a connection open at both ends, broker up. */
  alive: Int32Array;
  /** ClientIds becoming / ceasing to be online in the broker's view. */
  connects: Int32Array;
  disconnects: Int32Array;
  /** One series per row of COUNTER_ROWS, by key. */
  counters: Record<string, Int32Array>;
  /** Client CONNECT sent → CONNACK received, ms, of the CONNACKs received in the bucket. */
  connackP50: Float64Array;
  connackP99: Float64Array;
  connackMax: Float64Array;
  /**
   * The same two levels per group (FleetReport.groups order), group g's bucket b at
   * g × buckets + b. A ClientId counts for the group of the first device that has it.
   * Empty when the aggregator was told not to keep them (FleetOptions.groupSeries false).
   */
  groupBelieved: Int32Array;
  groupAlive: Int32Array;
}

/** What happened from one action (or the start) until the next. */
export interface FleetPhase {
  /** 0: the start of the run, before any action. */
  index: number;
  atMs: number;
  untilMs: number;
  /** The action (`do`), or "start". */
  action: string;
  /** What it was applied to: a group ("meter, 500 devices"), nodes, or a link. */
  target: string;
  /** Action events merged into this phase (one per member for a group). */
  actionEvents: number;
  counts: Record<string, number>;
  connects: number;
  disconnects: number;
  /** First connections of devices (client.connected, a device's first). */
  firstConnections: number;
  /** client.connected of devices that had been connected before: absolute times, ms. */
  reconnections: Spread;
  believedAtStart: number; aliveAtStart: number;
  believedAtEnd: number; aliveAtEnd: number;
  /** The largest believed − alive in the phase, and when it was first reached. */
  maxLie: number; maxLieAtMs: number;
}

export interface FleetReport {
  devices: number;
  groups: { id: string; count: number }[];
  endMs: number;
  series: FleetSeries;
  phases: FleetPhase[];
  totals: Record<string, number>;
  connack: { count: number; p50: number | null; p99: number | null; max: number | null };
  maxLie: number; maxLieAtMs: number;
}
