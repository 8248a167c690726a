/**
 * Runs benchmark jobs, in this thread (one worker) or on K worker threads (src/workers/pool.ts). Each job is
 * independent — its own Simulation seeded by the job's seed — and results are put back in job order, so the figures
 * are the same whatever K is and whichever worker finished first. A worker takes the next job when it finishes one
 * (the jobs differ a lot in cost). It is not the job list (jobs.ts) nor a job (run-job.ts).
 */
import { InputError } from '../util/input-error.ts';
import { WorkerPool } from '../workers/pool.ts';
import type { Job } from './jobs.ts';
import type { PolicySpec } from './policies.ts';
import type { JobResult } from './report.ts';
import { runJob } from './run-job.ts';
import type { Workload } from '../scenario/workload.ts';

/** Sent once to every worker. */
export interface PoolShared {
  workload: Workload;
  policies: PolicySpec[];
}

export interface PoolOptions {
  workers: number;
  /** Called after each finished job, in completion order. */
  onProgress?: (done: number, total: number, last: JobResult) => void;
}

/** Results in the order of `jobs`. */
export async function runJobs(shared: PoolShared, jobs: readonly Job[], opts: PoolOptions): Promise<JobResult[]> {
  let done = 0;
  const finish = (r: JobResult): JobResult => {
    opts.onProgress?.(++done, jobs.length, r);
    return r;
  };
  const k = Math.max(1, Math.min(opts.workers, jobs.length));
  if (k === 1) {
    const results: JobResult[] = [];
    for (const job of jobs) results.push(finish(await runJob({ workload: shared.workload, policy: shared.policies[job.policy], seed: job.seed })));
    return results;
  }
  const pool = new WorkerPool<Job, JobResult>(new URL('./worker.ts', import.meta.url), { size: k, data: shared });
  try {
    // an InputError is the user's (its one line as it is); anything else is named by its job
    const named = (job: Job) => (err: unknown) => {
      throw err instanceof InputError ? err : new Error(`job ${job.index}: ${err instanceof Error ? err.message : String(err)}`);
    };
    return await Promise.all(jobs.map((job) => pool.run(job).then(finish, named(job))));
  } finally {
    await pool.close();
  }
}
