/**
 * A one-shot event: pending until someone calls `succeed(value)`, then every waiter resumes with that value.
 *
 * Waiters resume through the queue (at the current time, in scheduling order), never synchronously inside
 * `succeed`, so the order of resumptions is fixed by the queue and not by who triggered whom.
 * Events never fail: operations that can go wrong (an EC2 call) succeed with a result value that says so.
 */
import type { Simulation } from './simulation.ts';

export class SimEvent<T> {
  /** Callbacks waiting for the value; created on the first `then`. */
  private waiters: Array<(value: T) => void> | null = null;
  private done = false;
  private result: T | undefined = undefined;

  constructor(protected readonly sim: Simulation) {}

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
    const waiters = this.waiters;
    if (waiters === null) return;
    this.waiters = null;
    for (let i = 0; i < waiters.length; i++) this.sim.scheduleCall(0, waiters[i], value);
  }

  /** Calls `fn` with the value once triggered (through the queue, at the trigger time or now if already triggered). */
  then(fn: (value: T) => void): void {
    if (this.done) {
      this.sim.scheduleCall(0, fn, this.result as T);
    } else if (this.waiters === null) {
      this.waiters = [fn];
    } else {
      this.waiters.push(fn);
    }
  }
}
