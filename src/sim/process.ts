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

export function* sleep(ms: number): Proc<void> {
  yield ms;
}

export function* wait<T>(event: SimEvent<T>): Proc<T> {
  return (yield event as SimEvent<unknown>) as T;
}

/** A running process. It is itself an event that succeeds with the generator's return value. */
export class Process<R = void> extends SimEvent<R> {
  private timer: Timer | null = null;
  private killed = false;

  constructor(
    sim: Simulation,
    readonly name: string,
    private readonly gen: Proc<R>,
  ) {
    super(sim);
    sim.schedule(0, () => this.resume(undefined));
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
      this.timer = this.sim.schedule(y, () => this.resume(undefined));
    } else {
      y.then((v) => this.resume(v));
    }
  }
}
