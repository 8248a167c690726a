/**
 * The event queue: timers ordered by (time, sequence).
 *
 * This ordering is the whole determinism story of the engine: two timers due at the same
 * millisecond run in the order they were scheduled, on every run and every machine.
 * It is not a general-purpose priority queue; it knows only `QueueEntry`, and it is internal to the engine
 * (agenda.ts pushes and pops; nothing outside src/sim sees it).
 *
 * Two stores, one order. Timers in general sit in a binary min-heap. But zero-delay timers (event resumptions,
 * process starts — most of a model's traffic) arrive in (time, sequence) order by themselves: each is due now, the
 * clock never goes back and sequence numbers only grow. So they join a lane, a plain FIFO that needs no sifting;
 * `pop` merges the heap and the lane by that same key, so the order is exactly the one a single heap would give.
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
    /** Due time. */
    public time: number,
    /** Scheduling sequence number. */
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

/** A FIFO of entries in (time, seq) order: a ring buffer of `count` entries from `head`, its length a power of two. */
class Lane<E extends QueueEntry> {
  ring: Array<E | undefined> = new Array<E | undefined>(64).fill(undefined);
  head = 0;
  count = 0;

  /** The newest entry, or undefined. */
  last(): E | undefined {
    return this.count === 0 ? undefined : this.ring[(this.head + this.count - 1) & (this.ring.length - 1)];
  }

  push(t: E): void {
    const n = this.count;
    if (n === this.ring.length) {
      this.grow();
      this.ring[n] = t;
    } else {
      this.ring[(this.head + n) & (this.ring.length - 1)] = t;
    }
    this.count = n + 1;
  }

  shift(): E {
    const f = this.ring[this.head]!;
    this.ring[this.head] = undefined;
    this.head = (this.head + 1) & (this.ring.length - 1);
    this.count--;
    return f;
  }

  /** Doubles the ring (its length stays a power of two), unrolling it to start at 0. */
  private grow(): void {
    const old = this.ring;
    const next = new Array<E | undefined>(old.length * 2).fill(undefined);
    for (let i = 0; i < this.count; i++) next[i] = old[(this.head + i) & (old.length - 1)];
    this.ring = next;
    this.head = 0;
  }
}

export class TimerQueue<E extends QueueEntry = Timer> {
  /**
   * The heap: entries, and their keys copied into typed arrays beside them, so that sifting compares keys in two
   * small contiguous arrays instead of reading entries scattered over the heap (most of its cost on large models).
   */
  private heap: E[] = [];
  private times = new Float64Array(64);
  private seqs = new Float64Array(64);
  /** The zero-delay lane. */
  private readonly lane = new Lane<E>();

  get size(): number {
    return this.heap.length + this.lane.count;
  }

  /**
   * Queues an entry scheduled `delayMs` from now. A zero-delay entry joins the lane when it sorts after the lane's
   * newest entry (always, when the caller keeps its word: due now, with a fresh sequence number); otherwise, and
   * for every other delay, it goes to the heap, so the order stays the same total order whatever the caller does.
   */
  push(e: E, delayMs: number): void {
    if (delayMs === 0) {
      const last = this.lane.last();
      if (last === undefined || before(last, e)) {
        this.lane.push(e);
        return;
      }
    }
    this.pushHeap(e);
  }

  peek(): E | undefined {
    const h = this.heap[0];
    const l = this.lane;
    if (l.count === 0) return h;
    const f = l.ring[l.head]!;
    return h === undefined || before(f, h) ? f : h;
  }

  pop(): E | undefined {
    return this.popDue(Infinity);
  }

  /** Takes the first entry if it is due at or before `until`; undefined otherwise (or when empty). */
  popDue(until: number): E | undefined {
    const h = this.heap[0];
    const l = this.lane;
    if (l.count !== 0) {
      const f = l.ring[l.head]!;
      if (h === undefined || before(f, h)) return f.time > until ? undefined : l.shift();
    }
    if (h === undefined || h.time > until) return undefined;
    return this.popHeap();
  }

  private pushHeap(t: E): void {
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
