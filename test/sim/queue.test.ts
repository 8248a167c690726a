/**
 * The timer queue (src/sim/queue.ts) on its own: whatever mix of heap pushes, zero-delay (`pushNow`) pushes and
 * fixed-delay lane pushes (`pushAfter`), including ones that break the "sorts last" promise, pops come out in
 * (time, seq) order — the same order a plain sort gives — and the lanes survive wrap-around and growth.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Timer, TimerQueue } from '../../src/sim/queue.ts';
import { Simulation, type Proc } from '../../src/sim/index.ts';

const key = (t: Timer) => [t.time, t.seq] as const;
const byKey = (a: Timer, b: Timer) => a.time - b.time || a.seq - b.seq;

describe('TimerQueue', () => {
  it('property: any interleaving of push / pushNow / pop pops in (time, seq) order', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), dt: fc.integer({ min: 0, max: 20 }) }),
      fc.record({ kind: fc.constant('now' as const), dt: fc.integer({ min: -3, max: 3 }) }),
      fc.record({ kind: fc.constant('pop' as const), dt: fc.constant(0) }),
      // a delay with a lane (3 or 7), one without (5); dt < 0 breaks the lane's promise
      fc.record({ kind: fc.constant('after' as const), dt: fc.constantFrom(3, 5, 7, -2) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const q = new TimerQueue();
        q.addLane(3);
        q.addLane(7);
        q.addLane(3);
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
            q.push(t);
            pending.push(t);
          } else if (o.kind === 'after') {
            // due `d` after now; dt < 0: due earlier than that, which breaks the lane's promise
            const d = o.dt < 0 ? 3 : o.dt;
            const t = new Timer(o.dt < 0 ? Math.max(0, now + d + o.dt) : now + d, seq++, () => {}, undefined);
            q.pushAfter(t, d);
            pending.push(t);
          } else {
            // Usually the current time; sometimes (dt < 0) a time that breaks the promise, which must still sort.
            const t = new Timer(Math.max(0, now + Math.min(0, o.dt)), seq++, () => {}, undefined);
            q.pushNow(t);
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

  it('a lane gives the same run as the heap: same order, same event count, same clock', () => {
    const run = (lane: boolean) => {
      const sim = new Simulation(7);
      if (lane) sim.addQueueLane(250);
      const r = sim.random('delays');
      const log: string[] = [];
      // periodic loops on the lane's delay, ties with random timers of the same delay and of others
      for (let p = 0; p < 20; p++) {
        sim.spawn(`loop ${p}`, (function* (): Proc {
          for (let i = 0; i < 40; i++) {
            log.push(`${sim.now} loop ${p}`);
            yield 250;
          }
        })());
      }
      const tick = (id: number) => () => {
        log.push(`${sim.now} timer ${id}`);
        if (id < 3000) sim.schedule(r.int(2) === 0 ? 250 : r.int(500), tick(id + 20));
      };
      for (let i = 0; i < 20; i++) sim.schedule(r.int(300), tick(i));
      sim.run();
      return { log, events: sim.eventCount, now: sim.now };
    };
    const heap = run(false);
    expect(heap.events).toBeGreaterThan(3800);
    expect(run(true)).toEqual(heap);
  });

  it('a lane needs a positive integer delay', () => {
    expect(() => new Simulation().addQueueLane(0)).toThrow(/positive integer/);
    expect(() => new Simulation().addQueueLane(2.5)).toThrow(/positive integer/);
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
