/**
 * Checks a scenario's `expect` entries against a finished trace (CONTRACT.md section 2).
 *
 * An entry selects the events of its `kind` whose fields equal every field of `where`
 * (strict equality; a missing field never matches), then checks `count` (exact),
 * `atLeast` (minimum) or `none` (zero); with none of these it means `atLeast: 1`. With
 * `betweenMs: [lo, hi]`, every selected event's `tMs` must also lie in [lo, hi] (inclusive).
 * A failure says what was seen instead. Leaves out: matching on array fields (e.g. `link`).
 */
import type { Expectation } from './types.ts';
import type { TraceEvent } from '../trace/types.ts';

export interface ExpectationResult {
  /** Index of the entry in `expect`. */
  index: number;
  ok: boolean;
  /** One line: `expect[i]: <what>: <held | what was seen instead>`. */
  message: string;
}

function matches(event: TraceEvent, where: Expectation['where']): boolean {
  if (where === undefined) return true;
  const fields: Readonly<Record<string, unknown>> = event;
  for (const key of Object.keys(where)) {
    if (!Object.prototype.hasOwnProperty.call(fields, key) || fields[key] !== where[key]) return false;
  }
  return true;
}

/** `will.published where {"clientId":"sensor-1"} between 30000 and 40000 ms` */
export function describeExpectation(e: Expectation): string {
  let s = e.kind;
  if (e.where !== undefined && Object.keys(e.where).length > 0) s += ` where ${JSON.stringify(e.where)}`;
  if (e.betweenMs !== undefined) s += ` between ${e.betweenMs[0]} and ${e.betweenMs[1]} ms`;
  return s;
}

function wanted(e: Expectation): { text: string; holds: (n: number) => boolean } {
  if (e.count !== undefined) { const c = e.count; return { text: `count ${c}`, holds: (n) => n === c }; }
  if (e.none === true) return { text: 'none', holds: (n) => n === 0 };
  const min = e.atLeast ?? 1;
  return { text: `at least ${min}`, holds: (n) => n >= min };
}

function timesOf(events: TraceEvent[], limit: number): string {
  const shown = events.slice(0, limit).map((ev) => `${ev.tMs} ms (seq ${ev.seq})`).join(', ');
  return events.length > limit ? `${shown}, ...` : shown;
}

export function checkExpectation(e: Expectation, index: number, trace: readonly TraceEvent[]): ExpectationResult {
  const selected: TraceEvent[] = [];
  for (const ev of trace) if (ev.kind === e.kind && matches(ev, e.where)) selected.push(ev);
  const head = `expect[${index}]: ${describeExpectation(e)}`;
  const want = wanted(e);
  const n = selected.length;
  if (!want.holds(n)) {
    const at = n > 0 ? ` at ${timesOf(selected, 5)}` : '';
    return { index, ok: false, message: `${head}: expected ${want.text}, saw ${n}${at}` };
  }
  if (e.betweenMs !== undefined) {
    const [lo, hi] = e.betweenMs;
    const outside = selected.filter((ev) => ev.tMs < lo || ev.tMs > hi);
    if (outside.length > 0) {
      return {
        index, ok: false,
        message: `${head}: ${outside.length} of ${n} selected event${n === 1 ? '' : 's'} outside [${lo}, ${hi}]: at ${timesOf(outside, 5)}`,
      };
    }
  }
  return { index, ok: true, message: `${head}: ${want.text} held (saw ${n})` };
}

export function checkExpectations(expect: readonly Expectation[], trace: readonly TraceEvent[]): ExpectationResult[] {
  return expect.map((e, i) => checkExpectation(e, i, trace));
}
