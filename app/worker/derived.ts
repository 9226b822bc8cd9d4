/**
 * The heavy structures the UI derives from a trace, built in the worker right after the
 * simulation and sent with the result, so that receiving a run costs the UI thread only the
 * message itself: the sequence layout (app/timeline/sequenceLayout.ts, ~120 ms for 17,000
 * events) and the segments-in-flight index (app/model/segments.ts). (The Inspector's and
 * Topology's world comes from sim/world on the UI thread: moving its cursor costs only the
 * events in between.) They depend only on the trace and
 * the scenario, as do the timeline's fault bands and the event log's row offsets (both also
 * built here: any pass over 100,000+ freshly received events costs the UI thread tens of ms);
 * what depends on UI state (zoom, the visible window, the log filter, "TCP-only segments",
 * "Timers", the cursor) stays on the UI thread and is cheap.
 */
import { worldHistory } from '../../sim/index.ts';
import type { ResolvedScenario, TraceEvent } from '../../sim/index.ts';
import { buildSequenceLayout } from '../view-model/sequenceLayout.ts';
import { installLayout } from '../timeline/layoutOnUiThread.ts';
import type { SequenceLayout } from '../view-model/layoutTypes.ts';
import { SeqItemIndex } from '../view-model/itemLookup.ts';
import { buildFlightIndex, installFlightIndex } from '../view-model/segments.ts';
import type { FlightIndex } from '../view-model/segments.ts';
import { faultBands, installFaultBands } from '../view-model/faults.ts';
import type { FaultBand } from '../view-model/faults.ts';
import { buildLogOffsets, installLogOffsets } from '../model/logRows.ts';

export interface RunDerived {
  /** The lanes the layout was built for: broker first, then clients (as `nodeIds`). */
  nodes: string[];
  durationMs: number;
  layout: SequenceLayout;
  flights: FlightIndex;
  /** The timeline's fault bands (app/model/faults.ts). */
  faults?: FaultBand[];
  /** The event log's row offsets with every event shown (app/model/logRows.ts). */
  logOffsets?: Float64Array;
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

/** Buffers that can move to the UI thread instead of being copied. */
export function derivedTransferables(d: RunDerived): ArrayBuffer[] {
  const { eventMs, eventLane, itemBySeq } = d.layout;
  const lookup = itemBySeq instanceof SeqItemIndex ? [itemBySeq.types.buffer, itemBySeq.indices.buffer] : [];
  return [eventMs.buffer, eventLane.buffer, ...lookup, ...(d.logOffsets ? [d.logOffsets.buffer] : [])].filter(
    (b): b is ArrayBuffer => b instanceof ArrayBuffer && b.byteLength > 0);
}

/** UI thread: makes these the structures used for `trace`. */
export function installDerived(trace: readonly TraceEvent[], d: RunDerived): void {
  installLayout(trace, d.nodes, d.durationMs, d.layout);
  installFlightIndex(trace, d.flights);
  if (d.faults) installFaultBands(trace, d.durationMs, d.faults);
  if (d.logOffsets) installLogOffsets(trace, d.logOffsets);
}
