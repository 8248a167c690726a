/**
 * Process-style actors, in the manner of SimPy: a process is a generator that yields what it waits for.
 *
 * The yield protocol is deliberately tiny:
 *   - `yield ms` (a non-negative integer) sleeps for that many virtual milliseconds;
 *   - `yield event` waits for a `SimEvent` and resumes with its value.
 * Use `yield* sleep(ms)` and `const v = yield* wait(event)` to keep the resume type precise.
 * A process that throws stops the whole run loudly, naming the process.
 */
import { SimEvent } from './event.ts';
import type { Simulation } from './simulation.ts';
import type { Timer } from './queue.ts';

export type Yieldable = number | SimEvent<unknown>;
export type Proc<R = void> = Generator<Yieldable, R, unknown>;

/** Sleeps `ms` virtual milliseconds: `yield* sleep(ms)`. */
export function sleep(ms: number): Proc<void> {
  return new YieldOnce<void>(ms, false);
}

/** Waits for `event` and returns its value, typed: `const v = yield* wait(event)`. */
export function wait<T>(event: SimEvent<T>): Proc<T> {
  return new YieldOnce<T>(event as SimEvent<unknown>, true);
}

/**
 * What `sleep` and `wait` return: a one-step iterator that behaves under `yield*` exactly like the generator
 * `function* () { return yield item; }` (or `{ yield item; }` for sleep) — it yields `item` once, then finishes with
 * the value the process was resumed with. It is cheaper than a generator: one small object per call, which is also
 * its own iterator result (`{ value, done }`). `yield*` reads a result as soon as it gets it (and passes a
 * not-done one straight to `Process.resume`, which reads it at once too), so reusing the object is safe; code
 * that calls `next()` by hand must read the result before calling `next()` again.
 */
class YieldOnce<R> implements Generator<Yieldable, R, unknown> {
  value: unknown;
  done = false;
  private started = false;

  constructor(
    item: Yieldable,
    private readonly returnsInput: boolean,
  ) {
    this.value = item;
  }

  next(input?: unknown): IteratorResult<Yieldable, R> {
    if (!this.started) {
      this.started = true;
    } else if (!this.done) {
      this.done = true;
      this.value = this.returnsInput ? input : undefined;
    } else {
      this.value = undefined;
    }
    return this as IteratorResult<Yieldable, R>;
  }

  return(value: R): IteratorResult<Yieldable, R> {
    this.started = true;
    this.done = true;
    this.value = value;
    return this as IteratorResult<Yieldable, R>;
  }

  throw(err: unknown): IteratorResult<Yieldable, R> {
    this.started = true;
    this.done = true;
    this.value = undefined;
    throw err;
  }

  [Symbol.iterator](): Generator<Yieldable, R, unknown> {
    return this;
  }
}

/** A running process. It is itself an event that succeeds with the generator's return value. */
export class Process<R = void> extends SimEvent<R> {
  private timer: Timer | null = null;
  private killed = false;
  /** The one callback every timer and event of this process resumes it through. */
  private readonly wake: (input: unknown) => void;

  constructor(
    sim: Simulation,
    readonly name: string,
    private readonly gen: Proc<R>,
  ) {
    super(sim);
    this.wake = (input) => this.resume(input);
    sim.scheduleCall(0, this.wake, undefined);
  }

  get alive(): boolean {
    return !this.killed && !this.triggered;
  }

  /** Stops the process where it waits; it never resumes and never succeeds. */
  kill(): void {
    if (!this.alive) return;
    this.killed = true;
    this.timer?.cancel();
    this.gen.return(undefined as R);
  }

  private resume(input: unknown): void {
    if (this.killed) return;
    this.timer = null;
    let step: IteratorResult<Yieldable, R>;
    try {
      step = this.gen.next(input);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      throw new Error(`process ${this.name} failed at t=${this.sim.now}ms: ${msg}`, { cause: err });
    }
    if (step.done) {
      this.succeed(step.value);
      return;
    }
    const y = step.value;
    if (typeof y === 'number') {
      this.timer = this.sim.scheduleCall(y, this.wake, undefined);
    } else {
      y.then(this.wake);
    }
  }
}
