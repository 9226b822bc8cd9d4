/**
 * Cursor arithmetic over a trace: the trace is sorted by `tMs` (processing order), so
 * "which event is current at time t" is a binary search, never a scan.
 */
import type { TraceEvent } from '../../sim/index.ts';

/** Index of the last event with tMs <= t, or -1 when t is before the first event. */
export function lastIndexAtOrBefore(trace: readonly TraceEvent[], tMs: number): number {
  let lo = 0;
  let hi = trace.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (trace[mid]!.tMs <= tMs) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return found;
}

/** Index of the first event with tMs >= t (trace.length if none). */
export function firstIndexAtOrAfter(trace: readonly TraceEvent[], tMs: number): number {
  let lo = 0;
  let hi = trace.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (trace[mid]!.tMs < tMs) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/** First index > from whose event matches, or -1. */
export function nextMatching(
  trace: readonly TraceEvent[], from: number, match: (e: TraceEvent) => boolean,
): number {
  for (let i = Math.max(from + 1, 0); i < trace.length; i++) if (match(trace[i]!)) return i;
  return -1;
}

/** Last index < from whose event matches, or -1. */
export function prevMatching(
  trace: readonly TraceEvent[], from: number, match: (e: TraceEvent) => boolean,
): number {
  for (let i = Math.min(from - 1, trace.length - 1); i >= 0; i--) if (match(trace[i]!)) return i;
  return -1;
}
