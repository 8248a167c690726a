/**
 * The job list of a benchmark — one job per (policy, seed), policy-major, seeds 1..N — and its deterministic
 * split into shards. Job k belongs to shard k mod n (round robin, so shards get near-equal mixes of policies),
 * and a job's result depends only on (workload, policy, seed), never on which shard or worker ran it: the union
 * of the shards' results is exactly the full run's.
 * It is not the scheduler (src/bench/pool.ts runs jobs on worker threads).
 */
import { InputError } from '../util/input-error.ts';

export interface Job {
  /** Position in the full job list. */
  index: number;
  policy: number;
  seed: number;
}

export interface Shard {
  /** 0-based, as a Kubernetes Indexed Job's JOB_COMPLETION_INDEX. */
  index: number;
  count: number;
}

export function jobList(policies: number, seeds: number): Job[] {
  const jobs: Job[] = [];
  for (let p = 0; p < policies; p++) for (let s = 1; s <= seeds; s++) jobs.push({ index: jobs.length, policy: p, seed: s });
  return jobs;
}

export function shardJobs<T extends { index: number }>(jobs: readonly T[], shard: Shard): T[] {
  return jobs.filter((j) => j.index % shard.count === shard.index);
}

/** Parses "i/n" (0 ≤ i < n). */
export function parseShard(text: string | undefined): Shard | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (m === null) throw new InputError({ field: '--shard' }, `expected i/n (e.g. 0/4; i is 0-based, as JOB_COMPLETION_INDEX), got "${text}"`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > 100_000) throw new InputError({ field: '--shard' }, `n must be between 1 and 100000, got ${count}`);
  if (index >= count) throw new InputError({ field: '--shard' }, `i must be between 0 and ${count - 1} (0-based), got ${index}`);
  return { index, count };
}
