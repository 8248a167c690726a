/**
 * The timer queue (src/sim/queue.ts) on its own: whatever mix of zero-delay pushes, pushes of a delay used over and
 * over (which earns a lane of its own) and other pushes (the heap), including pushes that break a lane's "sorts
 * last" promise, pops come out in (time, seq) order — the same order a plain sort gives — and the lanes survive
 * wrap-around and growth.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Timer, TimerQueue } from '../../src/sim/queue.ts';
import { Simulation } from '../../src/sim/index.ts';

const key = (t: Timer) => [t.time, t.seq] as const;
const byKey = (a: Timer, b: Timer) => a.time - b.time || a.seq - b.seq;
/** Index of the first timer by (time, seq); -1 when there is none. */
const first = (ts: Timer[]) => ts.reduce((best, t, i) => (best < 0 || byKey(t, ts[best]) < 0 ? i : best), -1);

describe('TimerQueue', () => {
  it('property: any interleaving of delayed pushes, zero-delay pushes and pops pops in (time, seq) order', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), dt: fc.integer({ min: 1, max: 20 }) }),
      // a delay used over and over: it wins the queue's vote and gets a lane; dt < 0 breaks that lane's promise
      { arbitrary: fc.record({ kind: fc.constant('after' as const), dt: fc.constantFrom(7, 7, 7, -2) }), weight: 3 },
      fc.record({ kind: fc.constant('now' as const), dt: fc.integer({ min: -3, max: 3 }) }),
      fc.record({ kind: fc.constant('pop' as const), dt: fc.constant(0) }),
    );
    let lanesSeen = 0;
    fc.assert(
      fc.property(fc.array(op, { minLength: 300, maxLength: 600 }), (ops) => {
        const q = new TimerQueue();
        const pending: Timer[] = [];
        let seq = 0;
        let now = 0;
        const popped: Timer[] = [];
        const expected: Timer[] = [];
        let headsWrong = 0;
        for (const o of ops) {
          if (o.kind === 'pop') {
            const want = pending.length === 0 ? undefined : pending.splice(first(pending), 1)[0];
            const got = q.pop();
            if (want !== undefined) expected.push(want);
            if (got !== undefined) popped.push(got);
            if (got !== undefined) now = Math.max(now, got.time);
          } else if (o.kind === 'push') {
            const t = new Timer(now + o.dt, seq++, () => {}, undefined);
            q.push(t, o.dt);
            pending.push(t);
          } else if (o.kind === 'after') {
            const t = new Timer(o.dt < 0 ? Math.max(0, now + 7 + o.dt) : now + 7, seq++, () => {}, undefined);
            q.push(t, 7);
            pending.push(t);
          } else {
            // Usually the current time; sometimes (dt < 0) a time that breaks the lane's promise, which must still sort.
            const t = new Timer(Math.max(0, now + Math.min(0, o.dt)), seq++, () => {}, undefined);
            q.push(t, 0);
            pending.push(t);
          }
          // plain comparisons per step (an expect per step is most of the test's time); asserted once per run
          if (q.size !== pending.length || q.peek() !== pending[first(pending)]) headsWrong++;
        }
        pending.sort(byKey);
        for (let t = q.pop(); t !== undefined; t = q.pop()) popped.push(t);
        expected.push(...pending);
        expect(headsWrong).toBe(0);
        expect(popped.map(key)).toEqual(expected.map(key));
        if (q.laneDelays.includes(7)) lanesSeen++;
      }),
      { numRuns: 100 },
    );
    // the property held with the lane in play, not only without it
    expect(lanesSeen).toBeGreaterThan(50);
  });

  it('a delay earns a lane by leading the pushes to the heap, and only a few delays get one', () => {
    const q = new TimerQueue();
    let seq = 0;
    const push = (d: number) => q.push(new Timer(d, seq++, () => {}, undefined), d);
    // 2500 in three pushes of four, among delays that never repeat: it leads, and gets a lane
    for (let i = 0; i < 400; i++) push(i % 4 === 3 ? 1000 + i : 2500);
    expect(q.laneDelays).toEqual([0, 2500]);
    // delays that never lead get none
    for (let i = 0; i < 400; i++) push(3000 + i);
    expect(q.laneDelays).toEqual([0, 2500]);
    // at most three besides lane 0
    for (const d of [11, 12, 13]) for (let i = 0; i < 100; i++) push(d);
    expect(q.laneDelays).toEqual([0, 2500, 11, 12]);
  });

  it('popDue takes only what is due by then, from the lane or the heap', () => {
    const q = new TimerQueue();
    const a = new Timer(5, 0, () => {}, undefined);
    const b = new Timer(5, 1, () => {}, undefined);
    const c = new Timer(9, 2, () => {}, undefined);
    q.push(c, 4);
    q.push(a, 0);
    q.push(b, 0);
    expect(q.popDue(4)).toBeUndefined();
    expect(q.popDue(5)).toBe(a);
    expect(q.popDue(5)).toBe(b);
    expect(q.popDue(8)).toBeUndefined();
    expect(q.popDue(9)).toBe(c);
    expect(q.size).toBe(0);
  });

  it('thousands of zero-delay timers (ring growth and wrap-around) keep FIFO order among heap timers', () => {
    const sim = new Simulation();
    const log: number[] = [];
    let next = 0;
    // Each timer schedules two more zero-delay timers until 5,000 exist; heap timers at the same time interleave.
    const spawnMore = (id: number) => () => {
      log.push(id);
      for (let k = 0; k < 2 && next < 5000; k++) {
        const child = next++;
        sim.schedule(0, spawnMore(child));
      }
    };
    for (let i = 0; i < 100; i++) sim.schedule(0, spawnMore(next++));
    for (let i = 0; i < 100; i++) sim.schedule(1, () => log.push(-1));
    sim.run();
    expect(log.filter((x) => x >= 0)).toEqual([...Array(5000).keys()]);
    expect(log.slice(-100)).toEqual(Array(100).fill(-1));
  });
});
