/**
 * The worker side of a WorkerPool (pool.ts): `serve` answers each request with `handle` and takes what the pool
 * shares with `onShare`, in the order they were posted. `startData` is the pool's `data`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { InputError } from '../util/input-error.ts';
import type { FromWorker, ToWorker, WorkerStart } from './protocol.ts';

export function startData<T>(): T {
  return (workerData as WorkerStart).data as T;
}

export function serve<Req, Res>(handle: (req: Req) => Res | Promise<Res>, onShare?: (data: unknown) => void): void {
  const port = parentPort!;
  port.on('message', (msg: ToWorker<Req>) => {
    if (msg.type === 'share') {
      onShare?.(msg.data);
      return;
    }
    const { id } = msg;
    Promise.resolve()
      .then(() => handle(msg.req))
      .then(
        (res) => port.postMessage({ type: 'result', id, res } satisfies FromWorker<Res>),
        (err: unknown) => {
          const reply: FromWorker<Res> = err instanceof InputError
            ? { type: 'error', id, message: err.message, inputError: { where: err.where, reason: err.reason } }
            : { type: 'error', id, message: err instanceof Error ? (err.stack ?? err.message) : String(err) };
          port.postMessage(reply);
        },
      );
  });
}
