/**
 * `bench --report out.html`: the benchmark's comparison as one self-contained page (src/report/html/bench-page) —
 * per policy, waste against p95 time to address with 95 % intervals, EC2 calls and throttled attempts, over the seeds.
 * Not here: the figures (src/bench/metrics.ts, report.ts), the page's drawing.
 */
import type { Estimate } from '../bench/metrics.ts';
import { summarise, type BenchResults } from '../bench/report.ts';
import { BENCH_PAGE_FORMAT, type BenchPage, type Figure } from '../report/html/bench-page/types.ts';
import { writeOutputFile } from './output-file.ts';
import { pageAssets } from './report-assets.ts';

function figure(e: Estimate | null | undefined): Figure | null {
  if (e === null || e === undefined) return null;
  return e.ci95 === undefined ? { mean: e.mean } : { mean: e.mean, ci95: e.ci95 };
}

export function benchPage(r: BenchResults): BenchPage {
  const page: BenchPage = {
    format: BENCH_PAGE_FORMAT,
    workload: r.workload,
    durationS: r.durationS,
    seeds: r.seeds,
    policies: summarise(r).map(({ policy, aggregate: a }) => ({
      policy,
      seeds: a.seeds,
      waste: figure(a.metrics.wasteMean),
      p95: figure(a.metrics.waitP95),
      ec2: figure(a.metrics.ec2Total),
      throttled: figure(a.metrics.throttled),
    })),
  };
  if (r.partial !== undefined) page.partial = r.partial;
  return page;
}

export async function writeBenchReport(r: BenchResults, file: string): Promise<void> {
  const { renderPage } = await import('../report/html/render.ts');
  const html = renderPage(`bench ${r.workload} — vpc-cni-sim`, benchPage(r), await pageAssets('bench-page'));
  writeOutputFile(file, html, '--report');
}
