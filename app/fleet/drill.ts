/**
 * Drill-down (issue 13 part 5): one device's sequence diagram with the broker, alone. The
 * Timeline draws the events of that device and the broker's events about it (the same test
 * a sampled run keeps its devices by, sample.ts), not renumbered: `global[i]` is the index in
 * the run's trace of the i-th event drawn, so the cursor, the selection and a click on the
 * diagram stay those of the run (the Event log and Inspector still show the whole trace).
 */
import type { ResolvedScenario, TraceEvent } from '../../sim/index.ts';
import { buildSequenceLayout } from '../view-model/sequenceLayout.ts';
import type { SequenceLayout } from '../view-model/layoutTypes.ts';
import type { FaultBand } from '../view-model/faults.ts';
import { createKeepTest, sampledResolved } from './sample.ts';

export interface DeviceView {
  device: string;
  trace: TraceEvent[];
  /** Index in the run's trace of each event drawn (increasing). */
  global: Int32Array;
  layout: SequenceLayout;
}

export function deviceView(trace: readonly TraceEvent[], resolved: ResolvedScenario, device: string, durationMs: number): DeviceView {
  const keep = new Set([device]);
  const test = createKeepTest(resolved, keep);
  const mine: TraceEvent[] = [];
  const global: number[] = [];
  trace.forEach((ev, i) => { if (test(ev)) { mine.push(ev); global.push(i); } });
  const layout = buildSequenceLayout(mine, [resolved.broker.id, device], durationMs, sampledResolved(resolved, keep));
  return { device, trace: mine, global: Int32Array.from(global), layout };
}

/** The last event drawn at or before the run's event `seq` (-1: none), for the cursor. */
export function localAtOrBefore(global: Int32Array, seq: number): number {
  let lo = 0;
  let hi = global.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (global[mid]! <= seq) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return found;
}

/** The event drawn that is the run's event `seq`, or null when it is not drawn (the selection). */
export function localOf(global: Int32Array, seq: number | null): number | null {
  if (seq === null) return null;
  const i = localAtOrBefore(global, seq);
  return i >= 0 && global[i] === seq ? i : null;
}

/** The fault bands that concern the device or the broker (others would shade the whole height). */
export function deviceFaults(faults: readonly FaultBand[], broker: string, device: string): FaultBand[] {
  return faults.filter((f) => (f.node === undefined && f.link === undefined)
    || f.node === device || f.node === broker || (f.link !== undefined && f.link.includes(device)));
}
