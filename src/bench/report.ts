/**
 * The benchmark's outputs: one comparison table (policies as rows, each cell the mean over seeds ± the 95 %
 * interval half-width), CSV of the same (one row per policy, mean and ci95 columns, for plotting) and JSON
 * (every run's figures plus the summary; a sharded run's JSON can be merged with `bench --merge`).
 * Formatting is deterministic: the same figures always print the same characters.
 * It is not the arithmetic (metrics.ts).
 */
import { aggregate, SCALAR_METRICS, type Aggregate, type Estimate, type JobMetrics, type ScalarMetric } from './metrics.ts';

/** One finished job. */
export interface JobResult {
  policy: string;
  seed: number;
  metrics: JobMetrics;
  /** Simulation events processed (a cost figure; deterministic). */
  events: number;
  /** Virtual time simulated, warm-up included, ms. */
  simMs: number;
  /** Warm-up before measuring (nodes Ready, initial pods with addresses), ms. */
  warmupMs: number;
}

export interface BenchResults {
  workload: string;
  /** Simulated duration, s. */
  durationS: number;
  policies: string[];
  seeds: number;
  /** Set when the runs are not the whole job list: which part they are ("shard 0/4", "merged 6 of 8 runs"). */
  partial?: string;
  runs: JobResult[];
}

export interface PolicySummary {
  policy: string;
  aggregate: Aggregate;
}

export function summarise(r: BenchResults): PolicySummary[] {
  return r.policies
    .map((policy) => ({ policy, runs: r.runs.filter((x) => x.policy === policy) }))
    .filter((x) => x.runs.length > 0)
    .map(({ policy, runs }) => ({ policy, aggregate: aggregate(runs.map((x) => x.metrics)) }));
}

/** Table columns: header, metric, decimals. */
const COLUMNS: { head: string; metric: ScalarMetric; digits: number; note: string }[] = [
  { head: 'held', metric: 'heldMean', digits: 0, note: 'addresses held in pools, time-weighted mean' },
  { head: 'used', metric: 'usedMean', digits: 0, note: 'addresses bound to pods, time-weighted mean' },
  { head: 'waste', metric: 'wasteMean', digits: 0, note: 'held − used, time-weighted mean' },
  { head: 'waste pk', metric: 'wastePeak', digits: 0, note: 'held − used, peak' },
  { head: 'subnet min', metric: 'subnetFreeMin', digits: 0, note: 'least free addresses over the workload subnets' },
  { head: 'ran out s', metric: 'subnetRanOutS', digits: 0, note: 'first insufficient-address EC2 error, s (seeds that ran out)' },
  { head: 'p50 s', metric: 'waitP50', digits: 1, note: 'pod scheduled → address assigned, nearest-rank p50' },
  { head: 'p95 s', metric: 'waitP95', digits: 1, note: 'nearest-rank p95' },
  { head: 'p99 s', metric: 'waitP99', digits: 1, note: 'nearest-rank p99' },
  { head: 'max s', metric: 'waitMax', digits: 1, note: 'longest wait' },
  { head: '>1m', metric: 'podsWaitOver1m', digits: 0, note: 'pods that waited over 60 s' },
  { head: 'pods', metric: 'pods', digits: 0, note: 'pods scheduled during the run' },
  { head: 'EC2 calls', metric: 'ec2Total', digits: 0, note: 'EC2 API calls, all actions' },
  { head: 'throttled', metric: 'throttled', digits: 0, note: 'calls refused with RequestLimitExceeded' },
  { head: 'ENIs pk', metric: 'enisPeak', digits: 0, note: 'ENIs attached, peak' },
];

export function fmtNumber(x: number, digits: number): string {
  const v = Number(x.toFixed(digits));
  return (Object.is(v, -0) ? 0 : v).toFixed(digits);
}

function cell(e: Estimate | null, digits: number): string {
  if (e === null) return '–';
  const m = fmtNumber(e.mean, digits);
  return e.ci95 === undefined ? m : `${m} ±${fmtNumber(e.ci95, digits)}`;
}

export function formatTable(r: BenchResults): string {
  const sums = summarise(r);
  const head = ['policy', 'seeds', ...COLUMNS.map((c) => c.head)];
  const rows = sums.map((s) => {
    const cells = [s.policy, String(s.aggregate.seeds)];
    for (const c of COLUMNS) {
      let v = cell(s.aggregate.metrics[c.metric], c.digits);
      if (c.metric === 'subnetRanOutS') {
        v = s.aggregate.ranOutSeeds === 0 ? 'never' : `${v} (${s.aggregate.ranOutSeeds}/${s.aggregate.seeds})`;
      }
      cells.push(v);
    }
    return cells;
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  const out = [
    `workload ${r.workload}: ${r.durationS} s simulated, seeds 1..${r.seeds}${r.partial !== undefined ? ` — partial: ${r.partial}` : ''}; mean ±95 % interval over seeds`,
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ];
  return out.join('\n') + '\n';
}

/** The column legend printed under the table with --legend, and in docs. */
export function legend(): string {
  return COLUMNS.map((c) => `  ${c.head.padEnd(10)} ${c.note}`).join('\n') + '\n';
}

const csvEscape = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const csvNum = (x: number | undefined | null) => (x === undefined || x === null ? '' : String(Number(x.toPrecision(12))));

export function formatCsv(r: BenchResults): string {
  const sums = summarise(r);
  const apis = [...new Set(sums.flatMap((s) => Object.keys(s.aggregate.ec2ByApi)))].sort();
  const head = ['policy', 'seeds', ...SCALAR_METRICS.flatMap((m) => [`${m}_mean`, `${m}_ci95`]), ...apis.flatMap((a) => [`ec2_${a}_mean`, `ec2_${a}_ci95`])];
  const lines = [head.join(',')];
  for (const s of sums) {
    const row = [csvEscape(s.policy), String(s.aggregate.seeds)];
    for (const m of SCALAR_METRICS) {
      const e = s.aggregate.metrics[m];
      row.push(csvNum(e?.mean), csvNum(e?.ci95));
    }
    for (const a of apis) {
      const e = s.aggregate.ec2ByApi[a];
      row.push(csvNum(e?.mean), csvNum(e?.ci95));
    }
    lines.push(row.join(','));
  }
  return lines.join('\n') + '\n';
}

export function formatJson(r: BenchResults): string {
  return JSON.stringify({ ...r, summary: summarise(r) }, null, 2) + '\n';
}
