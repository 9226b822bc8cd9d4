/**
 * Nearest-rank percentiles (the smallest value with at least p % of the values at or below
 * it): always one of the measured values, no interpolation, integer arithmetic on the rank,
 * so the numbers are the same in every engine. The median is the 50th (the lower middle).
 */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil((p * n) / 100));
  return sorted[Math.min(n, rank) - 1]!;
}

export interface Spread { count: number; first: number | null; median: number | null; p99: number | null; last: number | null }

/** first / median / p99 / last of `values` (sorts a copy). */
export function spread(values: readonly number[]): Spread {
  const s = Float64Array.from(values).sort();
  return {
    count: s.length,
    first: s.length > 0 ? s[0]! : null,
    median: percentileSorted(s, 50),
    p99: percentileSorted(s, 99),
    last: s.length > 0 ? s[s.length - 1]! : null,
  };
}
