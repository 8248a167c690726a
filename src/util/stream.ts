/**
 * A typed stream of happenings with any number of subscribers: the one way a run is observed. A subscriber takes
 * every happening or only some types; emitters ask `wants(type)` before building a happening, so a type nobody
 * subscribes to costs one lookup per would-be happening (benchmarks run that way). Subscribing or unsubscribing
 * during an emit is safe: the emit in progress reaches the subscribers it started with.
 * What it is not: a queue (nothing is buffered or delayed) or an event of the engine (src/sim).
 */

/** The emitting side, as a component is handed it. */
export interface Sink<T extends { type: string }> {
  /** True while someone subscribes to happenings of this type: build one only then. */
  wants(type: T['type']): boolean;
  emit(h: T): void;
}

interface Subscriber<T> {
  fn: (h: T) => void;
  /** undefined: every type. */
  types: ReadonlySet<string> | undefined;
}

export class Stream<T extends { type: string }> implements Sink<T> {
  private subscribers: ReadonlyArray<Subscriber<T>> = [];
  /** Subscribers that take every type. */
  private everything = 0;
  /** Per type, subscribers that name it. */
  private readonly byType = new Map<string, number>();

  wants(type: T['type']): boolean {
    return this.everything > 0 || this.byType.has(type);
  }

  emit(h: T): void {
    const subs = this.subscribers;
    for (let i = 0; i < subs.length; i++) {
      const s = subs[i];
      if (s.types === undefined || s.types.has(h.type)) s.fn(h);
    }
  }

  /** Calls `fn` with every happening (or those of `types`) from now on; returns the function that stops it. */
  subscribe(fn: (h: T) => void, types?: ReadonlyArray<T['type']>): () => void {
    const sub: Subscriber<T> = { fn, types: types === undefined ? undefined : new Set(types) };
    this.subscribers = [...this.subscribers, sub];
    this.count(sub, 1);
    return () => {
      if (!this.subscribers.includes(sub)) return;
      this.subscribers = this.subscribers.filter((s) => s !== sub);
      this.count(sub, -1);
    };
  }

  private count(sub: Subscriber<T>, d: 1 | -1): void {
    if (sub.types === undefined) {
      this.everything += d;
      return;
    }
    for (const t of sub.types) {
      const n = (this.byType.get(t) ?? 0) + d;
      if (n === 0) this.byType.delete(t);
      else this.byType.set(t, n);
    }
  }
}

/** A sink nobody listens to. */
export function silentSink<T extends { type: string }>(): Sink<T> {
  return { wants: () => false, emit() {} };
}
