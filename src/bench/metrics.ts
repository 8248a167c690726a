/**
 * Benchmark arithmetic: the figures one (policy, workload, seed) run produces, and the mean with a 95 % interval
 * over several seeds. Pure functions over plain numbers — no engine, no model, no I/O — so every figure can be
 * checked by hand (test/bench/metrics.test.ts).
 *
 * Methods (also in docs/benchmarking.md):
 *   - percentiles are **nearest-rank**: sort the n values ascending, the p-th percentile is the value of rank
 *     ⌈p/100 × n⌉ (rank 1 for p = 0). No interpolation, so every reported latency is one some pod really saw —
 *     or, for a pod still waiting at the end of measurement (censored), the wait it had seen so far, a lower bound.
 *   - a time-weighted mean reads samples as a step function: sample i's value holds from its time until the next
 *     sample (the last one until the end of the run), and the mean is ∫v dt / (end − first sample time).
 *   - the 95 % interval over seeds is mean ± t(0.975, n − 1) × s / √n, with s the sample standard deviation
 *     (n − 1 in the denominator) and t from the two-sided Student t table below; n = 1 gives no interval.
 * It is not the sampler (src/bench/run-job.ts decides when to sample) nor the formatter (src/bench/report.ts).
 */

// The percentile and median every figure uses, report and benchmark alike, live in src/util/stats.ts.
export { median, percentile, percentileOfSorted } from '../util/stats.ts';
import { percentileOfSorted } from '../util/stats.ts';

/** A value observed from `t` (ms) on. */
export interface Sample {
  t: number;
  v: number;
}

/**
 * Time-weighted mean of a step function given by samples (ascending `t`), up to `end`. Undefined when there is no
 * sample or no time elapsed. Samples at or after `end` contribute nothing.
 */
export function timeWeightedMean(samples: readonly Sample[], end: number): number | undefined {
  if (samples.length === 0) return undefined;
  const start = samples[0].t;
  if (!(end > start)) return undefined;
  let area = 0;
  for (let i = 0; i < samples.length; i++) {
    const from = samples[i].t;
    if (i > 0 && from < samples[i - 1].t) throw new RangeError('timeWeightedMean: samples must be in time order');
    const to = i + 1 < samples.length ? Math.min(samples[i + 1].t, end) : end;
    if (to > from) area += samples[i].v * (to - from);
  }
  return area / (end - start);
}

/**
 * Two-sided 95 % Student t critical values t(0.975, df) for df = 1..30, from the standard table
 * (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2). Beyond 30 see `tCritical95`.
 */
export const T_TABLE_95: readonly number[] = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, //  df 1–10
  2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, //     df 11–20
  2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042, //    df 21–30
];

/** t(0.975, df): the table for df ≤ 30, then the df 40 / 60 / 120 rows (conservatively, the next lower df), then 1.96. */
export function tCritical95(df: number): number {
  if (!Number.isInteger(df) || df < 1) throw new RangeError(`tCritical95: df must be a whole number ≥ 1, got ${df}`);
  if (df <= 30) return T_TABLE_95[df - 1];
  if (df < 40) return 2.042;
  if (df < 60) return 2.021;
  if (df < 120) return 2.0;
  if (df < 1000) return 1.98;
  return 1.96;
}

/** Mean of seeds' values with its 95 % interval half-width (undefined for fewer than 2 values). */
export interface Estimate {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1); undefined when n < 2. */
  sd?: number;
  /** Half-width of the 95 % interval; undefined when n < 2. */
  ci95?: number;
}

export function estimate(values: readonly number[]): Estimate | undefined {
  const n = values.length;
  if (n === 0) return undefined;
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  if (n < 2) return { n, mean };
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  const sd = Math.sqrt(ss / (n - 1));
  return { n, mean, sd, ci95: (tCritical95(n - 1) * sd) / Math.sqrt(n) };
}

// ---------------------------------------------------------------------------------------------------------------
// One run's figures

/** What a run records; the sampler fills it, `computeRunMetrics` reduces it. Times in ms. */
export interface JobRecord {
  /** When measuring started and ended (the workload's duration). */
  start: number;
  end: number;
  /** Addresses held by ipamd pools, cluster-wide (secondary IPs and prefix addresses; TotalIPs summed). */
  held: Sample[];
  /** Addresses bound to pods, cluster-wide (AssignedIPs summed). */
  used: Sample[];
  /** Free addresses over the workload's subnets (EC2 AvailableIpAddressCount summed). */
  subnetFree: Sample[];
  /** ENIs attached to the cluster's instances (the primaries included). */
  enis: Sample[];
  /**
   * Per pod scheduled during the run: how long it waited from being scheduled to getting an address (ms).
   * A pod that never got one counts with the time it waited until it was deleted or the run ended, and is
   * flagged `censored` (its true wait is at least that).
   */
  waits: { ms: number; censored: boolean }[];
  /** First time an EC2 call failed for lack of subnet addresses (InsufficientFreeAddressesInSubnet / InsufficientCidrBlocks). */
  subnetRanOutAt?: number;
  /** EC2 calls by API action, and how many of them were throttled (RequestLimitExceeded). */
  ec2Calls: Record<string, number>;
  throttled: number;
  /** Simulation events processed (for cost figures; not a policy metric). */
  events?: number;
}

/** The figures of one run. Every field is a number (or null when undefined) so runs can be averaged field by field. */
export interface JobMetrics {
  /** Time-weighted mean and peak of addresses held in pools. */
  heldMean: number | null;
  heldPeak: number | null;
  /** Time-weighted mean of addresses bound to pods. */
  usedMean: number | null;
  /** Waste = held − used: time-weighted mean and peak. */
  wasteMean: number | null;
  wastePeak: number | null;
  /** Least free addresses over the workload's subnets, and when they first ran out (s since start; null: never). */
  subnetFreeMin: number | null;
  subnetRanOutS: number | null;
  /** Scheduled → address assigned, seconds: nearest-rank p50, p95, p99 and max. */
  waitP50: number | null;
  waitP95: number | null;
  waitP99: number | null;
  waitMax: number | null;
  /** Pods that waited more than 60 s (censored waits included). */
  podsWaitOver1m: number;
  /** Pods that never got an address before deletion or the end of the run. */
  podsNeverAssigned: number;
  /** Pods scheduled during the run. */
  pods: number;
  /** EC2 calls: total, by API, throttled. */
  ec2Total: number;
  ec2ByApi: Record<string, number>;
  throttled: number;
  /** ENIs attached: time-weighted mean and peak. */
  enisMean: number | null;
  enisPeak: number | null;
}

function peak(samples: readonly Sample[]): number | null {
  if (samples.length === 0) return null;
  let m = -Infinity;
  for (const s of samples) if (s.v > m) m = s.v;
  return m;
}

function low(samples: readonly Sample[]): number | null {
  if (samples.length === 0) return null;
  let m = Infinity;
  for (const s of samples) if (s.v < m) m = s.v;
  return m;
}

/** Pairs two sample series taken at the same times (the sampler guarantees it) into their difference. */
export function difference(a: readonly Sample[], b: readonly Sample[]): Sample[] {
  if (a.length !== b.length) throw new RangeError('difference: series of different lengths');
  return a.map((s, i) => {
    if (b[i].t !== s.t) throw new RangeError('difference: series sampled at different times');
    return { t: s.t, v: s.v - b[i].v };
  });
}

const nul = (x: number | undefined): number | null => (x === undefined ? null : x);

export function computeRunMetrics(r: JobRecord): JobMetrics {
  const waste = difference(r.held, r.used);
  const sortedWaits = Float64Array.from(r.waits, (w) => w.ms / 1000).sort();
  const sec = (p: number) => nul(percentileOfSorted(sortedWaits, p));
  let over = 0;
  let never = 0;
  for (const w of r.waits) {
    if (w.ms > 60_000) over++;
    if (w.censored) never++;
  }
  let total = 0;
  const byApi: Record<string, number> = {};
  for (const api of Object.keys(r.ec2Calls).sort()) {
    byApi[api] = r.ec2Calls[api];
    total += r.ec2Calls[api];
  }
  return {
    heldMean: nul(timeWeightedMean(r.held, r.end)),
    heldPeak: peak(r.held),
    usedMean: nul(timeWeightedMean(r.used, r.end)),
    wasteMean: nul(timeWeightedMean(waste, r.end)),
    wastePeak: peak(waste),
    subnetFreeMin: low(r.subnetFree),
    subnetRanOutS: r.subnetRanOutAt === undefined ? null : (r.subnetRanOutAt - r.start) / 1000,
    waitP50: sec(50),
    waitP95: sec(95),
    waitP99: sec(99),
    waitMax: sec(100),
    podsWaitOver1m: over,
    podsNeverAssigned: never,
    pods: r.waits.length,
    ec2Total: total,
    ec2ByApi: byApi,
    throttled: r.throttled,
    enisMean: nul(timeWeightedMean(r.enis, r.end)),
    enisPeak: peak(r.enis),
  };
}

/** The scalar fields of JobMetrics, in report order. */
export const SCALAR_METRICS = [
  'heldMean',
  'heldPeak',
  'usedMean',
  'wasteMean',
  'wastePeak',
  'subnetFreeMin',
  'subnetRanOutS',
  'waitP50',
  'waitP95',
  'waitP99',
  'waitMax',
  'podsWaitOver1m',
  'podsNeverAssigned',
  'pods',
  'ec2Total',
  'throttled',
  'enisMean',
  'enisPeak',
] as const satisfies readonly (keyof JobMetrics)[];
export type ScalarMetric = (typeof SCALAR_METRICS)[number];

/** Per-policy aggregate over seeds: an estimate per scalar metric (runs where it is null are left out), EC2 by API. */
export interface Aggregate {
  seeds: number;
  metrics: Record<ScalarMetric, Estimate | null>;
  /** For subnetRanOutS: how many seeds ran out (the mean above is over those only). */
  ranOutSeeds: number;
  ec2ByApi: Record<string, Estimate>;
}

export function aggregate(runs: readonly JobMetrics[]): Aggregate {
  const metrics = {} as Record<ScalarMetric, Estimate | null>;
  for (const m of SCALAR_METRICS) {
    const vals: number[] = [];
    for (const r of runs) {
      const v = r[m];
      if (v !== null) vals.push(v);
    }
    metrics[m] = estimate(vals) ?? null;
  }
  const apis = new Set<string>();
  for (const r of runs) for (const a of Object.keys(r.ec2ByApi)) apis.add(a);
  const ec2ByApi: Record<string, Estimate> = {};
  for (const a of [...apis].sort()) ec2ByApi[a] = estimate(runs.map((r) => r.ec2ByApi[a] ?? 0))!;
  return { seeds: runs.length, metrics, ranOutSeeds: runs.filter((r) => r.subnetRanOutS !== null).length, ec2ByApi };
}
