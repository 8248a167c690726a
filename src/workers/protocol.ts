/** The messages between a WorkerPool (pool.ts) and its workers (serve.ts). */
import type { Where } from '../util/input-error.ts';

/** The worker's start: the module to load (a file URL) and the pool's shared data. */
export interface WorkerStart {
  module: string;
  data: unknown;
}

export type ToWorker<Req> = { type: 'run'; id: number; req: Req } | { type: 'share'; data: unknown };

export type FromWorker<Res> =
  | { type: 'result'; id: number; res: Res }
  | { type: 'error'; id: number; message: string; inputError?: { where: Where; reason: string } };
