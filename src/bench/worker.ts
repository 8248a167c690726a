/**
 * A benchmark worker thread (src/bench/pool.ts): runs each job (a policy index and a seed) with `runJob`. The
 * workload and the policy list arrive once, as the pool's data. It holds no state between jobs except loaded plugin
 * modules.
 */
import { serve, startData } from '../workers/serve.ts';
import { runJob } from './run-job.ts';
import type { Job } from './jobs.ts';
import type { PoolShared } from './pool.ts';
import type { JobResult } from './report.ts';

const shared = startData<PoolShared>();
serve<Job, JobResult>((job) => runJob({ workload: shared.workload, policy: shared.policies[job.policy], seed: job.seed }));
