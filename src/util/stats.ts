/**
 * The order statistics every figure in the project uses — the run report's time to address and the benchmark's
 * latencies alike — so the two never disagree on what "p99" means. Pure functions over plain numbers.
 * Percentiles are **nearest-rank**: sort the n values ascending, the p-th percentile is the value of rank
 * ⌈p/100 × n⌉ (rank 1 for p = 0). No interpolation, so every reported figure is one some pod really saw.
 */

/** Nearest-rank percentile of `values` (need not be sorted); undefined for an empty list. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile: p must be within [0, 100], got ${p}`);
  if (values.length === 0) return undefined;
  const sorted = Float64Array.from(values).sort();
  return percentileOfSorted(sorted, p);
}

/** The rank (0-based index) `percentileOfSorted` reads for n values. */
export function percentileIndex(n: number, p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * n - 1e-9));
  return Math.min(rank, n) - 1;
}

/** Same as `percentile` for values already sorted ascending. */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number | undefined {
  const n = sorted.length;
  if (n === 0) return undefined;
  return sorted[percentileIndex(n, p)];
}

/** The middle value of `values` (the mean of the two middle ones for an even count); undefined for an empty list. */
export function median(values: readonly number[]): number | undefined {
  const n = values.length;
  if (n === 0) return undefined;
  const s = Float64Array.from(values).sort();
  const m = n >> 1;
  return n % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}
