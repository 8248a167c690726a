/**
 * The benchmark as a library call: a workload, policies, seeds, workers and an optional shard in; every run's
 * figures out (BenchResults, formatted by report.ts). The CLI (src/cli/bench.ts) and the tests call this.
 * Also merges the JSON outputs of shards back into one result.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../util/input-error.ts';
import { jobList, shardJobs, type Shard } from './jobs.ts';
import { resolvePolicies } from './policies.ts';
import { runJobs } from './pool.ts';
import type { BenchResults, JobResult } from './report.ts';
import type { Workload } from '../scenario/workload.ts';

export interface BenchOptions {
  workload: Workload;
  /** Policy expressions (names, modifiers, plugin paths); default: the workload's list. */
  policies?: string[];
  seeds: number;
  workers: number;
  shard?: Shard;
  /** Resolve plugin paths against this directory. */
  cwd?: string;
  onProgress?: (done: number, total: number) => void;
}

export async function runBench(o: BenchOptions): Promise<BenchResults> {
  const policies = await resolvePolicies(o.policies ?? o.workload.policies, o.workload.definePolicies, o.cwd);
  const all = jobList(policies.length, o.seeds);
  const jobs = o.shard === undefined ? all : shardJobs(all, o.shard);
  const runs = await runJobs({ workload: o.workload, policies }, jobs, {
    workers: o.workers,
    onProgress: o.onProgress === undefined ? undefined : (d, t) => o.onProgress!(d, t),
  });
  return {
    workload: o.workload.name,
    durationS: o.workload.duration / 1000,
    policies: policies.map((p) => p.name),
    seeds: o.seeds,
    ...(o.shard !== undefined && o.shard.count > 1 ? { partial: `shard ${o.shard.index}/${o.shard.count}` } : {}),
    runs,
  };
}

/** Merges shard outputs (bench --format json) of the same workload into one result, runs in (policy, seed) order. */
export function mergeResults(files: string[]): BenchResults {
  if (files.length === 0) throw new InputError({ field: '--merge' }, 'give the JSON files of the shards');
  let merged: BenchResults | undefined;
  const seen = new Set<string>();
  for (const file of files) {
    let r: BenchResults;
    try {
      r = JSON.parse(readFileSync(file, 'utf8')) as BenchResults;
    } catch (err) {
      throw new InputError({ file }, `not a bench JSON result: ${(err as Error).message.split('\n')[0]}`);
    }
    if (typeof r !== 'object' || r === null || !Array.isArray(r.runs) || !Array.isArray(r.policies) || typeof r.workload !== 'string') {
      throw new InputError({ file }, 'not a bench JSON result (run bench with --format json)');
    }
    if (merged === undefined) {
      merged = { workload: r.workload, durationS: r.durationS, policies: [...r.policies], seeds: r.seeds, runs: [] };
    } else if (r.workload !== merged.workload || r.durationS !== merged.durationS || r.seeds !== merged.seeds || r.policies.join(',') !== merged.policies.join(',')) {
      throw new InputError({ file }, `a different benchmark (workload ${r.workload}, policies ${r.policies.join(',')}, seeds ${r.seeds}) from the first file`);
    }
    for (const run of r.runs) {
      const key = `${run.policy}#${run.seed}`;
      if (seen.has(key)) throw new InputError({ file }, `run ${run.policy} seed ${run.seed} appears twice`);
      seen.add(key);
      merged.runs.push(run);
    }
  }
  const m = merged!;
  const order = (x: JobResult) => m.policies.indexOf(x.policy) * 1e9 + x.seed;
  m.runs.sort((a, b) => order(a) - order(b));
  const expected = m.policies.length * m.seeds;
  if (m.runs.length !== expected) {
    process.stderr.write(`bench --merge: ${m.runs.length} of ${expected} runs present (missing shards?)\n`);
    m.partial = `merged ${m.runs.length} of ${expected} runs`;
  }
  return m;
}
