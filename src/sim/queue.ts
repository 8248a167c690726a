/**
 * The event queue: a binary min-heap of timers ordered by (time, sequence).
 *
 * This ordering is the whole determinism story of the engine: two timers due at the same
 * millisecond run in the order they were scheduled, on every run and every machine.
 * It is not a general-purpose heap; it knows only `Timer`.
 */

/** A callback due at an integer millisecond. Cancelling it leaves it in the heap; it is skipped when popped. */
export class Timer {
  cancelled = false;
  constructor(
    readonly time: number,
    readonly seq: number,
    readonly fn: () => void,
  ) {}

  /** Stops the callback from running. Cancelling twice, or after it ran, is harmless. */
  cancel(): void {
    this.cancelled = true;
  }
}

function before(a: Timer, b: Timer): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

export class TimerQueue {
  private heap: Timer[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(t: Timer): void {
    const h = this.heap;
    let i = h.length;
    h.push(t);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(t, h[parent])) break;
      h[i] = h[parent];
      i = parent;
    }
    h[i] = t;
  }

  peek(): Timer | undefined {
    return this.heap[0];
  }

  pop(): Timer | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last !== undefined) {
      let i = 0;
      const n = h.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && before(h[r], h[l]) ? r : l;
        if (!before(h[c], last)) break;
        h[i] = h[c];
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}
