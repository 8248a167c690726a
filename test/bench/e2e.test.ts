import { describe, expect, it } from 'vitest';
import { runBench } from '../../src/bench/bench.ts';
import { jobList, shardJobs } from '../../src/bench/jobs.ts';
import { formatCsv, formatJson, formatTable, type BenchResults } from '../../src/bench/report.ts';
import { loadWorkload } from '../../src/cli/scenario-file.ts';

const small = loadWorkload(new URL('../../bench/workloads/small.yaml', import.meta.url).pathname);
const policies = ['warm-eni-1', 'warm-ip-2-min-10'];

describe('bench end to end (small workload, 2 policies × 2 seeds)', () => {
  let one: BenchResults;
  let two: BenchResults;

  it('runs on one worker', async () => {
    one = await runBench({ workload: small, policies, seeds: 2, workers: 1 });
    expect(one.runs.map((r) => `${r.policy}#${r.seed}`)).toEqual(['warm-eni-1#1', 'warm-eni-1#2', 'warm-ip-2-min-10#1', 'warm-ip-2-min-10#2']);
    for (const r of one.runs) {
      expect(r.metrics.pods).toBeGreaterThan(100);
      expect(r.metrics.heldMean!).toBeGreaterThanOrEqual(r.metrics.usedMean!);
      expect(r.metrics.ec2Total).toBeGreaterThan(0);
    }
  });

  it('gives identical figures on two worker threads', async () => {
    two = await runBench({ workload: small, policies, seeds: 2, workers: 2 });
    expect(formatJson(two)).toBe(formatJson(one));
  });

  it('prints one table row per policy with the expected columns', () => {
    const text = formatTable(one);
    const lines = text.trimEnd().split('\n');
    expect(lines[1].split(/\s{2,}/)).toEqual([
      'policy', 'seeds', 'held', 'used', 'waste', 'waste pk', 'subnet min', 'ran out s',
      'p50 s', 'p95 s', 'p99 s', 'max s', '>1m', 'pods', 'EC2 calls', 'throttled', 'ENIs pk',
    ]);
    expect(lines).toHaveLength(5);
    expect(lines[3].startsWith('warm-eni-1 ')).toBe(true);
    expect(lines[4].startsWith('warm-ip-2-min-10 ')).toBe(true);
    expect(lines[3]).toMatch(/ ±/); // two seeds: an interval
    expect(formatCsv(one).split('\n')[0]).toMatch(/^policy,seeds,heldMean_mean,heldMean_ci95,/);
  });

  it('a shard gives exactly the same runs as the full run', async () => {
    const all = jobList(2, 2);
    const shard = await runBench({ workload: small, policies, seeds: 2, workers: 1, shard: { index: 1, count: 3 } });
    const want = shardJobs(all, { index: 1, count: 3 }).map((j) => one.runs[j.index]);
    expect(shard.runs).toEqual(want);
    expect(shard.partial).toBe('shard 1/3');
  });
});
