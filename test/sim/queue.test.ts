/**
 * The timer queue (src/sim/queue.ts) on its own: whatever mix of zero-delay pushes (the lane) and other pushes (the
 * heap), including zero-delay ones that break the "sorts last" promise, pops come out in (time, seq) order — the
 * same order a plain sort gives — and the lane survives wrap-around and growth.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Timer, TimerQueue } from '../../src/sim/queue.ts';
import { Simulation } from '../../src/sim/index.ts';

const key = (t: Timer) => [t.time, t.seq] as const;
const byKey = (a: Timer, b: Timer) => a.time - b.time || a.seq - b.seq;

describe('TimerQueue', () => {
  it('property: any interleaving of delayed pushes, zero-delay pushes and pops pops in (time, seq) order', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), dt: fc.integer({ min: 1, max: 20 }) }),
      fc.record({ kind: fc.constant('now' as const), dt: fc.integer({ min: -3, max: 3 }) }),
      fc.record({ kind: fc.constant('pop' as const), dt: fc.constant(0) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const q = new TimerQueue();
        const pending: Timer[] = [];
        let seq = 0;
        let now = 0;
        const popped: Timer[] = [];
        const expected: Timer[] = [];
        for (const o of ops) {
          if (o.kind === 'pop') {
            pending.sort(byKey);
            const want = pending.shift();
            const got = q.pop();
            if (want !== undefined) expected.push(want);
            if (got !== undefined) popped.push(got);
            if (got !== undefined) now = Math.max(now, got.time);
          } else if (o.kind === 'push') {
            const t = new Timer(now + o.dt, seq++, () => {}, undefined);
            q.push(t, o.dt);
            pending.push(t);
          } else {
            // Usually the current time; sometimes (dt < 0) a time that breaks the lane's promise, which must still sort.
            const t = new Timer(Math.max(0, now + Math.min(0, o.dt)), seq++, () => {}, undefined);
            q.push(t, 0);
            pending.push(t);
          }
          expect(q.size).toBe(pending.length);
          const head = [...pending].sort(byKey)[0];
          expect(q.peek()).toBe(head);
        }
        pending.sort(byKey);
        for (let t = q.pop(); t !== undefined; t = q.pop()) popped.push(t);
        expected.push(...pending);
        expect(popped.map(key)).toEqual(expected.map(key));
      }),
      { numRuns: 300 },
    );
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
