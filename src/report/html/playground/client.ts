/**
 * The page's side of the worker (worker.ts): builds it from the worker script the page carries as text, sends one run
 * at a time and ends a run early by terminating the worker (a new one is made for the next run), so Stop works even in
 * the middle of a long simulation. Not here: what a run does (src/report/play.ts).
 */
import type { PlayProgress, PlayReply, PlayRequest } from '../../play.ts';
import type { WorkerMessage } from './worker.ts';

export interface RunClient {
  /** Starts a run (ending one in flight); resolves with its reply, or 'stopped' if stop() or another run ended it. */
  run(req: PlayRequest, onProgress: (p: PlayProgress) => void): Promise<PlayReply | 'stopped'>;
  stop(): void;
  busy(): boolean;
}

export function runClient(workerSource: string): RunClient {
  const url = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
  let worker: Worker | undefined;
  let pending: ((r: PlayReply | 'stopped') => void) | undefined;
  const stop = (): void => {
    worker?.terminate();
    worker = undefined;
    const p = pending;
    pending = undefined;
    p?.('stopped');
  };
  return {
    run(req, onProgress) {
      stop();
      const w = (worker = new Worker(url));
      return new Promise((resolve) => {
        pending = resolve;
        w.onmessage = (e: MessageEvent<WorkerMessage>) => {
          const m = e.data;
          if (m.type === 'progress') return onProgress(m.progress);
          pending = undefined;
          resolve(m.type === 'reply' ? m.reply : { kind: 'error', message: `internal error in the simulator: ${m.message}` });
        };
        w.onerror = (e) => {
          e.preventDefault();
          pending = undefined;
          resolve({ kind: 'error', message: `internal error in the simulator: ${e.message}` });
        };
        w.postMessage(req);
      });
    },
    stop,
    busy: () => pending !== undefined,
  };
}
