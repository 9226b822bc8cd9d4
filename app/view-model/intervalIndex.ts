/**
 * Visible-window culling for the sequence diagram.
 *
 * Items are intervals [start, end] in trace time (ms), sorted by `start`. A running maximum
 * of `end` makes both boundaries binary-searchable: items that can intersect [from, to]
 * lie between the first index whose running max end reaches `from` and the last index whose
 * start is at most `to`. Only that slice is scanned, so a 10,000-event trace zoomed in to a
 * few seconds costs a few dozen comparisons per frame, not 10,000.
 */

export interface Interval { start: number; end: number }

export interface IntervalIndex<T extends Interval> {
  readonly items: readonly T[];
  /** maxEnd[i] = max(items[0..i].end), non-decreasing. */
  readonly maxEnd: Float64Array;
}

/** Builds the index; `items` must already be sorted by `start` (the layout guarantees it). */
export function buildIntervalIndex<T extends Interval>(items: readonly T[]): IntervalIndex<T> {
  const maxEnd = new Float64Array(items.length);
  let running = -Infinity;
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as T;
    if (i > 0 && item.start < (items[i - 1] as T).start) {
      throw new Error(`intervalIndex: items not sorted by start at index ${i}`);
    }
    running = Math.max(running, item.end);
    maxEnd[i] = running;
  }
  return { items, maxEnd };
}

/** First index whose start is greater than `t` (upper bound). */
function upperBoundStart(items: readonly Interval[], t: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((items[mid] as Interval).start <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose running max end is at least `t`. */
function lowerBoundMaxEnd(maxEnd: Float64Array, t: number): number {
  let lo = 0;
  let hi = maxEnd.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((maxEnd[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Exactly the items with start <= to and end >= from, in start order. */
export function visibleItems<T extends Interval>(
  index: IntervalIndex<T>, from: number, to: number,
): T[] {
  const out: T[] = [];
  const first = lowerBoundMaxEnd(index.maxEnd, from);
  const last = upperBoundStart(index.items, to);
  for (let i = first; i < last; i++) {
    const item = index.items[i] as T;
    if (item.end >= from) out.push(item);
  }
  return out;
}
