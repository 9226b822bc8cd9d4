/**
 * Readers of lent fields (RunOptions.onFields: the CLI, the app's sampled fleet run) build an
 * event object only for the events they keep; this builds it exactly as the engine would
 * have for onEvent: `{ seq, tMs, ...fields }` in the emit site's key order, with the keys a
 * lent object holds as undefined left out (they mean absent), so a kept event's NDJSON line
 * and its deep equality are those of the engine's own.
 */
import type { TraceEvent, TraceFields } from './types.ts';

export function eventOfFields(f: Readonly<TraceFields>, seq: number, nowUs: number): TraceEvent {
  const e: Record<string, unknown> = { seq, tMs: nowUs / 1000 };
  const fields = f as unknown as Record<string, unknown>;
  for (const key in fields) {
    const v = fields[key];
    if (v !== undefined) e[key] = v;
  }
  return e as unknown as TraceEvent;
}
