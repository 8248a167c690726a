/**
 * The agenda: the engine's clock, its sequence counter and its queue — what events and processes schedule
 * through. Internal to src/sim (index.ts does not export it): the public face is `Simulation`, which owns one
 * agenda and runs it. Events (event.ts) and processes (process.ts) hold the agenda, not the Simulation, so the
 * engine's files import downwards only: queue ← agenda ← event ← process ← simulation.
 *
 * Not here: the run controls (until, stopWhen, stop, maxEvents), random streams and the trace (simulation.ts).
 */
import { Timer, TimerQueue, type QueueEntry } from './queue.ts';

/** A delay as the engine keeps it: an integer number of milliseconds, never negative. */
function wholeMs(delayMs: number): number {
  return delayMs > 0 ? Math.round(delayMs) : 0;
}

export class Agenda {
  /** Virtual time, integer ms. Advanced only by the run loop (simulation.ts). */
  now = 0;
  /** Events processed so far (cancelled timers not counted). */
  eventCount = 0;
  private seq = 0;
  readonly queue = new TimerQueue<QueueEntry>();

  /** Runs `fn(arg)` after `delayMs`: a timer that needs no closure (the waiters of an event, event.ts). */
  call<A>(delayMs: number, fn: (arg: A) => void, arg: A): Timer {
    const d = wholeMs(delayMs);
    const t = new Timer(this.now + d, this.seq++, fn, arg);
    this.queue.push(t, d);
    return t;
  }

  /**
   * Queues `e` to run after `delayMs`, exactly as a fresh `call(delayMs, e.fn, e.arg)` would (same time, same
   * sequence number), without allocating: a process's one reusable entry (process.ts). Only for an entry that is
   * not queued — it has run, or was never queued — and not cancelled.
   */
  requeue(e: QueueEntry, delayMs: number): void {
    const d = wholeMs(delayMs);
    e.time = this.now + d;
    e.seq = this.seq++;
    this.queue.push(e, d);
  }

  /** The next live entry due at or before `until`, taken off the queue, with the clock moved to it and counted. */
  take(until: number): QueueEntry | undefined {
    for (;;) {
      const e = this.queue.popDue(until);
      if (e === undefined) return undefined;
      if (e.cancelled) continue;
      this.now = e.time;
      this.eventCount++;
      return e;
    }
  }

  /** Time of the next live entry (dropping cancelled ones at the head), or undefined when nothing is left. */
  nextTime(): number | undefined {
    for (;;) {
      const e = this.queue.peek();
      if (e === undefined) return undefined;
      if (!e.cancelled) return e.time;
      this.queue.pop();
    }
  }
}
