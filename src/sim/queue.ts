/**
 * The event queue: timers ordered by (time, sequence).
 *
 * This ordering is the whole determinism story of the engine: two timers due at the same
 * millisecond run in the order they were scheduled, on every run and every machine.
 * It is not a general-purpose priority queue; it knows only `QueueEntry`, and it is internal to the engine
 * (agenda.ts pushes and pops; nothing outside src/sim sees it).
 *
 * Several stores, one order. Timers in general sit in a binary min-heap. But timers scheduled with one fixed delay
 * d arrive in (time, sequence) order by themselves: each is due at now + d, the clock never goes back and sequence
 * numbers only grow. So a delay used over and over gets a lane: a plain FIFO that needs no sifting. Lane 0 is always
 * there (zero delay: event resumptions, process starts — most of a model's traffic); the queue opens a few others
 * itself, for the delays that dominate what goes to the heap (a periodic loop's sleep), found by a majority vote
 * over the heap's pushes. `pop` merges the heap and the lanes by that same key, so the order is exactly the one a
 * single heap would give, whichever lanes exist.
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

  constructor(readonly delay: number) {}

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

/** Fixed-delay lanes the queue opens at most, besides lane 0: each one is looked at by every pop. */
const MAX_DELAY_LANES = 3;
/** How far ahead of all other delays in the heap's pushes (majority vote) a delay must get to earn a lane. */
const LANE_VOTES = 64;

export class TimerQueue<E extends QueueEntry = Timer> {
  /**
   * The heap: entries, and their keys copied into typed arrays beside them, so that sifting compares keys in two
   * small contiguous arrays instead of reading entries scattered over the heap (most of its cost on large models).
   */
  private heap: E[] = [];
  private times = new Float64Array(64);
  private seqs = new Float64Array(64);
  /** The lanes, lane 0 (zero delay) first. */
  private readonly lanes: Lane<E>[] = [new Lane<E>(0)];
  /** The majority vote over the delays of heap pushes (Boyer–Moore): the leading delay and its lead. */
  private candidate = -1;
  private votes = 0;

  get size(): number {
    let n = this.heap.length;
    for (const l of this.lanes) n += l.count;
    return n;
  }

  /** The delays that have lanes, lane 0 first (for tests: which lanes exist changes no order). */
  get laneDelays(): number[] {
    return this.lanes.map((l) => l.delay);
  }

  /**
   * Queues an entry scheduled `delayMs` from now. Into that delay's lane if it has one and the entry sorts after the
   * lane's newest (always, when the caller keeps its word: due now + delayMs, with a fresh sequence number);
   * otherwise into the heap, so the order stays the same total order whatever the caller does.
   */
  push(e: E, delayMs: number): void {
    const lanes = this.lanes;
    for (let i = 0; i < lanes.length; i++) {
      const l = lanes[i];
      if (l.delay !== delayMs) continue;
      const last = l.last();
      if (last === undefined || before(last, e)) l.push(e);
      else this.pushHeap(e);
      return;
    }
    this.pushHeap(e);
    this.vote(delayMs);
  }

  /** Counts a heap push of `delayMs` in the vote; a delay that leads by LANE_VOTES gets a lane from then on. */
  private vote(delayMs: number): void {
    if (delayMs === this.candidate) {
      if (++this.votes < LANE_VOTES || this.lanes.length > MAX_DELAY_LANES) return;
      this.lanes.push(new Lane<E>(delayMs));
      this.candidate = -1;
      this.votes = 0;
    } else if (this.votes > 0) {
      this.votes--;
    } else {
      this.candidate = delayMs;
      this.votes = 1;
    }
  }

  peek(): E | undefined {
    let best = this.heap[0];
    const lanes = this.lanes;
    for (let i = 0; i < lanes.length; i++) {
      const l = lanes[i];
      if (l.count === 0) continue;
      const f = l.ring[l.head]!;
      if (best === undefined || before(f, best)) best = f;
    }
    return best;
  }

  pop(): E | undefined {
    return this.popDue(Infinity);
  }

  /** Takes the first entry if it is due at or before `until`; undefined otherwise (or when empty). */
  popDue(until: number): E | undefined {
    let best = this.heap[0];
    let from: Lane<E> | undefined;
    const lanes = this.lanes;
    for (let i = 0; i < lanes.length; i++) {
      const l = lanes[i];
      if (l.count === 0) continue;
      const f = l.ring[l.head]!;
      if (best === undefined || before(f, best)) {
        best = f;
        from = l;
      }
    }
    if (best === undefined || best.time > until) return undefined;
    if (from !== undefined) return from.shift();
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
