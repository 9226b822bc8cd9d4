/**
 * The event log's row geometry: which events show a `why` line (taller rows), and the
 * offsets of the rows for the default filter (every event). The worker builds the offsets
 * with the run (app/view-model/derive.ts) and the store holds them (`derived.logOffsets`),
 * so that installing a run of 100,000+ events does not walk every event on the UI thread
 * (~37 ms for 128,000 events on an idle machine, well over 100 ms on a busy one).
 */
import type { TraceEvent } from '../../sim/index.ts';
import { isNotable } from './notable.ts';

export const ROW = 22;
export const ROW_WHY = 40;

/**
 * Rows that show their `why` line: notable events, and MQTT packets a rule or a library's habit
 * explains (a resend after reconnect, a message kept while offline, DISCONNECT 0x8D).
 */
export function explained(e: TraceEvent): boolean {
  return (isNotable(e) || e.kind === 'mqtt.send') && Boolean(e.why || e.profile);
}

export function rowHeight(e: TraceEvent): number {
  return explained(e) ? ROW_WHY : ROW;
}

/** Top of each row when every event is shown (length trace.length + 1). */
export function buildLogOffsets(trace: readonly TraceEvent[]): Float64Array {
  const off = new Float64Array(trace.length + 1);
  for (let k = 0; k < trace.length; k++) off[k + 1] = off[k]! + rowHeight(trace[k]!);
  return off;
}
