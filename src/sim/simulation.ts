/**
 * The simulation environment, the engine's public face: integer-millisecond virtual time, timers, events,
 * processes, named random streams and the optional trace, and the run loop. Its surface is SimPy's, kept small:
 * how the queue is stored and how a process resumes without allocating stay inside the engine (agenda.ts,
 * queue.ts, process.ts). It knows nothing of EC2, ipamd or Kubernetes.
 */
import { Agenda } from './agenda.ts';
import { SimEvent } from './event.ts';
import { Process, type Proc } from './process.ts';
import type { Timer } from './queue.ts';
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
  private readonly agenda = new Agenda();
  private readonly streams: RandomStreams;
  private stopped = false;
  tracer: Tracer | null = null;

  constructor(readonly seed: number | string = 1) {
    this.streams = new RandomStreams(seed);
  }

  /** Virtual time, integer ms. */
  get now(): number {
    return this.agenda.now;
  }

  /** Events processed so far (cancelled timers not counted). */
  get eventCount(): number {
    return this.agenda.eventCount;
  }

  /** True when a tracer is attached; test it before building a trace record. */
  get tracing(): boolean {
    return this.tracer !== null;
  }

  trace(kind: string, fields: Record<string, unknown> = {}): void {
    if (this.tracer !== null) this.tracer.write({ t: this.agenda.now, kind, ...fields } as TraceRecord);
  }

  /** Runs `fn` after `delayMs` (rounded to an integer; never in the past). */
  schedule(delayMs: number, fn: () => void): Timer {
    return this.agenda.call(delayMs, fn, undefined);
  }

  /** Runs `fn` at absolute time `at` (or now, if `at` has passed). */
  scheduleAt(at: number, fn: () => void): Timer {
    return this.schedule(at - this.agenda.now, fn);
  }

  /** A fresh pending event. */
  event<T>(): SimEvent<T> {
    return new SimEvent<T>(this.agenda);
  }

  /** An event that succeeds with `value` after `delayMs`. */
  timeout<T>(delayMs: number, value: T): SimEvent<T> {
    const ev = new SimEvent<T>(this.agenda);
    this.schedule(delayMs, () => ev.succeed(value));
    return ev;
  }

  /** Starts a process; it takes its first step at the current time, after what is already due now. */
  spawn<R>(name: string, gen: Proc<R>): Process<R> {
    return new Process<R>(this.agenda, name, gen);
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
    return this.agenda.nextTime();
  }

  /** Processes one event; false when nothing is left. */
  step(): boolean {
    const e = this.agenda.take(Infinity);
    if (e === undefined) return false;
    e.fn(e.arg);
    return true;
  }

  run(opts: RunOptions = {}): void {
    const { until, stopWhen, maxEvents } = opts;
    const agenda = this.agenda;
    const limit = maxEvents === undefined ? Infinity : agenda.eventCount + maxEvents;
    const last = until ?? Infinity;
    this.stopped = false;
    for (;;) {
      const e = agenda.take(last);
      if (e === undefined) break;
      e.fn(e.arg);
      if (this.stopped || (stopWhen !== undefined && stopWhen())) return;
      if (agenda.eventCount >= limit) throw new Error(`simulation exceeded ${maxEvents} events at t=${agenda.now}ms`);
    }
    if (until !== undefined && until > agenda.now) agenda.now = until;
  }
}
