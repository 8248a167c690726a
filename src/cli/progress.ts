/**
 * `run`'s progress on stderr: nothing for the first two seconds of wall time (most scenarios finish sooner), then
 * one redrawn line — simulated time and events per second — and only when stderr is a terminal, so pipes and logs
 * stay clean. Wall time is read here, in the command, never inside the simulation.
 */
import { formatClock } from '../util/duration.ts';

const QUIET_MS = 2000;
const REDRAW_MS = 250;

export interface ProgressReporter {
  tick(now: number, events: number): void;
  done(): void;
}

export function progressReporter(stream: NodeJS.WriteStream = process.stderr, clock: () => number = () => performance.now()): ProgressReporter | undefined {
  if (!stream.isTTY) return undefined;
  const start = clock();
  let drawn = false;
  let last = 0;
  return {
    tick(now, events) {
      const t = clock();
      if (t - start < QUIET_MS || t - last < REDRAW_MS) return;
      last = t;
      drawn = true;
      const rate = Math.round(events / ((t - start) / 1000));
      stream.write(`\r\x1b[K  simulated ${formatClock(now)} · ${events.toLocaleString('en-US')} events · ${rate.toLocaleString('en-US')} events/s`);
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}
