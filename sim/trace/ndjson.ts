/**
 * Trace v1 as NDJSON (CONTRACT.md section 3): one `JSON.stringify` per event, each line
 * ended by '\n'. JSON.stringify is specified exactly (ECMA-262 SerializeJSONProperty: key
 * order is insertion order, numbers use Number::toString), so the bytes are the same in Node
 * and in every browser. Leaves out: any pretty printing or field reordering.
 */
import type { TraceEvent } from './types.ts';

/** One line of the trace, with its '\n'. */
export function eventToLine(event: TraceEvent): string {
  return JSON.stringify(event) + '\n';
}

export function traceToNdjson(events: readonly TraceEvent[]): string {
  let out = '';
  for (const e of events) out += JSON.stringify(e) + '\n';
  return out;
}
