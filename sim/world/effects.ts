/**
 * Where an event's effects end. One engine event (an action applied, a timer going off, a
 * segment arriving) can emit several trace events: the `action` of a power-off comes first,
 * then the timers it forgets, its sockets' conn.closed and the host.state. A world shown "at"
 * that action would still say "host up" and "connected"; a world shown at the last trace event
 * of the same engine event shows what the action did. runScenario records those ends when asked
 * (RunOptions.stepEnds): they are where the simulator's own state is whole, the same instants
 * the paired check compares (paired-check.ts), so nothing here guesses which events belong
 * together.
 */

/**
 * The last trace event emitted by the engine event that emitted `seq`: the first recorded end
 * at or after `seq` (binary search over the ascending `stepEnds`); `seq` itself without them.
 */
export function effectsEnd(stepEnds: ArrayLike<number> | null | undefined, seq: number): number {
  if (!stepEnds || stepEnds.length === 0 || seq < 0) return seq;
  let lo = 0;
  let hi = stepEnds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (stepEnds[mid]! < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo < stepEnds.length ? stepEnds[lo]! : seq;
}
