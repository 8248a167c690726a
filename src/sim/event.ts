/**
 * A one-shot event: pending until someone calls `succeed(value)`, then every waiter resumes with that value.
 *
 * Waiters resume through the queue (at the current time, in scheduling order), never synchronously inside
 * `succeed`, so the order of resumptions is fixed by the queue and not by who triggered whom.
 * Events never fail: operations that can go wrong (an EC2 call) succeed with a result value that says so.
 */
import type { Simulation } from './simulation.ts';

export class SimEvent<T> {
  private waiters: Array<(value: T) => void> | null = [];
  private result: { value: T } | null = null;

  constructor(protected readonly sim: Simulation) {}

  get triggered(): boolean {
    return this.result !== null;
  }

  /** The value; only meaningful once triggered. */
  get value(): T {
    if (this.result === null) throw new Error('SimEvent.value read before the event was triggered');
    return this.result.value;
  }

  succeed(value: T): void {
    if (this.result !== null) throw new Error('SimEvent triggered twice');
    this.result = { value };
    const waiters = this.waiters!;
    this.waiters = null;
    for (const w of waiters) this.sim.schedule(0, () => w(value));
  }

  /** Calls `fn` with the value once triggered (through the queue, at the trigger time or now if already triggered). */
  then(fn: (value: T) => void): void {
    if (this.result !== null) {
      const v = this.result.value;
      this.sim.schedule(0, () => fn(v));
    } else {
      this.waiters!.push(fn);
    }
  }
}
