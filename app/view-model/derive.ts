/**
 * What the views draw from one run, built once per run: the sequence layout (~80–120 ms for
 * 17,000 events), the segments-in-flight index, the timeline's fault bands and the event log's
 * row offsets. They depend only on the trace and the resolved scenario. The worker builds them
 * right after the simulation (app/worker/simulate.ts), so receiving a run costs the UI thread
 * only the message; the store holds them beside the trace (`derived`, app/store/runSlice.ts)
 * and replaces them when a new run installs. What depends on UI state (zoom, the visible
 * window, the log filter, the cursor) is not here.
 */
import { worldHistory } from '../../sim/index.ts';
import type { ResolvedScenario, TraceEvent } from '../../sim/index.ts';
import { buildSequenceLayout } from './sequenceLayout.ts';
import type { SequenceLayout } from './layoutTypes.ts';
import { buildFlightIndex, type FlightIndex } from './segments.ts';
import { faultBands, type FaultBand } from './faults.ts';
import { buildLogOffsets } from '../model/logRows.ts';

export interface RunDerived {
  /** The lanes the layout was built for: broker first, then clients (as `nodeIds`). */
  nodes: string[];
  durationMs: number;
  layout: SequenceLayout;
  flights: FlightIndex;
  /** The timeline's fault bands (faults.ts). */
  faults: FaultBand[];
  /** The event log's row offsets with every event shown (app/model/logRows.ts). */
  logOffsets: Float64Array;
}

export function deriveRun(
  trace: readonly TraceEvent[], nodes: readonly string[], durationMs: number, resolved: ResolvedScenario,
): RunDerived {
  const history = worldHistory(resolved, trace, durationMs);
  return {
    nodes: [...nodes], durationMs,
    layout: buildSequenceLayout(trace, nodes, durationMs, resolved, history),
    flights: buildFlightIndex(trace),
    faults: faultBands(history, trace),
    logOffsets: buildLogOffsets(trace),
  };
}

/**
 * The run's layout when it was built for these lanes and this duration; null when they differ
 * (a client added while its re-run is still in the worker), and the diagram builds its own.
 */
export function layoutForLanes(
  derived: RunDerived | null, nodes: readonly string[], durationMs: number,
): SequenceLayout | null {
  if (derived === null || derived.durationMs !== durationMs || derived.nodes.length !== nodes.length) return null;
  return derived.nodes.every((n, i) => n === nodes[i]) ? derived.layout : null;
}
