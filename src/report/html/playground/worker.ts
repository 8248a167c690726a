/**
 * The playground's Web Worker: the simulator's core (scenario loader, runner, recorder, report) bundled from the same
 * source as the CLI by src/cli/report-assets.ts, run off the page's thread so the page never freezes and Stop can
 * end it. One message in ({ yaml, file }), progress messages while the run goes, one reply out (report/play.ts).
 * Not here: the page (main.ts), what a run answers (src/report/play.ts).
 */
import { play, type PlayProgress, type PlayReply, type PlayRequest } from '../../play.ts';

export type WorkerMessage = { type: 'progress'; progress: PlayProgress } | { type: 'reply'; reply: PlayReply } | { type: 'crash'; message: string };

// the worker's global scope, typed as much as this file uses (the page's tsconfig has the DOM library, not WebWorker)
const scope = self as unknown as { postMessage(m: WorkerMessage): void; onmessage: ((e: MessageEvent<PlayRequest>) => void) | null };

/** Progress at most this often (wall ms, the worker's own clock, outside the simulation), so the page is not flooded. */
const PROGRESS_EVERY_MS = 100;

scope.onmessage = (e) => {
  let last = -Infinity;
  try {
    const reply = play(e.data, (progress) => {
      const now = performance.now();
      if (now - last < PROGRESS_EVERY_MS) return;
      last = now;
      scope.postMessage({ type: 'progress', progress });
    });
    scope.postMessage({ type: 'reply', reply });
  } catch (err) {
    scope.postMessage({ type: 'crash', message: err instanceof Error ? err.message : String(err) });
  }
};
