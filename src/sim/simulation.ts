/**
 * The simulation environment: integer-millisecond virtual time, the event queue, processes, named random
 * streams and the optional trace. It knows nothing of EC2, ipamd or Kubernetes.
 */
import { SimEvent } from './event.ts';
import { Process, type Proc } from './process.ts';
import { Timer, TimerQueue, type QueueEntry } from './queue.ts';
import { RandomStreams, type Random } from './random.ts';
import type { TraceRecord, Tracer } from './trace.ts';

export interface RunOptions {
  /** Process every event due at or before this time, then set the clock to it. */
  until?: number;
  /** Stop as soon as this holds after an event. */
  stopWhen?: () => boolean;
  /** Safety valve against runaway models: stop with an error after this many events. */
  maxEvents?: number;
}

export class Simulation {
  private _now = 0;
  private seq = 0;
  private readonly queue = new TimerQueue<QueueEntry>();
  private readonly streams: RandomStreams;
  private stopped = false;
  /** Events processed so far (cancelled timers not counted). */
  eventCount = 0;
  tracer: Tracer | null = null;

  constructor(readonly seed: number | string = 1) {
    this.streams = new RandomStreams(seed);
  }

  get now(): number {
    return this._now;
  }

  /** True when a tracer is attached; test it before building a trace record. */
  get tracing(): boolean {
    return this.tracer !== null;
  }

  trace(kind: string, fields: Record<string, unknown> = {}): void {
    if (this.tracer !== null) this.tracer.write({ t: this._now, kind, ...fields } as TraceRecord);
  }

  /** Runs `fn` after `delayMs` (rounded to an integer; never in the past). */
  schedule(delayMs: number, fn: () => void): Timer {
    return this.scheduleCall(delayMs, fn, undefined);
  }

  /** Runs `fn(arg)` after `delayMs`: `schedule` without a closure per call, for hot paths. */
  scheduleCall<A>(delayMs: number, fn: (arg: A) => void, arg: A): Timer {
    const d = delayMs > 0 ? Math.round(delayMs) : 0;
    const t = new Timer(this._now + d, this.seq++, fn, arg);
    if (d === 0) this.queue.pushNow(t);
    else this.queue.pushAfter(t, d);
    return t;
  }

  /**
   * Queues `t` to run after `delayMs`, exactly as a fresh `scheduleCall(delayMs, t.fn, t.arg)` would (same
   * time, same sequence number), without allocating. Internal (process.ts): only for an entry that is not queued —
   * it has run, or was never queued — and not cancelled.
   */
  requeue(t: QueueEntry, delayMs: number): void {
    const d = delayMs > 0 ? Math.round(delayMs) : 0;
    t.time = this._now + d;
    t.seq = this.seq++;
    if (d === 0) this.queue.pushNow(t);
    else this.queue.pushAfter(t, d);
  }

  /**
   * Gives timers of exactly `delayMs` a queue lane of their own (queue.ts): for a delay a model schedules over
   * and over, such as a periodic loop's sleep. Changes no order, only the cost.
   */
  addQueueLane(delayMs: number): void {
    if (!Number.isInteger(delayMs) || delayMs <= 0) throw new Error(`a queue lane needs a positive integer delay, got ${delayMs}`);
    this.queue.addLane(delayMs);
  }

  /** Runs `fn` at absolute time `at` (or now, if `at` has passed). */
  scheduleAt(at: number, fn: () => void): Timer {
    return this.schedule(at - this._now, fn);
  }

  /** A fresh pending event. */
  event<T>(): SimEvent<T> {
    return new SimEvent<T>(this);
  }

  /** An event that succeeds with `value` after `delayMs`. */
  timeout<T>(delayMs: number, value: T): SimEvent<T> {
    const ev = new SimEvent<T>(this);
    this.schedule(delayMs, () => ev.succeed(value));
    return ev;
  }

  /** Starts a process; it takes its first step at the current time, after what is already due now. */
  spawn<R>(name: string, gen: Proc<R>): Process<R> {
    return new Process<R>(this, name, gen);
  }

  /** The named random stream (see random.ts). */
  random(name: string): Random {
    return this.streams.get(name);
  }

  /** Ends the current `run` after the event being processed. */
  stop(): void {
    this.stopped = true;
  }

  /** Time of the next live event, or undefined when nothing is left. */
  peek(): number | undefined {
    for (;;) {
      const top = this.queue.peek();
      if (top === undefined) return undefined;
      if (!top.cancelled) return top.time;
      this.queue.pop();
    }
  }

  /** Processes one event; false when nothing is left. */
  step(): boolean {
    for (;;) {
      const t = this.queue.pop();
      if (t === undefined) return false;
      if (t.cancelled) continue;
      this._now = t.time;
      this.eventCount++;
      t.fn(t.arg);
      return true;
    }
  }

  run(opts: RunOptions = {}): void {
    const { until, stopWhen, maxEvents } = opts;
    const limit = maxEvents === undefined ? Infinity : this.eventCount + maxEvents;
    const queue = this.queue;
    this.stopped = false;
    if (until === undefined) {
      // Without `until` the next timer is always taken, so pop it straight away.
      for (;;) {
        const t = queue.pop();
        if (t === undefined) return;
        if (t.cancelled) continue;
        this._now = t.time;
        this.eventCount++;
        t.fn(t.arg);
        if (this.stopped || (stopWhen !== undefined && stopWhen())) return;
        if (this.eventCount >= limit) throw new Error(`simulation exceeded ${maxEvents} events at t=${this._now}ms`);
      }
    }
    // With `until`, take the next timer only if it is due by then.
    for (;;) {
      const t = queue.popDue(until);
      if (t === undefined) break;
      if (t.cancelled) continue;
      this._now = t.time;
      this.eventCount++;
      t.fn(t.arg);
      if (this.stopped || (stopWhen !== undefined && stopWhen())) return;
      if (this.eventCount >= limit) throw new Error(`simulation exceeded ${maxEvents} events at t=${this._now}ms`);
    }
    if (until > this._now) this._now = until;
  }
}
