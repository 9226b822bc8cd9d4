/**
 * What the worker sends the Fleet view: the aggregator's report (its series are typed arrays,
 * transferred, not copied) and, for a sampled run, how many devices the event-by-event views
 * show out of how many ran.
 */
import type { FleetReport } from '../../sim/index.ts';

export interface FleetData {
  report: FleetReport;
  /** null: every device's events are in the trace. */
  sampled: { lanes: string[]; devices: number } | null;
}

/** The buffers of a FleetData that can move to the UI thread. */
export function fleetTransferables(f: FleetData): ArrayBuffer[] {
  const s = f.report.series;
  const arrays = [s.believed, s.alive, s.connects, s.disconnects, s.connackP50, s.connackP99, s.connackMax,
    s.groupBelieved, s.groupAlive, ...Object.values(s.counters)];
  return arrays.map((a) => a.buffer).filter((b): b is ArrayBuffer => b instanceof ArrayBuffer && b.byteLength > 0);
}
