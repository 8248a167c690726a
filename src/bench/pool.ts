/**
 * Runs benchmark jobs, in this thread (one worker) or on K worker threads. Each job is independent — its own
 * Simulation seeded by the job's seed — and results are put back in job order, so the figures are the same
 * whatever K is and whichever worker finished first. Workers pull the next job when they finish one (the
 * jobs differ a lot in cost), and are loaded through worker-entry.mjs, which registers the TypeScript loader.
 * It is not the job list (jobs.ts) nor a job (run-job.ts).
 */
import { Worker } from 'node:worker_threads';
import { InputError, type Where } from '../util/input-error.ts';
import type { Job } from './jobs.ts';
import type { PolicySpec } from './policies.ts';
import type { JobResult } from './report.ts';
import { runJob } from './run-job.ts';
import type { Workload } from '../scenario/workload.ts';

/** Sent once to every worker (workerData). */
export interface PoolShared {
  workload: Workload;
  policies: PolicySpec[];
}

export type ToWorker = { type: 'job'; job: Job } | { type: 'stop' };
export type ToMain =
  | { type: 'ready' }
  | { type: 'result'; index: number; result: JobResult }
  | { type: 'error'; index: number; message: string; inputError?: { where: Where; reason: string } };

export interface PoolOptions {
  workers: number;
  /** Called after each finished job, in completion order. */
  onProgress?: (done: number, total: number, last: JobResult) => void;
}

/** Results in the order of `jobs`. */
export async function runJobs(shared: PoolShared, jobs: readonly Job[], opts: PoolOptions): Promise<JobResult[]> {
  const results = new Array<JobResult>(jobs.length);
  const pos = new Map(jobs.map((j, i) => [j.index, i]));
  let done = 0;
  const finish = (index: number, r: JobResult) => {
    results[pos.get(index)!] = r;
    done++;
    opts.onProgress?.(done, jobs.length, r);
  };

  const k = Math.max(1, Math.min(opts.workers, jobs.length));
  if (k === 1) {
    for (const job of jobs) {
      finish(job.index, await runJob({ workload: shared.workload, policy: shared.policies[job.policy], seed: job.seed }));
    }
    return results;
  }

  const queue = [...jobs];
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      let active = k;
      const fail = (err: Error) => {
        if (failed) return;
        failed = true;
        reject(err);
      };
      for (let i = 0; i < k; i++) {
        const w = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: shared satisfies PoolShared });
        workers.push(w);
        const next = () => {
          const job = queue.shift();
          if (job === undefined || failed) {
            w.postMessage({ type: 'stop' } satisfies ToWorker);
            if (--active === 0 && !failed) resolve();
            return;
          }
          w.postMessage({ type: 'job', job } satisfies ToWorker);
        };
        w.on('message', (msg: ToMain) => {
          if (msg.type === 'ready') return next();
          if (msg.type === 'result') {
            finish(msg.index, msg.result);
            return next();
          }
          fail(msg.inputError !== undefined ? new InputError(msg.inputError.where, msg.inputError.reason) : new Error(`job ${msg.index}: ${msg.message}`));
        });
        w.on('error', (err) => fail(err));
        w.on('exit', (code) => {
          if (code !== 0) fail(new Error(`benchmark worker exited with code ${code}`));
        });
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
