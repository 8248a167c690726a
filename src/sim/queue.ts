/**
 * The event queue: timers ordered by (time, sequence).
 *
 * This ordering is the whole determinism story of the engine: two timers due at the same
 * millisecond run in the order they were scheduled, on every run and every machine.
 * It is not a general-purpose priority queue; it knows only `Timer`.
 *
 * Two stores, one order. Timers due later sit in a binary min-heap. Timers due *now* (zero delay: event
 * resumptions, process starts — most of a model's traffic) go to a plain FIFO instead: they arrive with the
 * current time and ever-increasing sequence numbers, so the FIFO is already sorted by (time, sequence) and needs
 * no sifting. `pop` merges the two sorted stores by that same key, so the order is exactly the one a single heap
 * would give.
 */

/**
 * What the queue holds: a callback `fn(arg)` due at `time`, ordered by (time, seq), skipped when `cancelled`.
 * A `Timer`, or a process (process.ts), which is its own entry so its resumptions allocate nothing.
 */
export interface QueueEntry {
  time: number;
  seq: number;
  readonly cancelled: boolean;
  readonly fn: (arg: any) => void;
  readonly arg: unknown;
}

/** A callback due at an integer millisecond. Cancelling it leaves it queued; it is skipped when popped. */
export class Timer implements QueueEntry {
  cancelled = false;
  constructor(
    /** Due time. Written only by `Simulation.requeue`, for a timer that is not queued. */
    public time: number,
    /** Scheduling sequence number. Written only by `Simulation.requeue`, for a timer that is not queued. */
    public seq: number,
    /** Called as `fn(arg)`. */
    readonly fn: (arg: any) => void,
    readonly arg: unknown,
  ) {}

  /** Stops the callback from running. Cancelling twice, or after it ran, is harmless. */
  cancel(): void {
    this.cancelled = true;
  }
}

function before(a: QueueEntry, b: QueueEntry): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

export class TimerQueue<E extends QueueEntry = Timer> {
  /**
   * The heap: entries, and their keys copied into typed arrays beside them, so that sifting compares keys in two
   * small contiguous arrays instead of reading entries scattered over the heap (most of its cost on large models).
   */
  private heap: E[] = [];
  private times = new Float64Array(64);
  private seqs = new Float64Array(64);
  /** Timers given to `pushNow`, in (time, seq) order: a ring buffer of `count` entries from `head`. */
  private ring: Array<E | undefined> = new Array<E | undefined>(64).fill(undefined);
  private head = 0;
  private count = 0;

  get size(): number {
    return this.heap.length + this.count;
  }

  /** Queues a timer. */
  push(t: E): void {
    const h = this.heap;
    let i = h.length;
    if (i === this.times.length) this.growKeys();
    const times = this.times;
    const seqs = this.seqs;
    const time = t.time;
    const seq = t.seq;
    h.push(t);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent];
      if (time > pt || (time === pt && seq > seqs[parent])) break;
      h[i] = h[parent];
      times[i] = pt;
      seqs[i] = seqs[parent];
      i = parent;
    }
    h[i] = t;
    times[i] = time;
    seqs[i] = seq;
  }

  /**
   * Queues a timer that the caller expects to sort after every timer previously given to `pushNow` (true for
   * zero-delay timers: time never goes back and sequence numbers only grow). If it does not, it goes to the heap,
   * so the order stays the same total order whatever the caller does.
   */
  pushNow(t: E): void {
    const ring = this.ring;
    const n = this.count;
    if (n > 0 && !before(ring[(this.head + n - 1) & (ring.length - 1)]!, t)) {
      this.push(t);
      return;
    }
    if (n === ring.length) {
      this.grow();
      this.ring[n] = t;
    } else {
      ring[(this.head + n) & (ring.length - 1)] = t;
    }
    this.count = n + 1;
  }

  peek(): E | undefined {
    const h = this.heap[0];
    if (this.count === 0) return h;
    const f = this.ring[this.head]!;
    return h === undefined || before(f, h) ? f : h;
  }

  pop(): E | undefined {
    if (this.count > 0) {
      const f = this.ring[this.head]!;
      const h = this.heap[0];
      if (h === undefined || before(f, h)) {
        this.ring[this.head] = undefined;
        this.head = (this.head + 1) & (this.ring.length - 1);
        this.count--;
        return f;
      }
    }
    return this.popHeap();
  }

  /** Doubles the ring (its length stays a power of two), unrolling it to start at 0. */
  private grow(): void {
    const old = this.ring;
    const next = new Array<E | undefined>(old.length * 2).fill(undefined);
    for (let i = 0; i < this.count; i++) next[i] = old[(this.head + i) & (old.length - 1)];
    this.ring = next;
    this.head = 0;
  }

  private growKeys(): void {
    const times = new Float64Array(this.times.length * 2);
    const seqs = new Float64Array(this.seqs.length * 2);
    times.set(this.times);
    seqs.set(this.seqs);
    this.times = times;
    this.seqs = seqs;
  }

  private popHeap(): E | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    const n = h.length;
    if (n > 0 && last !== undefined) {
      const times = this.times;
      const seqs = this.seqs;
      const time = times[n];
      const seq = seqs[n];
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let c = l;
        if (r < n && (times[r] < times[l] || (times[r] === times[l] && seqs[r] < seqs[l]))) c = r;
        const ct = times[c];
        if (ct > time || (ct === time && seqs[c] > seq)) break;
        h[i] = h[c];
        times[i] = ct;
        seqs[i] = seqs[c];
        i = c;
      }
      h[i] = last;
      times[i] = time;
      seqs[i] = seq;
    }
    return top;
  }
}
