/** The data of the benchmark's HTML page: per policy, the figures over seeds as mean and 95 % half-width. */
export const BENCH_PAGE_FORMAT = 'vpc-cni-sim/bench-page@1';

export interface Figure {
  mean: number;
  /** Half-width of the 95 % interval; absent with one seed. */
  ci95?: number;
}

export interface BenchPagePolicy {
  policy: string;
  seeds: number;
  waste: Figure | null;
  p95: Figure | null;
  ec2: Figure | null;
  throttled: Figure | null;
}

export interface BenchPage {
  format: typeof BENCH_PAGE_FORMAT;
  workload: string;
  durationS: number;
  seeds: number;
  partial?: string;
  policies: BenchPagePolicy[];
}
