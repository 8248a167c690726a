/**
 * A one-shot event: pending until someone calls `succeed(value)`, then every waiter resumes with that value.
 *
 * Waiters resume through the queue (at the current time, in scheduling order), never synchronously inside
 * `succeed`, so the order of resumptions is fixed by the queue and not by who triggered whom.
 * Events never fail: operations that can go wrong (an EC2 call) succeed with a result value that says so.
 */
import type { Agenda } from './agenda.ts';

/**
 * A waiter that is not a plain callback: a process (process.ts). `wakeWith` must schedule exactly one zero-delay
 * timer that resumes it with `value` — the same one timer `then(fn)` schedules for a callback — so order and
 * event counts are the same whichever kind of waiter waits.
 */
export interface Wakeable {
  wakeWith(value: unknown): void;
}

/** Typed loosely (not by T) so that SimEvent<T> stays assignable to SimEvent<unknown>, as `yield event` needs. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Waiter = ((value: any) => void) | Wakeable;

export class SimEvent<T> {
  /** The first waiter (most events have at most one: no array is made for it). */
  private first: Waiter | null = null;
  /** Waiters after the first, in the order they started waiting; created on the second wait. */
  private rest: Array<Waiter> | null = null;
  private done = false;
  private result: T | undefined = undefined;

  constructor(protected readonly agenda: Agenda) {}

  get triggered(): boolean {
    return this.done;
  }

  /** The value; only meaningful once triggered. */
  get value(): T {
    if (!this.done) throw new Error('SimEvent.value read before the event was triggered');
    return this.result as T;
  }

  succeed(value: T): void {
    if (this.done) throw new Error('SimEvent triggered twice');
    this.done = true;
    this.result = value;
    const first = this.first;
    if (first === null) return;
    this.first = null;
    this.wake(first, value);
    const rest = this.rest;
    if (rest === null) return;
    this.rest = null;
    for (let i = 0; i < rest.length; i++) this.wake(rest[i], value);
  }

  /** Calls `fn` with the value once triggered (through the queue, at the trigger time or now if already triggered). */
  then(fn: (value: T) => void): void {
    this.addWaiter(fn);
  }

  /**
   * `then` for a process: `w.wakeWith(value)` once triggered (at once if already triggered; `wakeWith` goes through
   * the queue itself). Used by process.ts so a waiting process needs no closure.
   */
  waitBy(w: Wakeable): void {
    this.addWaiter(w);
  }

  private addWaiter(w: Waiter): void {
    if (this.done) {
      this.wake(w, this.result);
    } else if (this.first === null) {
      this.first = w;
    } else if (this.rest === null) {
      this.rest = [w];
    } else {
      this.rest.push(w);
    }
  }

  /** Schedules one waiter's resumption: one zero-delay timer, whichever kind of waiter it is. */
  private wake(w: Waiter, value: T | undefined): void {
    if (typeof w === 'function') this.agenda.call(0, w, value);
    else w.wakeWith(value);
  }
}
