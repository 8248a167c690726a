/**
 * A pool of worker threads answering requests. `run` hands a request to a free worker (or queues it until one is:
 * by priority, then in order) and resolves with that worker's answer; `share` posts data to every worker ahead of what follows (a worker
 * reads its messages in order), so requests can name it instead of carrying it. Workers load a module through
 * entry.mjs, which registers the TypeScript loader first (a worker thread does not inherit the parent's), and answer
 * with `serve` (serve.ts). A failed request rejects with its error (an InputError stays one); a worker that dies
 * rejects everything in flight. Callers choose the work and its order; the pool only carries it.
 */
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { InputError } from '../util/input-error.ts';
import type { FromWorker, ToWorker, WorkerStart } from './protocol.ts';

export interface PoolOptions {
  /** Threads to start (at least 1). */
  size: number;
  /** Passed to every worker's module as `start.data` (structured-cloned once per worker). */
  data?: unknown;
  /** V8 heap limits per worker (a larger young generation spends less time collecting short-lived garbage). */
  resourceLimits?: ResourceLimits;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

export class WorkerPool<Req, Res> {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { id: number; req: Req; priority: number }[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | undefined;
  private closing = false;

  /** `module`: the worker's module (a file URL), which calls `serve`. */
  constructor(module: URL, opts: PoolOptions) {
    const start: WorkerStart = { module: module.href, data: opts.data };
    for (let i = 0; i < Math.max(1, opts.size); i++) {
      const w = new Worker(new URL('./entry.mjs', import.meta.url), { workerData: start, ...(opts.resourceLimits === undefined ? {} : { resourceLimits: opts.resourceLimits }) });
      w.on('message', (msg: FromWorker<Res>) => this.answered(w, msg));
      w.on('error', (err) => this.fail(err));
      // a worker ends only when the pool closes it; any other exit loses what it was doing
      w.on('exit', (code) => {
        if (!this.closing) this.fail(new Error(`worker thread exited with code ${code}`));
      });
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  /** `priority`: a request with a smaller one is handed out before those queued with larger ones (default 0). */
  run(req: Req, priority = 0): Promise<Res> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const id = this.nextId++;
    const p = new Promise<Res>((resolve, reject) => this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject }));
    const at = this.queue.findIndex((q) => q.priority > priority);
    this.queue.splice(at < 0 ? this.queue.length : at, 0, { id, req, priority });
    this.dispatch();
    return p;
  }

  share(data: unknown): void {
    for (const w of this.workers) w.postMessage({ type: 'share', data } satisfies ToWorker<Req>);
  }

  /** Ends the workers; what is still waiting or running rejects. */
  async close(): Promise<void> {
    this.fail(new Error('worker pool closed'));
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const w = this.idle.shift()!;
      const { id, req } = this.queue.shift()!;
      w.postMessage({ type: 'run', id, req } satisfies ToWorker<Req>);
    }
  }

  private answered(w: Worker, msg: FromWorker<Res>): void {
    const p = this.pending.get(msg.id);
    this.pending.delete(msg.id);
    this.idle.push(w);
    if (p !== undefined) {
      if (msg.type === 'result') p.resolve(msg.res);
      else p.reject(msg.inputError === undefined ? new Error(msg.message) : new InputError(msg.inputError.where, msg.inputError.reason));
    }
    this.dispatch();
  }

  private fail(err: Error): void {
    if (this.failure !== undefined) return;
    this.failure = err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    this.queue.length = 0;
  }
}
