/**
 * Process-style actors, in the manner of SimPy: a process is a generator that yields what it waits for.
 *
 * The yield protocol is deliberately tiny:
 *   - `yield ms` (a non-negative integer) sleeps for that many virtual milliseconds;
 *   - `yield event` waits for a `SimEvent` and resumes with its value;
 *   - `yield nap` sleeps in steps until a time or until woken (`Nap`: a periodic loop that is idle).
 * Use `yield* sleep(ms)` and `const v = yield* wait(event)` to keep the resume type precise.
 * A process that throws stops the whole run loudly, naming the process.
 */
import type { Agenda } from './agenda.ts';
import { SimEvent, type Wakeable } from './event.ts';
import type { QueueEntry } from './queue.ts';

export type Yieldable = number | SimEvent<unknown> | Nap;
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

/**
 * A sleep in steps, for a periodic loop with nothing to do until a time or until something changes:
 * `yield new Nap(stepMs, every, until, first)`, and `nap.end()` when the change comes. The process resumes only after
 * steps first, first + every, first + 2·every, … — the first of them due at or after `until`, or after `end()`. Each
 * step is an event of its own, queued exactly as a `yield stepMs` would be, so the order of everything else and the
 * event count are those of a loop that wakes at every step and sleeps again; the steps in between only do not
 * resume the generator (nor touch the model: a step reads the process alone). How many steps were taken is not
 * told: the loop knows where it resumes by the phase it asked for, and its own counts are of what it ran.
 */
export class Nap {
  /** The napping process, once yielded. */
  private proc: Process<unknown> | undefined;

  constructor(
    readonly stepMs: number,
    readonly every: number,
    readonly until: number,
    readonly first = 1,
  ) {
    if (!Number.isInteger(every) || every < 1) throw new Error(`a nap resumes every n-th step, n a positive integer; got ${every}`);
    if (!Number.isInteger(first) || first < 1 || first > every) throw new Error(`a nap's first step to resume at is 1…${every}; got ${first}`);
  }

  /** Resume at the next step that may resume (harmless once over, or before the nap began). */
  end(): void {
    this.proc?.endNap(this);
  }

  /** Internal (process.ts): the process starts this nap. */
  begin(p: Process<unknown>): void {
    this.proc = p;
  }
}

/** What every timer of a process calls: one shared function, so the run loop's call site stays monomorphic. */
function resumeProcess(p: Process<unknown>): void {
  p.resume();
}

/**
 * A running process. It is itself an event that succeeds with the generator's return value.
 *
 * It is also its own queue entry (`QueueEntry`), reused for every resumption (its start, each sleep, each event
 * wake): a process has at most one resumption pending, and it is running — so its entry has been popped — whenever
 * it schedules the next, so it is never in the queue twice. Each reuse takes a fresh sequence number
 * (`Agenda.requeue`), so the order is exactly that of a new timer per resumption, and resuming allocates nothing.
 */
export class Process<R = void> extends SimEvent<R> implements Wakeable, QueueEntry {
  /** Queue entry (internal): due time of the pending resumption. */
  time = 0;
  /** Queue entry (internal): sequence number of the pending resumption. */
  seq = 0;
  /** Queue entry (internal): set by `kill` when the pending resumption is a sleep, which then never runs. */
  cancelled = false;
  /** Queue entry (internal): what the queue calls, as `fn(arg)`. */
  readonly fn: (p: Process<unknown>) => void = resumeProcess;
  /** Queue entry (internal): this process. */
  readonly arg: Process<unknown> = this as Process<unknown>;
  /** True while the pending resumption is a sleep: the one `kill` cancels (an event wake is left to run, and ignored). */
  private sleeping = false;
  /** The nap in progress, if any (kept on the process so that a step reads nothing else). */
  private nap: Nap | undefined = undefined;
  private napStepMs = 0;
  private napEvery = 1;
  private napUntil = 0;
  /** Steps to take before the next that may resume (every − 1 after one that did not). */
  private napToGo = 0;
  private killed = false;
  /** What the next resumption passes to the generator (the value of the event it waited for). */
  private input: unknown = undefined;
  /**
   * `gen.next`, read once: every generator function has its own generator map, so reading `next` on each step
   * would be a megamorphic property load in a model with many process kinds.
   */
  private readonly step: Proc<R>['next'];

  constructor(
    agenda: Agenda,
    readonly name: string,
    private readonly gen: Proc<R>,
  ) {
    super(agenda);
    this.step = gen.next;
    agenda.requeue(this, 0);
  }

  get alive(): boolean {
    return !this.killed && !this.triggered;
  }

  /** Stops the process where it waits; it never resumes and never succeeds. */
  kill(): void {
    if (!this.alive) return;
    this.killed = true;
    if (this.sleeping) this.cancelled = true;
    this.gen.return(undefined as R);
  }

  /** Internal (Nap.end): the nap ends at its next step that may resume. */
  endNap(n: Nap): void {
    if (this.nap === n) this.napUntil = -Infinity;
  }

  /** Internal (SimEvent waiter protocol): resumes this process with `value`, through the queue. */
  wakeWith(value: unknown): void {
    this.input = value;
    this.agenda.requeue(this, 0);
  }

  /** Internal: takes one step of the generator. Called only from the queue, through `fn`. */
  resume(): void {
    if (this.killed) return;
    if (this.nap !== undefined) {
      if (--this.napToGo > 0 || this.time < this.napUntil) {
        if (this.napToGo === 0) this.napToGo = this.napEvery;
        this.agenda.requeue(this, this.napStepMs);
        return;
      }
      this.nap = undefined;
    }
    this.sleeping = false;
    const input = this.input;
    this.input = undefined;
    let step: IteratorResult<Yieldable, R>;
    try {
      step = this.step.call(this.gen, input);
    } catch (err) {
      throw this.failure(err);
    }
    if (step.done) {
      this.succeed(step.value);
      return;
    }
    const y = step.value;
    if (typeof y === 'number') {
      this.sleeping = true;
      this.agenda.requeue(this, y);
    } else if (y instanceof Nap) {
      this.startNap(y);
    } else {
      y.waitBy(this);
    }
  }

  private startNap(n: Nap): void {
    n.begin(this as Process<unknown>);
    this.nap = n;
    this.napStepMs = n.stepMs;
    this.napEvery = n.every;
    this.napUntil = n.until;
    this.napToGo = n.first;
    this.sleeping = true;
    this.agenda.requeue(this, n.stepMs);
  }

  private failure(err: unknown): Error {
    const msg = err instanceof Error ? err.message : String(err);
    return new Error(`process ${this.name} failed at t=${this.agenda.now}ms: ${msg}`, { cause: err });
  }
}
