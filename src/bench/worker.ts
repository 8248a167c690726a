/**
 * A benchmark worker thread: receives jobs (a policy index and a seed) from src/bench/pool.ts, runs each with
 * `runJob`, and posts back the result or the error. The workload and the policy list arrive once, in workerData.
 * It holds no state between jobs except loaded plugin modules.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { InputError } from '../util/input-error.ts';
import { runJob } from './run-job.ts';
import type { PoolShared, ToMain, ToWorker } from './pool.ts';

const shared = workerData as PoolShared;
const port = parentPort!;

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'stop') {
    port.close();
    return;
  }
  const { job } = msg;
  runJob({ workload: shared.workload, policy: shared.policies[job.policy], seed: job.seed }).then(
    (result) => port.postMessage({ type: 'result', index: job.index, result } satisfies ToMain),
    (err: unknown) => {
      const e = err as Error;
      const reply: ToMain = err instanceof InputError
        ? { type: 'error', index: job.index, message: e.message, inputError: { where: err.where, reason: err.reason } }
        : { type: 'error', index: job.index, message: e?.stack ?? String(err) };
      port.postMessage(reply);
    },
  );
});
port.postMessage({ type: 'ready' } satisfies ToMain);
